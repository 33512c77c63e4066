"""Reads of public records requests: the clocks (from the rules registry, the version in force
on the day the request was received), the staff queue, the requester's status page and the
release log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from integrity.publicrecords.models import (
    DETERMINATION_RULE,
    EXTENSION_RULE,
    PublicRecordsRequest,
    Release,
    UnusualCircumstance,
)
from integrity.rules.models import LegalRule
from integrity.rules.selectors import period_end, rule_in_force

PAGE_SIZE = 50


def determination_due(received_on: date) -> tuple[date, LegalRule]:
    """Gov. Code § 7922.535(a) (former § 6253(c)): the determination is due within the rule's
    days of receipt (the day of receipt excluded), with the version in force on that day; its
    "roll" parameter says whether a last day on a weekend or judicial holiday moves to the next
    court day. Raises rules.selectors.RuleNotInForce when no version was in force."""
    rule = rule_in_force(DETERMINATION_RULE, received_on)
    return period_end(rule, received_on), rule


def extension_rule(received_on: date) -> LegalRule:
    return rule_in_force(EXTENSION_RULE, received_on)


def extension_reasons(rule: LegalRule) -> list[tuple[str, str]]:
    """The unusual circumstances `rule` allows, as (code, label) choices."""
    labels = dict(UnusualCircumstance.choices)
    return [(code, labels.get(code, code)) for code in rule.parameters.get("reasons", [])]


def extended_due(request: PublicRecordsRequest, rule: LegalRule) -> date:
    """Gov. Code § 7922.535(b): at most the rule's days more, counted from the last day of the
    determination period before any rolling (the earlier reading), then rolled as the rule says."""
    unrolled = period_end(request.determination_rule, request.received_on, roll=False)
    return period_end(rule, unrolled)


def request_queue(*, status: str = "", mine_of=None, overdue: bool = False, today: date) -> QuerySet:
    """Staff queue: open requests awaiting a determination first, by the day it is due (so the
    overdue ones come first), then the others."""
    rows = PublicRecordsRequest.objects.select_related("assigned_to").annotate(
        awaiting=Case(
            When(status__in=["received", "extended"], then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    if status == "open":
        rows = rows.exclude(status=PublicRecordsRequest.Status.CLOSED)
    elif status in PublicRecordsRequest.Status.values:
        rows = rows.filter(status=status)
    if mine_of is not None:
        rows = rows.filter(assigned_to=mine_of)
    if overdue:
        rows = rows.filter(status__in=["received", "extended"]).filter(
            Q(extended_due__lt=today) | Q(extended_due__isnull=True, determination_due__lt=today)
        )
    return rows.order_by("awaiting", "determination_due", "id")


def request_for_staff(public_id) -> PublicRecordsRequest:
    return (
        PublicRecordsRequest.objects.select_related("determination_rule", "extension_rule", "assigned_to", "entered_by")
        .prefetch_related("gathered", "redactions__record", "releases", "steps__actor")
        .get(public_id=public_id)
    )


@dataclass(frozen=True)
class PublicStatus:
    """Everything the requester's status page shows: the status and the clock, nothing else."""

    tracking_code: str
    received_on: date
    label: str
    due_on: date | None
    extended: bool
    rule: LegalRule | None


def public_status(tracking_code: str) -> PublicStatus | None:
    request = (
        PublicRecordsRequest.objects.select_related("determination_rule", "extension_rule")
        .filter(tracking_code=tracking_code)
        .first()
    )
    if request is None:
        return None
    status, waiting = request.status, request.awaits_determination
    if status == PublicRecordsRequest.Status.RELEASED:
        last = request.releases.order_by("-released_on", "-id").first()
        label = PUBLIC_LABELS["released_" + (last.scope if last else "full")]
    elif status == PublicRecordsRequest.Status.CLOSED:
        label = PUBLIC_LABELS["closed"]
    elif status == PublicRecordsRequest.Status.DETERMINED:
        label = PUBLIC_LABELS["determined_" + request.determination]
    elif status == PublicRecordsRequest.Status.EXTENDED:
        label = PUBLIC_LABELS["extended"]
    else:
        label = PUBLIC_LABELS["received"]
    extended = bool(request.extended_due)
    return PublicStatus(
        tracking_code=request.tracking_code,
        received_on=request.received_on,
        label=label,
        due_on=request.due_on if waiting else None,
        extended=extended and waiting,
        rule=(request.extension_rule if extended else request.determination_rule) if waiting else None,
    )


PUBLIC_LABELS = {
    "received": _("Received: a determination is due"),
    "extended": _("Time extended: a determination is due"),
    "determined_whole": _("Determination sent: the records are disclosable"),
    "determined_part": _("Determination sent: the records are disclosable in part"),
    "determined_not_disclosable": _("Determination sent: the records are not disclosable (denied)"),
    "determined_no_records": _("Determination sent: no responsive records were found"),
    "released_full": _("Records released in whole"),
    "released_partial": _("Records released in part"),
    "closed": _("Closed"),
}


def release_log(*, since: date | None = None, until: date | None = None) -> QuerySet:
    rows = Release.objects.select_related("request", "released_by").order_by("-released_on", "-id")
    if since:
        rows = rows.filter(released_on__gte=since)
    if until:
        rows = rows.filter(released_on__lte=until)
    return rows
