"""Reads of hearings: the calendar of coming hearings."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govrelations.hearings.models import Hearing


def hearing_list_upcoming(*, days: int = 60, watched_only: bool = True) -> list[Hearing]:
    """Upcoming hearings of watched bills (from the start of today), soonest first."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = Hearing.objects.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=days))
    if watched_only:
        qs = qs.filter(bill__is_watched=True)
    return list(qs.select_related("bill__session", "bill__analyst").order_by("starts_at", "id"))


def hearings_by_local_day(hearings: list[Hearing]) -> list[dict]:
    """Hearings grouped by their day in the portal's time zone, in order."""
    days: dict = {}
    for hearing in hearings:
        days.setdefault(timezone.localtime(hearing.starts_at).date(), []).append(hearing)
    return [{"day": day, "hearings": items} for day, items in days.items()]
