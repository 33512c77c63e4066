"""Reads of training and MCLE. Standings are computed in bulk: the rule set, the groups and
every deputy's credits are read in a fixed number of queries, whatever the number of deputies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from integrity.training import mcle
from integrity.training.models import (
    Attendance,
    ComplianceGroup,
    CourseCredit,
    CreditCategory,
    ExternalCredit,
    MCLEProfile,
    MCLERuleSet,
    SessionRegistration,
    TrainingSession,
)
from jcr.accounts import roles

VIEW_COMPLIANCE = "integrity.view_compliance"
COORDINATOR_ROLES = (roles.JTI_CHIEF, roles.JTI_STAFF)


@dataclass
class DeputyStanding:
    user: object
    group: ComplianceGroup | None
    standing: mcle.Standing | None
    has_obligation: bool = True  # False for staff recorded as not attorneys
    rule_set: MCLERuleSet | None = None  # the version in force at the end of the person's period

    @property
    def compliant(self) -> bool:
        return self.standing is not None and self.standing.compliant

    @property
    def progress(self) -> list[dict]:
        """Each requirement's label, hours counted, hours required and hours missing."""
        if self.standing is None:
            return []
        return [
            {"label": requirement_label(p.category), "counted": p.counted, "required": p.required, "missing": p.missing}
            for p in self.standing.progress
        ]

    @property
    def group_missing(self) -> bool:
        """An attorney whose State Bar group is not recorded yet: record it (nothing is guessed)."""
        return self.has_obligation and self.group is None


def requirement_label(category: str) -> str:
    if category == mcle.TOTAL:
        return gettext("Total hours")
    if category == mcle.PARTICIPATORY:
        return gettext("Participatory hours (self-study at most the maximum)")
    return str(CreditCategory(category).label)


def rule_set_versions() -> list[MCLERuleSet]:
    """Every version of the MCLE rules with its minimums (two queries), newest first."""
    return list(
        MCLERuleSet.objects.select_related("verified_by")
        .prefetch_related("minimums")
        .order_by(F("effective_from").desc(nulls_last=True), "-version", "-pk")
    )


def rule_set_in_force(*, on: date, versions: list[MCLERuleSet] | None = None) -> MCLERuleSet | None:
    """The version in force on `on` (None before the first one). A compliance period is judged
    by the version in force on its last day: pass the period's end (see MCLERuleSet)."""
    for version in rule_set_versions() if versions is None else versions:
        starts, ends = version.effective_from, version.effective_to
        if (starts is None or starts <= on) and (ends is None or on <= ends):
            return version
    return None


def groups_current() -> list[ComplianceGroup]:
    """The compliance groups as in force (each group's open version)."""
    return list(ComplianceGroup.objects.filter(effective_to__isnull=True).order_by("number"))


def rule_set_current() -> MCLERuleSet | None:
    """The version in force today."""
    return rule_set_in_force(on=timezone.localdate())


def rules_of(rule_set: MCLERuleSet) -> mcle.Rules:
    return mcle.Rules(
        hours_per_period=rule_set.hours_per_period,
        self_study_max=rule_set.self_study_max,
        minimums={m.category: m.hours for m in rule_set.minimums.all()},
    )


def profile_of(user) -> MCLEProfile | None:
    try:
        return user.mcle_profile
    except MCLEProfile.DoesNotExist:
        return None


def has_obligation(user) -> bool:
    """Whether `user` must report MCLE hours: everyone not recorded as "not an attorney"."""
    profile = profile_of(user)
    return profile is None or profile.is_attorney


def group_for(*, user, groups: list[ComplianceGroup]) -> ComplianceGroup | None:
    """The group the State Bar records for `user` (None when not recorded: never guessed)."""
    profile = profile_of(user)
    number = profile.group_number if profile is not None else None
    return next((g for g in groups if g.number == number), None) if number else None


def staff_members() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .select_related("mcle_profile")
        .order_by("full_name", "email")
    )


def deputies() -> QuerySet:
    """The active staff who report MCLE hours: all but those recorded as not attorneys."""
    return staff_members().exclude(mcle_profile__status=MCLEProfile.Status.NOT_ATTORNEY)


def credits_by_user(*, user_ids: list[int]) -> dict[int, list[mcle.Credit]]:
    """Each person's credits from their attendances, in one query."""
    rows = (
        Attendance.objects.filter(user_id__in=user_ids, session__course__credits__isnull=False)
        .values_list(
            "user_id",
            "session__starts_at",
            "session__credit_format",
            "session__course__credits__category",
            "session__course__credits__hours",
        )
        .order_by()
    )
    credits: dict[int, list[mcle.Credit]] = defaultdict(list)
    for user_id, starts_at, credit_format, category, hours in rows:
        credits[user_id].append(
            mcle.Credit(
                earned_on=timezone.localdate(starts_at),
                category=category,
                hours=hours,
                self_study=credit_format == TrainingSession.Format.SELF_STUDY,
            )
        )
    external = (
        ExternalCredit.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "earned_on", "category", "hours", "self_study")
        .order_by()
    )
    for user_id, earned_on, category, hours, self_study in external:
        credits[user_id].append(mcle.Credit(earned_on=earned_on, category=category, hours=hours, self_study=self_study))
    return credits


