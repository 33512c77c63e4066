"""A record's retention date, computed from the retention schedule in force for its kind and
the record's trigger date (received, last updated, closed, or underlying case final), never
typed. Staff may extend it (`retention_extended_until`, with a reason); the later of the two
dates wins, so nobody shortens a record's life below its schedule.

`retention_refresh` stores the result on the record (with a conditional UPDATE that touches no
other field); the services that close a record call it, the monthly disposition run refreshes
every record first, and saving a schedule refreshes its kind of record.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from integrity.records.models import Allegation, Claim, DisclosureEntry, TestingRequest
from integrity.records.models_retention import RetentionSchedule

RETAINED_MODELS: tuple[type[models.Model], ...] = (Allegation, Claim, TestingRequest, DisclosureEntry)

# When a record counts as closed (its `closed_on` is set the first time it is seen closed).
CLOSED_WHEN: dict[str, Callable[[models.Model], bool]] = {
    "integrity.allegation": lambda r: r.status == Allegation.Status.CLOSED,
    "integrity.claim": lambda r: r.status == Claim.Status.DISPOSED,
    "integrity.testingrequest": lambda r: r.status == TestingRequest.Status.CLOSED,
    "integrity.disclosureentry": lambda r: not r.is_active,
}


def add_months(day: date, months: int) -> date:
    """`day` plus `months` months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedules_in_force(on: date | None = None) -> dict[str, RetentionSchedule]:
    """The schedule in force on `on` for each kind of record (the latest to start, when two overlap)."""
    on = on or timezone.localdate()
    found: dict[str, RetentionSchedule] = {}
    qs = RetentionSchedule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    for schedule in qs.order_by("record_type", "-effective_from", "-id"):
        found.setdefault(schedule.record_type, schedule)
    return found


def trigger_date(record: models.Model, trigger: str) -> date | None:
    if trigger == RetentionSchedule.Trigger.CREATED:
        return timezone.localdate(record.created_at)
    if trigger == RetentionSchedule.Trigger.LAST_UPDATE:
        return timezone.localdate(record.updated_at)
    if trigger == RetentionSchedule.Trigger.CLOSED:
        return record.closed_on
    if trigger == RetentionSchedule.Trigger.CASE_FINAL:
        return record.case_final_on
    return None


def scheduled_until(record: models.Model, schedule: RetentionSchedule | None) -> date | None:
    """The last day the schedule keeps `record` (None: no schedule, or its trigger has not happened)."""
    if schedule is None:
        return None
    start = trigger_date(record, schedule.trigger)
    if start is None:
        return None
    return add_months(start, schedule.period_years * 12 + schedule.period_months)


def retention_compute(record: models.Model, schedules: dict[str, RetentionSchedule] | None = None):
    """(schedule, retention date) of `record`: the schedule's date, or the extension if later.
    No date while the schedule's trigger has not happened (the record is not due)."""
    schedules = schedules_in_force() if schedules is None else schedules
    schedule = schedules.get(record._meta.label_lower)
    until = scheduled_until(record, schedule)
    if until is not None and record.retention_extended_until and record.retention_extended_until > until:
        until = record.retention_extended_until
    return schedule, until


def _closed_on(record: models.Model, today: date) -> date | None:
    closed = CLOSED_WHEN.get(record._meta.label_lower, lambda r: False)(record)
    if not closed:
        return None
    return record.closed_on or today


def retention_refresh(record: models.Model, *, schedules: dict | None = None, today: date | None = None) -> bool:
    """Store `record`'s closing day, schedule and retention date when they changed (on the
    instance too). Returns whether anything changed."""
    today = today or timezone.localdate()
    record.closed_on = _closed_on(record, today)
    schedule, until = retention_compute(record, schedules)
    new = {
        "closed_on": record.closed_on,
        "retention_schedule_id": getattr(schedule, "pk", None),
        "retention_until": until,
    }
    stored = type(record)._base_manager.filter(pk=record.pk).values(*new).first()
    record.retention_schedule, record.retention_until = schedule, until
    if stored == new:
        return False
    type(record)._base_manager.filter(pk=record.pk).update(**new)
    return True


def retention_refresh_all(models_: Iterable[type[models.Model]] = RETAINED_MODELS, *, today: date | None = None) -> int:
    """Refresh every record not deleted of the given kinds; returns how many changed."""
    today = today or timezone.localdate()
    schedules = schedules_in_force(today)
    changed = 0
    for model in models_:
        rows = []
        for record in model._base_manager.filter(is_deleted=False).iterator(chunk_size=500):
            before = (record.closed_on, record.retention_schedule_id, record.retention_until)
            record.closed_on = _closed_on(record, today)
            schedule, record.retention_until = retention_compute(record, schedules)
            record.retention_schedule_id = getattr(schedule, "pk", None)
            if (record.closed_on, record.retention_schedule_id, record.retention_until) != before:
                rows.append(record)
        model._base_manager.bulk_update(rows, ["closed_on", "retention_schedule", "retention_until"], batch_size=500)
        changed += len(rows)
    return changed


def retained_model(record_type: str) -> type[models.Model] | None:
    return next((m for m in RETAINED_MODELS if m._meta.label_lower == record_type), None)
