"""Writes of the triage queue: each person's saved filters and the bulk actions on the rows they
select (assign, status with a public update, priority). A bulk action is the single action
applied concern by concern: each concern is checked, changed and audited on its own, and one
that may not be changed is skipped and reported instead of failing the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record
from prosecution.concerns import services_desk
from prosecution.concerns.models import Concern
from prosecution.concerns.models_queue import SavedQueueFilter
from prosecution.concerns.permissions import concern_list_visible_to
from prosecution.concerns.queue import filter_params

BULK_MAX = 200
CHANGE = "prosecution.change_concern"


@transaction.atomic
def queue_filters_save(*, user, data) -> SavedQueueFilter:
    """Save the filters in `data` (a query string or POST) as `user`'s queue filters."""
    params = filter_params(data)
    row, _created = SavedQueueFilter.objects.update_or_create(user=user, defaults={"params": params})
    audit_record(action="prosecution.queue.filters_saved", obj=row, actor=user, after={"params": params})
    return row


@transaction.atomic
def queue_filters_reset(*, user) -> bool:
    """Forget `user`'s saved filters; False when there were none."""
    deleted, _rows = SavedQueueFilter.objects.filter(user=user).delete()
    if deleted:
        audit_record(action="prosecution.queue.filters_reset", actor=user, object_type="savedqueuefilter")
    return bool(deleted)


@dataclass
class BulkResult:
    changed: list[str] = field(default_factory=list)  # tracking codes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (tracking code, why)
    missing: int = 0  # selected rows the person cannot see (or that no longer exist)


def _selected(*, user, public_ids: list[UUID]) -> tuple[list[Concern], int]:
    wanted = list(dict.fromkeys(public_ids))[:BULK_MAX]
    found = list(concern_list_visible_to(user=user).filter(public_id__in=wanted).order_by("pk"))
    return found, len(wanted) - len(found)


def concerns_bulk_apply(*, user, public_ids: list[UUID], action: str, **values) -> BulkResult:
    """Apply one queue action to every selected concern `user` may change.

    action "assign": values assignee (a User or None); "priority": values priority;
    "status": values status, public_text (the update each reporter receives), close_reason.
    Each concern goes through the same service as on its own page (one transaction, one audit
    entry each); a concern the person may not change, or that refuses the change (a
    transition its lifecycle does not allow), is skipped with the reason.
    """
    concerns, missing = _selected(user=user, public_ids=public_ids)
    result = BulkResult(missing=missing)
    may_change = user.has_perm(CHANGE)
    for concern in concerns:
        if not may_change:
            result.skipped.append((concern.tracking_code, _("you may only read it")))
            continue
        try:
            _apply_one(concern=concern, user=user, action=action, values=values)
        except ValidationError as exc:
            result.skipped.append((concern.tracking_code, " ".join(exc.messages)))
        else:
            result.changed.append(concern.tracking_code)
    return result


def _apply_one(*, concern: Concern, user, action: str, values: dict) -> None:
    if action == "assign":
        assignee = values.get("assignee")
        if assignee is not None and concern.assignee_id == assignee.pk:
            raise ValidationError(_("already assigned to that person"))
        services_desk.concern_assign(concern=concern, assignee=assignee, actor=user)
    elif action == "priority":
        if concern.priority == values["priority"]:
            raise ValidationError(_("already at that priority"))
        services_desk.concern_set_priority(concern=concern, priority=values["priority"], actor=user)
    elif action == "status":
        services_desk.concern_set_status(
            concern=concern,
            status=values["status"],
            actor=user,
            public_text=values.get("public_text", ""),
            close_reason=values.get("close_reason", ""),
        )
    else:
        raise ValidationError(_("Unknown action."))
