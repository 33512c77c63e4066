"""Writes of the confidential records shared by every kind of record: history steps, the audit
entry of a change, deadlines, soft deletion, retention and legal hold, and the deadline
reminders. Each service owns its transaction, writes a history step (`RecordStep`) and an
`AuditEntry` (`integrity.record.change`). The audit entry of a confidential record keeps the
names of the fields that changed, never their values (jcr.core.audit); the values and notes
live in the record and its JTI-only history steps. The writes of each kind of record are in
`services_<kind>.py`."""

from __future__ import annotations

import functools
import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE, DENIED, record_visible
from integrity.records.models import (
    DELETE,
    DELETION_FIELDS,
    HOLD_REASON,
    Allegation,
    Claim,
    DisclosureEntry,
    RecordDeadline,
    RecordOnHold,
    RecordStep,
    TestingRequest,
    receipt_number_new,
)
from jcr.accounts import roles
from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue

log = logging.getLogger(__name__)


def _record_type(record: models.Model) -> str:
    return record._meta.label_lower


def record_step_add(*, record: models.Model, step: str, actor=None, note: str = "") -> RecordStep:
    return RecordStep.objects.create(
        record_type=_record_type(record),
        record_id=record.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        step=step,
        note=note,
    )


def record_change_audit(*, record: models.Model, before: dict, actor, action: str) -> None:
    """Write the `integrity.record.change` audit entry of `record` since `before` (a snapshot),
    with the step `action`; jcr.core.audit keeps only the names of a confidential record's
    changed fields."""
    old, new = diff(before, snapshot(record))
    for noise in ("updated_at",):
        old.pop(noise, None)
        new.pop(noise, None)
    audit_record(
        action=f"integrity.record.{CHANGE}", obj=record, actor=actor, before=old, after={**new, "step": action}
    )


def record_deadline_add(*, record: models.Model, label: str, due_on: date, remind_days_before: int, remind_to=None):
    return RecordDeadline.objects.create(
        record_type=_record_type(record),
        record_id=record.pk,
        label=label,
        due_on=due_on,
        remind_on=due_on - timedelta(days=remind_days_before),
        remind_to=remind_to,
    )


def record_deadlines_meet(*, record: models.Model, label_prefix: str = "") -> int:
    qs = RecordDeadline.objects.filter(
        record_type=_record_type(record), record_id=record.pk, met_at__isnull=True, cancelled_at__isnull=True
    )
    if label_prefix:
        qs = qs.filter(label__startswith=label_prefix)
    return qs.update(met_at=timezone.now())


# --- Legal hold ---------------------------------------------------------------------------
# The rule lives here, and only here: a record on legal hold is not deleted, disposed of or
# anonymised, whatever the path (staff pages, the admin, the management command). A database
# constraint on each record's table (`integrity_<model>_hold_not_deleted`) refuses a deleted
# row on hold even to a raw update, and a pre_delete receiver (integrity.records.signals)
# refuses a hard delete. Every refused attempt is logged as `integrity.record.denied` with the
# reason `legal_hold`, the attempt (`step`), the path (`route`) and the names of the fields it
# would have changed, never their values (jcr.core.audit).

DISPOSE, ANONYMISE = "dispose", "anonymise"
# The fields that name or reach a person, blanked by anonymisation (by model label).
ANONYMISED_FIELDS = {
    "integrity.allegation": ("complainant_name", "complainant_email", "complainant_phone"),
    "integrity.claim": (
        "claimant_name",
        "claimant_contact",
        "claimant_email",
        "claimant_contact_preference",
        "counsel_name",
        "writer_name",
        "writer_relationship",
        "writer_contact",
        "writer_email",
        "writer_contact_preference",
    ),
    "integrity.testingrequest": ("petitioner", "counsel"),
    "integrity.disclosureentry": ("officer_name",),
}


# The records with a retention date and a legal hold, by the short name pages and the
# management command use.
RECORD_KINDS = {"allegation": Allegation, "claim": Claim, "testing": TestingRequest, "disclosure": DisclosureEntry}
RECORD_KINDS_BY_LABEL = {model._meta.label_lower: model for model in RECORD_KINDS.values()}


def record_for_kind(kind: str, public_id) -> models.Model | None:
    """The record of `kind` with `public_id` (deleted ones included), or None."""
    try:
        return RECORD_KINDS[kind].objects.filter(public_id=public_id).first()
    except (KeyError, ValidationError):
        return None


def attempt_fields(record: models.Model, attempt: str) -> tuple[str, ...]:
    if attempt == ANONYMISE:
        return ANONYMISED_FIELDS.get(_record_type(record), ())
    return DELETION_FIELDS


def _refuse_if_held(record: models.Model, attempt: str) -> None:
    if record.legal_hold:
        raise RecordOnHold(record=record, attempt=attempt, fields=attempt_fields(record, attempt))


def record_hold_refusal_log(exc: RecordOnHold, *, actor, route: str) -> None:
    """The `integrity.record.denied` entry of a refused attempt: the attempt, the path and the
    names of the fields, no value."""
    audit_record(
        action=f"integrity.record.{DENIED}",
        obj=exc.record,
        actor=actor,
        after={**dict.fromkeys(exc.fields, ""), "reason": HOLD_REASON, "step": exc.attempt, "route": route},
    )


