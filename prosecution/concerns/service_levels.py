"""Service levels of neighborhood concerns in business days: how long staff have to acknowledge
and to resolve a concern, and the due moments stored on it (`acknowledge_by`, `resolve_by`).

Business days skip Saturdays, Sundays and the holidays of settings.JCR_HOLIDAYS. A concern
received at 10:15 on a Friday with two business days to acknowledge is due at 10:15 on the
Tuesday after; one received on a Saturday is due at the same time of day on the Tuesday too
(Monday is the first business day counted).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from prosecution.concerns.models import Concern, ServiceLevel


def is_business_day(day: date, holidays: frozenset[date] | None = None) -> bool:
    holidays = settings.JCR_HOLIDAYS if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def business_day_add(day: date, days: int, holidays: frozenset[date] | None = None) -> date:
    """The date `days` business days after `day` (which itself need not be one)."""
    holidays = settings.JCR_HOLIDAYS if holidays is None else holidays
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            counted += 1
    return day


def business_moment_add(moment: datetime, days: int) -> datetime:
    """`moment` moved `days` business days on, at the same local time of day (the county's
    time zone, so a deadline does not shift by an hour across a daylight-saving change)."""
    local = timezone.localtime(moment)
    due = business_day_add(local.date(), days)
    return timezone.make_aware(datetime.combine(due, time(local.hour, local.minute, local.second)))


def business_days_between(start: datetime, end: datetime) -> int:
    """Business days from `start` to `end` (0 when `end` is not later, or on the same day)."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def service_level_days(*, category_id: int | None, priority: str) -> tuple[int, int]:
    """(days to acknowledge, days to resolve) of the most specific ServiceLevel row matching
    the category and priority, or the settings' defaults. One query."""
    rows = list(
        ServiceLevel.objects.filter(Q(category_id=category_id) | Q(category__isnull=True), priority__in=[priority, ""])
    )
    if rows:
        best = max(rows, key=lambda r: (r.category_id is not None, r.priority != ""))
        return best.acknowledge_days, best.resolve_days
    return settings.JCR_CONCERN_ACK_DAYS, settings.JCR_CONCERN_RESOLVE_DAYS


def concern_due_dates(concern: Concern, *, start: datetime | None = None) -> tuple[datetime, datetime]:
    """(acknowledge_by, resolve_by) of `concern`, counted from `start` (default: when it was
    received)."""
    ack_days, resolve_days = service_level_days(category_id=concern.category_id, priority=concern.priority)
    start = start or concern.created_at
    return business_moment_add(start, ack_days), business_moment_add(start, resolve_days)


def overdue_since(concern: Concern, now: datetime | None = None) -> datetime | None:
    """The first missed deadline of an open concern (acknowledge, then resolve), or None."""
    now = now or timezone.now()
    if not concern.is_open:
        return None
    if concern.acknowledged_at is None and concern.acknowledge_by and concern.acknowledge_by < now:
        return concern.acknowledge_by
    if concern.resolve_by and concern.resolve_by < now:
        return concern.resolve_by
    return None


def is_overdue(concern: Concern, now: datetime | None = None) -> bool:
    return overdue_since(concern, now) is not None
