"""A record on legal hold is never deleted from the database: `Model.delete()` and
`QuerySet.delete()` both send `pre_delete` for these models, and the receiver refuses (the
foreign keys that PROTECT the records' children stop most deletes already; this one holds for
a record without children too)."""

from __future__ import annotations

from django.db.models.signals import pre_delete

from integrity.records.models import Allegation, Claim, DisclosureEntry, TestingRequest
from integrity.records.services import DELETE, RecordOnHold, attempt_fields

HELD_MODELS = (Allegation, Claim, TestingRequest, DisclosureEntry)


def refuse_held_delete(sender, instance, **kwargs) -> None:
    if instance.legal_hold:
        raise RecordOnHold(record=instance, attempt=DELETE, fields=attempt_fields(instance, DELETE))


def connect() -> None:
    for model in HELD_MODELS:
        pre_delete.connect(refuse_held_delete, sender=model, dispatch_uid=f"integrity.hold.{model._meta.model_name}")
