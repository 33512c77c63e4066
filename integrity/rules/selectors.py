"""Reads of the legal rules registry: the version of a rule in force on the date of the
triggering event, the judicial holidays, and the due dates computed from them."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from integrity.rules import courtdays
from integrity.rules.models import JudicialHoliday, LegalRule

PC1405_RESPONSE = "pc1405-response"
PC1405_BRIEFING = "pc1405-briefing-extension"


class RuleNotInForce(ValidationError):
    """No version of the rule was in force on the date asked about."""


def rule_in_force(code: str, on: date) -> LegalRule:
    """The version of rule `code` in force on `on` (the triggering event's date). Raises
    RuleNotInForce, naming the rule and the date, when none was."""
    rule = (
        LegalRule.objects.filter(code=code, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("verified_by")
        .order_by("-effective_from", "-version")
        .first()
    )
    if rule is None:
        raise RuleNotInForce(
            _(
                "No version of the rule “%(code)s” was in force on %(day)s: "
                "ask the JTI Chief to add it to the rules registry."
            )
            % {"code": code, "day": on.isoformat()}
        )
    return rule


def rule_versions(code: str):
    return LegalRule.objects.filter(code=code).order_by("-effective_from", "-version")


def judicial_holiday_dates(start: date, end: date) -> frozenset[date]:
    return frozenset(JudicialHoliday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def period_end(rule: LegalRule, start: date, *, roll: bool | None = None) -> date:
    """The last day of `rule`'s period counted from `start`, with the holidays in the registry."""
    params = rule.parameters
    # Wide enough for any period: a court-day count never needs more than twice its days.
    # (Counted in days, not by replacing the year: a start on 29 February has no such day a year on.)
    holidays = judicial_holiday_dates(start, start + timedelta(days=366 * (1 + params["days"] // 180)))
    return courtdays.add_days(
        start,
        params["days"],
        count=params["count"],
        holidays=holidays,
        roll=params.get("roll", True) if roll is None else roll,
    )


def pc1405_response_due(
    *, served_ag_on: date, served_da_on: date, briefing_extension: bool = False
) -> tuple[date, LegalRule, LegalRule | None]:
    """Pen. Code § 1405: the response is due within the rule's days "of the date on which the
    Attorney General and the district attorney are served with the motion" — counted from the
    later of the two service dates, with the version in force on that date. When either party
    requests the additional briefing time, the extension's days are added from the last day of
    the response period (before rolling to a court day: the earlier, safer reading), and the
    result rolls to the next court day. Returns (due date, response rule, extension rule)."""
    both_served = max(served_ag_on, served_da_on)
    response = rule_in_force(PC1405_RESPONSE, both_served)
    if not briefing_extension:
        return period_end(response, both_served), response, None
    extension = rule_in_force(PC1405_BRIEFING, both_served)
    unrolled = period_end(response, both_served, roll=False)
    return period_end(extension, unrolled), response, extension
