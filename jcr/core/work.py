"""Background work as rows with a status (see ARCHITECTURE.md).

Every delivery (an e-mail, a reminder, a channel post) is a `WorkItem` row. The pattern:

* the service that creates the row calls `enqueue_on_commit(...)` with the task's name: the task
  is handed to the broker only after the row is committed, and a broker failure there is
  logged, not raised (`delay_on_commit(...)` does the same for a task that is not about a row);
* a beat task calls `dispatch_due(...)` every minute: it deals with rows stuck in flight and
  enqueues due rows that were never handed over (or were lost), so an outage only delays work;
* the task calls `claim(...)`: a conditional UPDATE that must touch exactly one row, so a
  redelivered message is a no-op; then `complete(...)` or `retry_or_fail(...)`.

Reminders sent by a beat pass rather than by a task per row use `claim_and_run(...)` for each
row (the claim and the send share one transaction) and `run_each_due(...)` for the pass.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Hashable
from datetime import timedelta
from importlib import import_module
from typing import Any, TypeVar

from celery import current_app
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from jcr.core.models import WorkItem

log = logging.getLogger(__name__)

W = TypeVar("W", bound=WorkItem)
M = TypeVar("M", bound=models.Model)
R = TypeVar("R")
Status = WorkItem.Status


def task_named(name: str):
    """The Celery task registered as `name`.

    Task names are `<package>.<function>`, the function living in `<package>.tasks`
    ("outreach.social.delivery_publish" is in outreach/social/tasks.py). Services name the
    task they enqueue instead of importing its module: tasks import services, never the
    reverse, so there is no import circle. Raises KeyError at once for an unknown name.
    """
    import_module(f"{name.rsplit('.', 1)[0]}.tasks")
    return current_app.tasks[name]


def _apply(name: str, kwargs: dict[str, Any]) -> bool:
    """Hand one task to the broker. A broker that is down is logged, not raised."""
    try:
        task_named(name).apply_async(kwargs=kwargs, retry=False)
    except Exception:
        log.warning("broker unavailable: %s(%s) not enqueued", name, sorted(kwargs), exc_info=True)
        return False
    return True


def _send(task: str, model: type[WorkItem], pk: int, id_kwarg: str) -> bool:
    """Hand one row to the broker; on failure the row stays pending and the sweep retries."""
    if not _apply(task, {id_kwarg: pk}):
        return False
    model.objects.filter(pk=pk).update(enqueued_at=timezone.now())
    return True


def enqueue_on_commit(task: str, model: type[WorkItem], pk: int, *, id_kwarg: str) -> None:
    """After the current transaction commits, hand row `pk` to the task named `task`."""
    task_named(task)  # an unknown name fails here, inside the service, not after the commit
    transaction.on_commit(lambda: _send(task, model, pk, id_kwarg))


def delay_on_commit(task: str, **kwargs: Any) -> None:
    """After the current transaction commits, run the task named `task` with `kwargs` (ids,
    JSON only). For work that is not a WorkItem row; a broker failure is logged, and the
    caller's own sweep (if any) is what retries it."""
    task_named(task)
    transaction.on_commit(lambda: _apply(task, kwargs))


def claim(model: type[W], pk: int) -> W | None:
    """Take row `pk` for this worker. Returns the row, or None when it is not ours to do
    (already done, cancelled, not yet due, or in flight elsewhere)."""
    now = timezone.now()
    claimed = model.objects.filter(pk=pk, status=Status.PENDING, due_at__lte=now).update(
        status=Status.IN_FLIGHT, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    return model.objects.get(pk=pk)


def complete(item: WorkItem, **fields) -> None:
    now = timezone.now()
    type(item).objects.filter(pk=item.pk, status=Status.IN_FLIGHT).update(
        status=Status.DONE, finished_at=now, last_error="", **fields
    )


def retry_or_fail(item: WorkItem, *, error: str, permanent: bool = False) -> str:
    """Record a failed attempt: back to PENDING after the next delay of the row's retry
    schedule, or FAILED when the error is permanent or the attempts are used up.
    Returns the new status."""
    model = type(item)
    schedule = model.RETRY_SCHEDULE
    if permanent or item.attempts >= model.max_attempts():
        status, due_at = Status.FAILED, item.due_at
    else:
        delay = schedule[min(item.attempts, len(schedule)) - 1] if item.attempts else schedule[0]
        status, due_at = Status.PENDING, timezone.now() + timedelta(seconds=delay)
    model.objects.filter(pk=item.pk, status=Status.IN_FLIGHT).update(
        status=status,
        due_at=due_at,
        last_error=error[:2000],
        finished_at=timezone.now() if status == Status.FAILED else None,
        enqueued_at=None,
    )
    return status


def dispatch_due(
    model: type[WorkItem], task: str, *, id_kwarg: str, limit: int = 500, on_flagged: Callable | None = None
) -> dict[str, int]:
    """The minute sweep for one kind of row. Returns counts for logging and tests.

    Rows in flight for longer than `model.STUCK_AFTER` are put back (STUCK_POLICY "retry") or
    handed to a person (NEEDS_CHECK). Due PENDING rows that were never enqueued, or were
    enqueued more than REENQUEUE_AFTER ago and are still pending, are enqueued.
    """
    now = timezone.now()
    stuck = model.objects.filter(status=Status.IN_FLIGHT, claimed_at__lt=now - model.STUCK_AFTER)
    if model.STUCK_POLICY == "retry":
        reset = stuck.update(status=Status.PENDING, enqueued_at=None, last_error="worker did not finish")
        flagged = 0
    else:
        flagged_ids = list(stuck.values_list("pk", flat=True))
        flagged = model.objects.filter(pk__in=flagged_ids, status=Status.IN_FLIGHT).update(
            status=Status.NEEDS_CHECK, last_error="worker did not finish: check on the platform"
        )
        if on_flagged:
            for pk in flagged_ids:
                on_flagged(pk)
        reset = 0
    due_ids = list(
        model.objects.filter(status=Status.PENDING, due_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - model.REENQUEUE_AFTER))
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(1 for pk in due_ids if _send(task, model, pk, id_kwarg))
    return {"enqueued": sent, "due": len(due_ids), "reset": reset, "flagged": flagged}


def claim_and_run(
    rows: QuerySet[M], pk: int, *, where: dict[str, Any], claim: dict[str, Any], run: Callable[[M], R]
) -> R | None:
    """Claim row `pk` and act on it, in one transaction.

    The claim is the conditional UPDATE `rows.model.objects.filter(pk=pk, **where).update(**claim)`,
    which must touch exactly one row: a second worker, or a redelivered message, finds the row
    claimed and gets None. Otherwise the row is read from `rows` (which may select related
    rows) and `run(row)` decides: send, skip, or put it back; its return value is returned.
    If `run` raises, the claim is rolled back with everything else, so the row is left as it
    was for the next pass to retry.
    """
    with transaction.atomic():
        if rows.model.objects.filter(pk=pk, **where).update(**claim) != 1:
            return None
        return run(rows.get(pk=pk))


def run_each_due(due: QuerySet, send_one: Callable[[int], Hashable], *, limit: int | None = None) -> Counter:
    """A beat pass over rows that may be due: `send_one(pk)` for each row of `due` (at most
    `limit`), which claims the row itself. Returns how many calls gave each outcome (None
    for rows another worker had claimed)."""
    ids = due.values_list("pk", flat=True)
    if limit is not None:
        ids = ids[:limit]
    return Counter(send_one(pk) for pk in list(ids))
