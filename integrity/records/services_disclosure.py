"""Writes of the disclosure index (Brady): entries, reconsiderations and the log of what was
disclosed in which case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE, LOOKUP
from integrity.records.models import DisclosureEntry, DisclosureLog
from integrity.records.retention import retention_refresh
from integrity.records.selectors import (
    badge_number_key,
    disclosure_entry_exists_for,
    officer_lookup_problem,
    officer_name_key,
)
from integrity.records.services import record_change_audit, record_step_add
from jcr.core.abuse import rate_limit_check
from jcr.core.audit import audit_record, snapshot

LOOKUP_SCOPE = "disclosure_lookup"
# The answers of an officer lookup (kept in the access log as `answer`).
LOOKUP_ENTRY, LOOKUP_NONE, LOOKUP_INVALID, LOOKUP_LIMITED = "entry", "none", "invalid", "rate_limited"


@dataclass(frozen=True)
class LookupAnswer:
    answer: str
    problem: str = ""
    retry_after: int = 0

    @property
    def found(self) -> bool:
        return self.answer == LOOKUP_ENTRY


@transaction.atomic
def disclosure_lookup(*, actor, ip: str | None, name: str = "", badge: str = "", agency: str = "") -> LookupAnswer:
    """Answer a prosecutor's question "does this officer have a disclosure index entry?"
    with yes or no only, never the entry. Every attempt counts against the
    `disclosure_lookup` rate limits (per person and per client address) and is written to
    the access log (`integrity.record.lookup`): who, what was asked (the name or badge as
    compared, the agency) and the answer given; never an entry's id or content."""
    name, badge, agency = name.strip()[:150], badge.strip()[:30], agency.strip()[:150]
    asked = {"name": officer_name_key(name), "badge": badge_number_key(badge), "agency": agency}
    asked = {key: value for key, value in asked.items() if value}
    retry_after = rate_limit_check(scope=LOOKUP_SCOPE, ip=ip, email=f"user-{actor.pk}")
    problem = officer_lookup_problem(name=name, badge=badge)
    if retry_after:
        result = LookupAnswer(LOOKUP_LIMITED, retry_after=retry_after)
    elif problem:
        result = LookupAnswer(LOOKUP_INVALID, problem=problem)
    else:
        found = disclosure_entry_exists_for(name=name, badge=badge, agency=agency)
        result = LookupAnswer(LOOKUP_ENTRY if found else LOOKUP_NONE)
    audit_record(
        action=f"integrity.record.{LOOKUP}",
        actor=actor,
        object_type=DisclosureEntry._meta.label_lower,
        object_id="",
        after={"route": "integrity:disclosure_lookup", "filters": asked, "answer": result.answer},
    )
    return result


@transaction.atomic
def disclosure_entry_create(*, actor, **fields) -> DisclosureEntry:
    entry = DisclosureEntry(**fields)
    entry.full_clean()
    entry.save()
    record_step_add(record=entry, step="created", actor=actor)
    audit_record(action=f"integrity.record.{CHANGE}", obj=entry, actor=actor, after={"created": True})
    return entry


@transaction.atomic
def disclosure_reconsider(*, entry: DisclosureEntry, decision: str, text: str, actor) -> DisclosureEntry:
    """Record a reconsideration: "pending" when requested, then "upheld" or "removed"
    (removal makes the entry inactive)."""
    entry = DisclosureEntry.objects.select_for_update().get(pk=entry.pk)
    allowed = {
        DisclosureEntry.Reconsideration.NONE: {DisclosureEntry.Reconsideration.PENDING},
        DisclosureEntry.Reconsideration.PENDING: {
            DisclosureEntry.Reconsideration.UPHELD,
            DisclosureEntry.Reconsideration.REMOVED,
        },
    }.get(entry.reconsideration, set())
    if decision not in allowed:
        raise ValidationError(_("This reconsideration step is not possible now."))
    before = snapshot(entry)
    entry.reconsideration = decision
    if decision != DisclosureEntry.Reconsideration.PENDING:
        entry.reconsideration_decision = text.strip()
    if decision == DisclosureEntry.Reconsideration.REMOVED:
        entry.is_active = False
    entry.save()
    record_step_add(record=entry, step=f"reconsideration:{decision}", actor=actor, note=text)
    record_change_audit(record=entry, before=before, actor=actor, action="reconsideration")
    retention_refresh(entry)  # a closed record starts its retention period
    return entry


@transaction.atomic
def disclosure_log_add(
    *, entry: DisclosureEntry, case_number: str, disclosed_on: date, disclosed_to: str, note: str = "", actor
) -> DisclosureLog:
    if not entry.is_active:
        raise ValidationError(_("This index entry was removed; it is no longer disclosed."))
    row = DisclosureLog.objects.create(
        entry=entry, case_number=case_number.strip(), disclosed_on=disclosed_on, disclosed_to=disclosed_to, note=note
    )
    record_step_add(record=entry, step="disclosed", actor=actor, note=case_number)
    audit_record(
        action=f"integrity.record.{CHANGE}", obj=entry, actor=actor, after={"disclosures": None, "step": "disclosed"}
    )
    return row
