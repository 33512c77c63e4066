"""The one helper services call to keep history: `audit_record(...)` inside their transaction.

Confidential objects. A model declares itself confidential with a class attribute
`confidential_permission = "<app>.<codename>"` (the permission that may read it). For such an
object the history keeps who, when, what kind of change and *which fields* changed, never the
values: `before` is left empty and `after` becomes `{"fields": [...]}` plus the few keys in
`CONFIDENTIAL_KEPT_KEYS` (the kind of step, a row count, the stated reason of a read or an
export). `object_repr` is the object's `__str__`, which for these models names no person.
Entries about confidential objects are shown only to holders of the permission
(`audit_entries_visible_to`); a model may also name objects a holder must not see (a conflict
wall) with a classmethod `confidential_hidden_keys(user)` returning a queryset of object ids.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet

from jcr.core.context import current
from jcr.core.models import AuditEntry

SECRET_FIELDS = frozenset({"password", "secret", "token", "data"})
# What an entry about a confidential object may keep besides the changed field names: the kind
# of step (a status code), a count of rows, which attachment was downloaded (an internal id),
# and for the access log (reads, lists, exports, refusals) the route, the method, the filters
# applied, and the reason stated or the reason for a refusal. Entries about confidential
# objects are shown only to holders of the object's permission (`audit_entries_visible_to`).
CONFIDENTIAL_KEPT_KEYS = frozenset({"step", "rows", "created", "attachment", "download"})
ACCESS_ACTIONS = ("view", "export", "list", "denied", "lookup")
ACCESS_KEPT_KEYS = frozenset({"reason", "route", "method", "filters", "answer"})


def confidential_permission(model: type[models.Model] | models.Model | None) -> str:
    """The permission that may read `model` when it is confidential, else ""."""
    return (getattr(model, "confidential_permission", "") or "") if model is not None else ""


@functools.cache
def confidential_models() -> dict[str, type[models.Model]]:
    """Every confidential model by its label (`app.model`). Read once the registry is ready
    (before that, `apps.get_models` raises, so nothing incomplete is cached)."""
    return {m._meta.label_lower: m for m in apps.get_models() if confidential_permission(m)}


def confidential_type_permission(object_type: str) -> str:
    """The permission that may read objects of `object_type` ("" when not confidential)."""
    return confidential_permission(confidential_models().get(object_type))


def confidential_fields_only(*, action: str, before: dict | None, after: dict | None) -> tuple[None, dict | None]:
    """(before, after) for a confidential object: the names of the fields, no value."""
    access = action.rsplit(".", 1)[-1] in ACCESS_ACTIONS
    kept_keys = CONFIDENTIAL_KEPT_KEYS | (ACCESS_KEPT_KEYS if access else frozenset())
    fields = sorted({str(k) for k in (before or {}) | (after or {})} - kept_keys - {"reason"})
    kept = {k: v for k, v in (after or {}).items() if k in kept_keys}
    if not fields and not kept:
        return None, None
    return None, ({"fields": fields} if fields else {}) | kept


def audit_entries_visible_to(*, user, queryset: QuerySet[AuditEntry] | None = None) -> QuerySet[AuditEntry]:
    """The entries `user` may read: none about a confidential object without its permission,
    none about an object the model hides from them (a conflict wall)."""
    qs = AuditEntry.objects.all() if queryset is None else queryset
    denied = []
    for label, model in confidential_models().items():
        if not user.has_perm(confidential_permission(model)):
            denied.append(label)
        elif (hidden := confidential_hidden_keys(model, user)) is not None:
            qs = qs.exclude(object_type=label, object_id__in=hidden)
    return qs.exclude(object_type__in=denied) if denied else qs


def confidential_hidden_keys(model: type[models.Model], user) -> QuerySet | None:
    """The ids (as audit entries and e-mail rows keep them) of the objects of `model` that
    `user` may not see although they hold its permission, or None when there are none."""
    hook = getattr(model, "confidential_hidden_keys", None)
    return hook(user) if hook is not None else None


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
    if confidential_permission(obj) or (object_type and confidential_type_permission(object_type)):
        before, after = confidential_fields_only(action=action, before=before, after=after)
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
