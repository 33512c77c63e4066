"""Writes of MCLE records: versions of the rule set, a person's State Bar record, credit earned
elsewhere, and the reminders before a group's deadline. Each write owns its transaction and
writes an audit entry naming the fields changed (never their values).

Rule versions: a version is never edited in place. A change is a new version in force from its
effective date, and the version it replaces ends the day before (as the legal rules registry,
integrity.rules.services). A compliance period is judged by the version in force on its last
day (selectors.rule_set_in_force).

Reminders: the daily pass plans one row per attorney short of a requirement 90, 30 and 7 days
before their group's deadline (once per period: the row is unique), and at 30 and 7 days one
summary per coordinator of those still short; the work dispatcher (jcr.core.work.dispatch_due)
hands each row to `mcle_reminder_send`, which checks the standing again before writing the
e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity.training import mcle, selectors
from integrity.training.models import (
    ComplianceGroup,
    CreditCategory,
    ExternalCredit,
    MCLECategoryMinimum,
    MCLEProfile,
    MCLEReminder,
    MCLERuleSet,
)
from jcr.core import work
from jcr.core.audit import audit_record
from jcr.core.services import email_queue

REMINDER_DAYS = (90, 30, 7)
SUMMARY_DAYS = (30, 7)  # the coordinator's summary of those still short
SEND_TASK = "integrity.training.mcle_reminder_send"
VERSIONED_FIELDS = (
    "name",
    "citation",
    "official_url",
    "hours_per_period",
    "period_years",
    "self_study_max",
    "verified_by",
    "verified_on",
)
PROFILE_FIELDS = ("status", "bar_number", "admitted_on")


def _minimums_check(*, hours_per_period: Decimal, minimums: dict[str, Decimal]) -> None:
    problems = mcle.minimums_problems(hours_per_period=hours_per_period, minimums=minimums)
    if problems:
        raise ValidationError(
            _("The category minimums do not fit the hours per period (%(total)s).") % {"total": hours_per_period}
        )


@transaction.atomic
def rule_set_version_create(*, effective_from: date, actor, minimums: dict[str, Decimal], **values) -> MCLERuleSet:
    """A new version of the MCLE rules in force from `effective_from` with `values` (the
    VERSIONED_FIELDS) and its category minimums; the version open until now ends the day
    before. Raises ValidationError when nothing changed or the date is not after the open
    version's start."""
    unknown = set(values) - set(VERSIONED_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    minimums = {c: Decimal(h) for c, h in minimums.items() if h}
    current = MCLERuleSet.objects.select_for_update().filter(effective_to__isnull=True).first()
    if current is not None:
        if current.effective_from and effective_from <= current.effective_from:
            raise ValidationError(
                {
                    "effective_from": _("A new version starts after the one it replaces (from %(day)s).")
                    % {"day": current.effective_from.isoformat()}
                }
            )
        old_minimums = {m.category: m.hours for m in current.minimums.all()}
        changed = sorted(f for f in VERSIONED_FIELDS if values.get(f) != getattr(current, f))
        if minimums != old_minimums:
            changed.append("minimums")
        if not changed:
            raise ValidationError(_("Nothing changed: a new version needs a change."))
        current.effective_to = effective_from - timedelta(days=1)
        current.save(update_fields=["effective_to", "updated_at"])
    else:
        changed = sorted([*VERSIONED_FIELDS, "minimums"])
    latest = MCLERuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0
    rule_set = MCLERuleSet(version=latest + 1, effective_from=effective_from, effective_to=None, **values)
    rule_set.full_clean()
    _minimums_check(hours_per_period=rule_set.hours_per_period, minimums=minimums)
    rule_set.save()
    MCLECategoryMinimum.objects.bulk_create(
        [MCLECategoryMinimum(rule_set=rule_set, category=c, hours=h) for c, h in sorted(minimums.items())]
    )
    audit_record(
        action="integrity.training.mcle_rules_version",
        obj=rule_set,
        actor=actor,
        before={"version": current.version} if current else {},
        after={"version": rule_set.version, "fields": changed},
    )
    return rule_set


GROUP_FIELDS = ("period_end", "deadline_verified", "verified_by")


@transaction.atomic
def group_version_create(*, previous: ComplianceGroup, actor, **changes) -> ComplianceGroup:
    """A new version of a compliance group's deadline (or of its verification), recorded from
    today; `previous`, the open version, ends today. Raises ValidationError when nothing
    changed or `previous` is not the open version."""
    current = ComplianceGroup.objects.select_for_update().get(pk=previous.pk)
    if current.effective_to is not None:
        raise ValidationError(_("Only the version in force now can be followed by a new one."))
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    changed = sorted(f for f, v in changes.items() if v != getattr(current, f))
    if not changed:
        raise ValidationError(_("Nothing changed: a new version needs a change."))
    today = timezone.localdate()
    current.effective_to = max(today, current.effective_from or today)
    current.save(update_fields=["effective_to", "updated_at"])
    values = {f: getattr(current, f) for f in GROUP_FIELDS} | changes
    versions = ComplianceGroup.objects.filter(number=current.number).order_by("-version")
    latest = versions.values_list("version", flat=True)[0]
    group = ComplianceGroup(number=current.number, version=latest + 1, effective_from=today, **values)
    group.full_clean()
    group.save()
    audit_record(
        action="integrity.training.mcle_group_version",
        obj=group,
        actor=actor,
        before={"version": current.version},
        after={"version": group.version, "fields": changed},
    )
    return group


@transaction.atomic
def profile_save(*, user, actor, status: str, bar_number: str, admitted_on: date | None) -> MCLEProfile:
    """Record a person's State Bar record as the coordinator read it (bar number, admission
    date, compliance group, or "not an attorney")."""
    profile = MCLEProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    profile = profile or MCLEProfile(user=user)
    before = {f: getattr(profile, f) for f in PROFILE_FIELDS}
    profile.status, profile.bar_number, profile.admitted_on = status, bar_number, admitted_on
    profile.full_clean()
    changed = [f for f in PROFILE_FIELDS if getattr(profile, f) != before[f]]
    if not changed and not created:
        return profile
    profile.save()
    audit_record(
        action="integrity.training.mcle_record_" + ("create" if created else "change"),
        obj=profile,
        actor=actor,
        after={"fields": changed},
    )
    return profile


@dataclass(frozen=True)
class Certificate:
    content: bytes
    content_type: str
    extension: str


@transaction.atomic
def external_credit_add(
    *,
    user,
    actor,
    provider: str,
    course_title: str,
    earned_on: date,
    minutes: int,
    category: str,
    hours: Decimal | None,
    self_study: bool,
    certificate: Certificate | None = None,
) -> tuple[ExternalCredit, bool]:
    """Credit earned elsewhere, from the person's certificate. The hours are at most the minutes
    attended rounded down to the quarter hour (rule 2.51(D)); no hours given means that most.
    Returns the credit and whether the hours given were lowered to it."""
    allowed = mcle.credit_hours_max(minutes)
    if allowed <= 0:
        raise ValidationError({"minutes": _("A credit needs at least 15 minutes attended.")})
    capped = hours is not None and hours > allowed
    credit = ExternalCredit(
        user=user,
        provider=provider,
        course_title=course_title,
        earned_on=earned_on,
        minutes=minutes,
        category=category,
        hours=allowed if hours is None or capped else hours,
        self_study=self_study,
        recorded_by=actor,
    )
    credit.full_clean(exclude=["certificate"])
    if certificate is not None:
        credit.certificate.save(f"certificate.{certificate.extension}", ContentFile(certificate.content), save=False)
        credit.certificate_type = certificate.content_type
    credit.save()
    audit_record(
        action="integrity.training.mcle_credit_add",
        obj=credit,
        actor=actor,
        after={"person": str(user.public_id), "fields": ["category", "hours", "minutes", "self_study"]},
    )
    return credit, capped


def _due_threshold(*, period_end: date, today: date) -> int | None:
    """The reminder due today for a period ending on `period_end`: the smallest of 90/30/7 whose
    day has come (a pass that missed the 90-day day plans one reminder, not two)."""
    days_left = (period_end - today).days
    if days_left < 0:
        return None
    due = [d for d in REMINDER_DAYS if days_left <= d]
    return min(due) if due else None


def mcle_reminders_plan(*, today: date | None = None) -> int:
    """The daily pass: a reminder row for each attorney short of a requirement whose group's
    period ends in 90, 30 or 7 days, and at 30 and 7 days a summary row per coordinator when
    anyone in such a group is still short. Returns how many rows were planned.

    Each row is unique per person, period end, threshold and kind, so each reminder is planned
    once per period however often the pass runs; non-attorneys, people whose group is not
    recorded and compliant attorneys get none."""
    today = today or timezone.localdate()
    groups_all = selectors.groups_current()
    due = {g.pk: _due_threshold(period_end=g.period_end, today=today) for g in groups_all}
    if not any(due.values()):
        return 0
    rows = selectors.standings_bulk(users=list(selectors.deputies()), groups=groups_all)
    planned = 0
    short_ends: dict[date, int] = {}
    for row in rows:
        days = due.get(row.group.pk) if row.group is not None else None
        if days is None or row.standing is None or row.compliant:
            continue
        planned += _plan(user=row.user, kind=MCLEReminder.Kind.ATTORNEY, end=row.group.period_end, days=days,
                         missing=row.standing.hours_missing)  # fmt: skip
        if days in SUMMARY_DAYS:
            short_ends[row.group.period_end] = days
    for end, days in short_ends.items():
        for coordinator in selectors.coordinators():
            planned += _plan(user=coordinator, kind=MCLEReminder.Kind.SUMMARY, end=end, days=days, missing=Decimal(0))
    return planned


def _plan(*, user, kind: str, end: date, days: int, missing: Decimal) -> int:
    _row, created = MCLEReminder.objects.get_or_create(
        user=user, kind=kind, period_end=end, days_before=days, defaults={"hours_missing": missing}
    )
    return int(created)


def mcle_reminders_dispatch() -> dict[str, int]:
    """Hand the due reminder rows to the sending task (jcr.core.work)."""
    return work.dispatch_due(MCLEReminder, SEND_TASK, id_kwarg="reminder_id")


def _shortfalls(standing: mcle.Standing) -> list[dict]:
    return [
        {"label": category_label(s.category), "missing": s.missing, "required": s.required} for s in standing.shortfalls
    ]


def _rule_context(rule_set: MCLERuleSet | None) -> dict:
    return {
        "citation": rule_set.citation if rule_set else "",
        "official_url": rule_set.official_url if rule_set else "",
        "verified_on": rule_set.verified_on if rule_set else None,
    }


def mcle_reminder_send(*, reminder_id: int) -> str | None:
    """Claim one due reminder and queue its e-mail, in the person's language. Returns the new
    status, or None when the row was not ours (done, cancelled, in flight elsewhere).

    The standing is read again: an attorney who became compliant (or is no longer an attorney,
    or whose group's deadline moved) is not written to, and a summary with nobody short is
    not sent. The e-mail row and the DONE mark are written in one transaction."""
    reminder = work.claim(MCLEReminder, reminder_id)
    if reminder is None:
        return None
    person = reminder.user
    if reminder.kind == MCLEReminder.Kind.ATTORNEY:
        people = [person] if person.is_active else []
    else:
        people = list(selectors.deputies())
    rows = [
        r
        for r in selectors.standings_bulk(users=people)
        if r.standing is not None and not r.compliant and r.group.period_end == reminder.period_end
    ]
    now = timezone.now()
    if not rows:
        MCLEReminder.objects.filter(pk=reminder.pk, status=MCLEReminder.Status.IN_FLIGHT).update(
            status=MCLEReminder.Status.CANCELLED, finished_at=now, last_error="nobody short of hours any more"
        )
        return MCLEReminder.Status.CANCELLED
    context = {
        "name": person.get_short_name(),
        "period_end": reminder.period_end,
        "days_left": max((reminder.period_end - timezone.localdate()).days, 0),
        **_rule_context(rows[0].rule_set),
    }
    if reminder.kind == MCLEReminder.Kind.ATTORNEY:
        template = "integrity/mcle_reminder"
        context |= {"standing": rows[0].standing, "shortfalls": _shortfalls(rows[0].standing)}
    else:
        template = "integrity/mcle_coordinator_summary"
        context["people"] = [
            {"name": str(r.user), "group": r.group.number, "missing": r.standing.hours_missing,
             "shortfalls": _shortfalls(r.standing)}
            for r in rows
        ]  # fmt: skip
    with transaction.atomic():
        email_queue(
            to=person.email, template=template, context=context, language=person.preferred_language, related=reminder
        )
        work.complete(reminder, sent_at=now)
        audit_record(action="integrity.training.mcle_reminder", obj=reminder, actor=None)
    return MCLEReminder.Status.DONE


def category_label(category: str):
    """A requirement's label, lazy so the e-mail renders it in the person's language."""
    if category == mcle.TOTAL:
        return gettext_lazy("Total hours")
    if category == mcle.PARTICIPATORY:
        return gettext_lazy("Participatory hours")
    return CreditCategory(category).label
