"""Reads of training and MCLE. Standings are computed in bulk: the rule set, the groups and
every deputy's credits are read in a fixed number of queries, whatever the number of deputies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
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
    MCLEProfile,
    MCLERuleSet,
    SessionRegistration,
    TrainingSession,
)

VIEW_COMPLIANCE = "integrity.view_compliance"


@dataclass
class DeputyStanding:
    user: object
    group: ComplianceGroup | None
    standing: mcle.Standing | None
    has_obligation: bool = True  # False for staff recorded as not attorneys

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


def rule_set_current() -> MCLERuleSet | None:
    return MCLERuleSet.objects.filter(is_current=True).prefetch_related("minimums").first()


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
    return credits


_UNSET = object()


def standings_bulk(
    *, users: list, rule_set: MCLERuleSet | object | None = _UNSET, groups: list | None = None
) -> list[DeputyStanding]:
    """The standing of each of `users` in their group's current period (None when no rule set
    is current, the person is not an attorney, or their State Bar group is not recorded). At
    most four queries in all; none for the rule set or the groups when the caller passes them."""
    if rule_set is _UNSET:
        rule_set = rule_set_current()
    if groups is None:
        groups = list(ComplianceGroup.objects.all())
    credits = credits_by_user(user_ids=[u.pk for u in users])
    rules = rules_of(rule_set) if rule_set else None
    result = []
    for user in users:
        if not has_obligation(user):
            result.append(DeputyStanding(user=user, group=None, standing=None, has_obligation=False))
            continue
        group = group_for(user=user, groups=groups)
        standing = None
        if rules is not None and group is not None:
            standing = mcle.standing_compute(
                credits=credits.get(user.pk, []),
                rules=rules,
                period_start=mcle.period_start_for(period_end=group.period_end, period_years=rule_set.period_years),
                period_end=group.period_end,
            )
        result.append(DeputyStanding(user=user, group=group, standing=standing))
    return result


def compliance_rows(
    *, rule_set: MCLERuleSet | None, groups: list, group_number: int | None = None, state: str = ""
) -> list[DeputyStanding]:
    """The office-wide compliance view: every deputy's standing, filtered by group and by
    "short" / "compliant"."""
    rows = standings_bulk(users=list(deputies()), rule_set=rule_set, groups=groups)
    if group_number:
        rows = [r for r in rows if r.group is not None and r.group.number == group_number]
    if state == "short":
        rows = [r for r in rows if not r.compliant]
    elif state == "compliant":
        rows = [r for r in rows if r.compliant]
    return rows


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
