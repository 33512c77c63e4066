"""The one helper services call to keep history: `audit_record(...)` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from jcr.core.context import current
from jcr.core.models import AuditEntry

SECRET_FIELDS = frozenset({"password", "secret", "token", "data"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(obj: models.Model, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, secrets left out."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name in exclude:
            continue
        data[field.attname] = _jsonable(field.value_from_object(obj))
    return data


def object_key(obj: models.Model) -> str:
    return str(getattr(obj, "public_id", None) or obj.pk or "")


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Append one history entry. Call it inside the service's transaction.

    `actor` defaults to the user of the current request (None in workers: the system).
    `before`/`after` are dicts of the values that changed (see `snapshot`).
    """
    ctx = current.get()
    if actor is None and ctx.user_id:
        actor_id, actor_label = ctx.user_id, ctx.user_label
    elif actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_label = actor.pk, getattr(actor, "email", str(actor))
    else:
        actor_id, actor_label = None, ""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or object_key(obj)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_label=actor_label[:254],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values changed, as (before, after)."""
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
