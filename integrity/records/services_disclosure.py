"""Writes of the disclosure index (Brady): entries, reconsiderations and the log of what was
disclosed in which case."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE
from integrity.records.models import DisclosureEntry, DisclosureLog
from integrity.records.services import record_change_audit, record_step_add
from jcr.core.audit import audit_record, snapshot


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
