"""A record on legal hold is never deleted from the database. The ORM refuses first
(`ConfidentialRecord.delete` and the records' QuerySet `delete` / `update(is_deleted=True)`,
integrity.records.models) and sends `hold_refused`, logged here like every refused attempt;
`pre_delete` is the ORM's last word (it is sent for every row a delete collects, cascades
included), and a database trigger on each table refuses a raw SQL DELETE (integrity
migration `0015_retention_schedules`)."""

from __future__ import annotations

from django.db.models.signals import pre_delete

from integrity.records.models import DELETE, RecordOnHold, hold_refused
from integrity.records.retention import RETAINED_MODELS
from integrity.records.services import attempt_fields, record_hold_refusal_log

HELD_MODELS = RETAINED_MODELS


def refuse_held_delete(sender, instance, **kwargs) -> None:
    if instance.legal_hold:
        raise RecordOnHold(record=instance, attempt=DELETE, fields=attempt_fields(instance, DELETE))


def log_hold_refusal(sender, record, attempt, route, **kwargs) -> None:
    exc = RecordOnHold(record=record, attempt=attempt, fields=attempt_fields(record, attempt))
    record_hold_refusal_log(exc, actor=None, route=route)


def connect() -> None:
    hold_refused.connect(log_hold_refusal, dispatch_uid="integrity.hold.refused")
    for model in HELD_MODELS:
        pre_delete.connect(refuse_held_delete, sender=model, dispatch_uid=f"integrity.hold.{model._meta.model_name}")