def record_hold_check(*, record: models.Model, actor, attempt: str, route: str, on_hold: bool | None = None) -> None:
    """Raise RecordOnHold (logged) when `record` is on legal hold, for paths that change the
    record themselves (the admin's change form). Call it on the stored row; `on_hold` says the
    hold is being set in the same change."""
    try:
        if on_hold:
            raise RecordOnHold(record=record, attempt=attempt, fields=attempt_fields(record, attempt))
        _refuse_if_held(record, attempt)
    except RecordOnHold as exc:
        record_hold_refusal_log(exc, actor=actor, route=route)
        raise


def _hold_refusals_logged(service):
    """Log the refusal of `service` outside its own transaction (which the refusal rolls back),
    then let it go on to the caller."""

    @functools.wraps(service)
    def wrapper(*, actor, route: str = "service", **kwargs):
        try:
            return service(actor=actor, **kwargs)
        except RecordOnHold as exc:
            record_hold_refusal_log(exc, actor=actor, route=route)
            raise

    return wrapper


@_hold_refusals_logged
@transaction.atomic
def record_soft_delete(*, record: models.Model, actor, reason: str) -> None:
    """Mark a record deleted (it stays in the database). Refused under legal hold."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _refuse_if_held(record, DELETE)
    if not reason.strip():
        raise ValidationError(_("Give a reason for deleting this record."))
    before = snapshot(record)
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    record_step_add(record=record, step="deleted", actor=actor, note=reason)
    record_change_audit(record=record, before=before, actor=actor, action="deleted")


@_hold_refusals_logged
@transaction.atomic
def record_dispose(*, record: models.Model, actor, note: str = "", today: date | None = None) -> None:
    """Dispose of a record whose retention date has passed, as a records officer approved:
    it is marked deleted (the row stays) with the step "disposed". Refused under legal hold."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _refuse_if_held(record, DISPOSE)
    if record.is_deleted:
        raise ValidationError(_("This record was deleted."))
    today = today or timezone.localdate()
    if record.retention_until is None or record.retention_until >= today:
        raise ValidationError(_("This record's retention date has not passed."))
    before = snapshot(record)
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    record_step_add(record=record, step="disposed", actor=actor, note=note.strip())
    record_change_audit(record=record, before=before, actor=actor, action="disposed")


@_hold_refusals_logged
@transaction.atomic
def record_anonymise(*, record: models.Model, actor, reason: str) -> list[str]:
    """Blank the fields of a record that name or reach a person (ANONYMISED_FIELDS); returns
    their names. Refused under legal hold."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _refuse_if_held(record, ANONYMISE)
    if not reason.strip():
        raise ValidationError(_("Give a reason for anonymising this record."))
    fields = [f for f in ANONYMISED_FIELDS.get(_record_type(record), ()) if hasattr(record, f)]
    before = snapshot(record)
    for name in fields:
        setattr(record, name, "")
    record.save(update_fields=[*fields, "updated_at"])
    record_step_add(record=record, step="anonymised", actor=actor, note=reason.strip())
    record_change_audit(record=record, before=before, actor=actor, action="anonymised")
    return fields


def receipt_number_unique(model, prefix: str) -> str:
    """A receipt number with `prefix` that no row of `model` carries yet."""
    for _attempt in range(10):
        number = receipt_number_new(prefix)
        if not model.objects.filter(receipt_number=number).exists():
            return number
    raise RuntimeError("could not draw a free receipt number")  # pragma: no cover


# --- Deadline reminders -------------------------------------------------------------------


def record_deadline_reminders_send(*, today: date | None = None) -> int:
    """Send every due reminder once. Each row is claimed by a conditional UPDATE that must
    touch exactly one row (a second worker finds it claimed). The e-mail is queued in the
    same transaction as the claim, so a crash loses neither: at most once per deadline."""
    today = today or timezone.localdate()
    open_ = {"reminded_at__isnull": True, "met_at__isnull": True, "cancelled_at__isnull": True}

    def run(deadline: RecordDeadline) -> bool:
        for email in _reminder_recipients(deadline):
            email_queue(
                to=email,
                template="integrity/record_deadline",
                context={"label": deadline.label, "due_on": deadline.due_on},
                language=settings.LANGUAGE_CODE,
                related=deadline,
            )
        return True

    outcomes = work.run_each_due(
        RecordDeadline.objects.filter(remind_on__lte=today, **open_),
        lambda pk: work.claim_and_run(
            RecordDeadline.objects.select_related("remind_to"),
            pk,
            where=open_,
            claim={"reminded_at": timezone.now()},
            run=run,
        ),
    )
    return outcomes[True]


def _reminder_recipients(deadline: RecordDeadline) -> list[str]:
    """The person the deadline names, else (or when a conflict wall now keeps them from the
    record, or they left) the JTI Chiefs whom no wall keeps from it."""
    record = RECORD_KINDS_BY_LABEL.get(deadline.record_type)
    record = record.objects.filter(pk=deadline.record_id).first() if record else None

    def may_read(user) -> bool:
        return record is None or record_visible(user=user, record=record)

    person = deadline.remind_to
    if person is not None and person.is_active and person.email and may_read(person):
        return [person.email]
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=roles.JTI_CHIEF), is_active=True, is_staff=True)
        .exclude(email="")
    )
    return sorted({u.email for u in users if may_read(u)})