def standings_bulk(
    *, users: list, versions: list[MCLERuleSet] | None = None, groups: list | None = None
) -> list[DeputyStanding]:
    """The standing of each of `users` in their group's current period, judged by the rule
    version in force on the period's last day (None when no version is in force then, the
    person is not an attorney, or their State Bar group is not recorded). A fixed number of
    queries in all, fewer when the caller passes the versions and the groups."""
    if versions is None:
        versions = rule_set_versions()
    if groups is None:
        groups = groups_current()
    credits = credits_by_user(user_ids=[u.pk for u in users])
    by_end: dict[date, tuple[MCLERuleSet | None, mcle.Rules | None]] = {}
    for group in groups:
        if group.period_end not in by_end:
            rule_set = rule_set_in_force(on=group.period_end, versions=versions)
            by_end[group.period_end] = (rule_set, rules_of(rule_set) if rule_set else None)
    result = []
    for user in users:
        if not has_obligation(user):
            result.append(DeputyStanding(user=user, group=None, standing=None, has_obligation=False))
            continue
        group = group_for(user=user, groups=groups)
        rule_set, rules = by_end[group.period_end] if group is not None else (None, None)
        standing = None
        if rules is not None:
            standing = mcle.standing_compute(
                credits=credits.get(user.pk, []),
                rules=rules,
                period_start=mcle.period_start_for(period_end=group.period_end, period_years=rule_set.period_years),
                period_end=group.period_end,
            )
        result.append(DeputyStanding(user=user, group=group, standing=standing, rule_set=rule_set))
    return result


def compliance_rows(
    *, versions: list[MCLERuleSet], groups: list, group_number: int | None = None, state: str = "", users=None
) -> list[DeputyStanding]:
    """The office-wide compliance view: every deputy's standing (or each of `users`), filtered
    by group and by "short" / "compliant"."""
    people = list(deputies() if users is None else users)
    rows = standings_bulk(users=people, versions=versions, groups=groups)
    if group_number:
        rows = [r for r in rows if r.group is not None and r.group.number == group_number]
    if state == "short":
        rows = [r for r in rows if r.has_obligation and not r.compliant]
    elif state == "compliant":
        rows = [r for r in rows if r.compliant]
    return rows


def coordinators() -> list:
    """Who receives the summary of attorneys still short: active staff holding the JTI Chief
    or JTI Staff role (those who keep the MCLE records)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=COORDINATOR_ROLES)
        .distinct()
        .order_by("email")
    )


def external_credits_of(*, user) -> list[ExternalCredit]:
    return list(ExternalCredit.objects.filter(user=user).select_related("recorded_by").order_by("-earned_on", "-id"))


def external_credit_get_for_staff(*, user, public_id) -> ExternalCredit:
    """An external credit (for its certificate): the person's own, or anyone's for JTI."""
    credit = get_object_or_404(ExternalCredit, public_id=public_id)
    if credit.user_id != user.pk and not user.has_perm(VIEW_COMPLIANCE):
        raise_not_found()
    return credit


def transcript_of(*, user) -> list[Attendance]:
    return list(
        Attendance.objects.filter(user=user)
        .select_related("session__course")
        .prefetch_related(Prefetch("session__course__credits", queryset=CourseCredit.objects.order_by("category")))
        .order_by("-session__starts_at")
    )


def deputy_get_for_staff(*, user, public_id):
    """The deputy whose transcript `user` opens: anyone for JTI, themselves for everyone else
    (404 otherwise, without telling whether the person exists)."""
    deputy = get_object_or_404(staff_members(), public_id=public_id)
    if deputy.pk != user.pk and not user.has_perm(VIEW_COMPLIANCE):
        raise_not_found()
    return deputy


def attendance_get_for_staff(*, user, public_id) -> Attendance:
    """An attendance (for its certificate): the attendee's own, or anyone's for JTI."""
    attendance = get_object_or_404(
        Attendance.objects.select_related("session__course", "user").prefetch_related("session__course__credits"),
        public_id=public_id,
    )
    if attendance.user_id != user.pk and not user.has_perm(VIEW_COMPLIANCE):
        raise_not_found()
    return attendance


def raise_not_found():
    raise Http404


def session_list_upcoming(*, user) -> list[TrainingSession]:
    """Sessions not yet ended and not cancelled, with the number registered and whether
    `user` is registered, in two queries."""
    sessions = list(
        TrainingSession.objects.filter(ends_at__gte=timezone.now(), is_cancelled=False)
        .select_related("course")
        .prefetch_related("course__credits")
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=SessionRegistration.Status.REGISTERED)
            ),
            mine=Count(
                "registrations",
                filter=Q(registrations__user=user, registrations__status=SessionRegistration.Status.REGISTERED),
            ),
        )
        .order_by("starts_at")[:100]
    )
    return sessions


def session_list_recent(*, days: int = 60) -> list[TrainingSession]:
    """Sessions that ended in the last `days` days (to record attendance after the fact), with
    the number of attendances, in one query."""
    now = timezone.now()
    return list(
        TrainingSession.objects.filter(ends_at__lt=now, ends_at__gte=now - timedelta(days=days), is_cancelled=False)
        .select_related("course")
        .annotate(attended_count=Count("attendances"))
        .order_by("-starts_at")[:50]
    )


def session_get(*, public_id) -> TrainingSession:
    return get_object_or_404(TrainingSession.objects.select_related("course"), public_id=public_id)


def session_roster(*, session: TrainingSession) -> dict:
    """Who registered for `session` and who attended."""
    registrations = list(
        session.registrations.filter(status=SessionRegistration.Status.REGISTERED).select_related("user")
    )
    attendances = list(session.attendances.select_related("user"))
    attended_ids = {a.user_id for a in attendances}
    return {"registrations": registrations, "attendances": attendances, "attended_ids": attended_ids}


def hours_total(credits) -> Decimal:
    return sum((c.hours for c in credits), Decimal("0"))
