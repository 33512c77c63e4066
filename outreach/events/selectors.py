"""Reads of community events and registrations (and the unit's landing pages, which show events)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from jcr.core.models import Area
from outreach.events.models import Event, Registration
from outreach.programs.selectors import language_q, presentation_request_count_new

UPCOMING_ON_LANDING = 3


def landing_context() -> dict:
    """The unit's public landing page: the next few events."""
    return {"upcoming_events": list(event_list_upcoming()[:UPCOMING_ON_LANDING])}


def staff_landing_context(*, user) -> dict:
    if not user.has_perm("outreach.view_event"):
        return {}
    now = timezone.now()
    return {
        "events_counts": {
            "upcoming": Event.objects.exclude(status=Event.Status.DRAFT).filter(ends_at__gte=now).count(),
            "new_requests": presentation_request_count_new(),
        }
    }


def event_dashboard_items(*, user) -> list[dict]:
    """The staff dashboard's line for upcoming events at 90 % of their seats (one query)."""
    if not user.has_perm("outreach.view_event"):
        return []
    nearly_full = [
        e
        for e in event_list_staff().filter(status=Event.Status.PUBLISHED)
        if e.seats and e.confirmed_count >= e.seats * Event.CAPACITY_ALERT_RATIO
    ]
    if not nearly_full:
        return []
    label = ngettext("%(n)d upcoming event is 90 %% full", "%(n)d upcoming events are 90 %% full", len(nearly_full))
    return [{"label": label % {"n": len(nearly_full)}, "url": reverse("outreach:staff_event_list")}]


# --- Events --------------------------------------------------------------------------------


def _with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    )


def _event_filters(qs: QuerySet[Event], filters: dict) -> QuerySet[Event]:
    if filters.get("topic"):
        qs = qs.filter(topic__slug=filters["topic"])
    if filters.get("area"):
        qs = qs.filter(area__slug=filters["area"])
    if filters.get("language"):
        qs = qs.filter(language_q("language", filters["language"]))
    return qs


def event_public_queryset() -> QuerySet[Event]:
    return Event.objects.published().select_related("topic", "area")


def event_list_upcoming(*, filters: dict | None = None, now: datetime | None = None) -> QuerySet[Event]:
    """Published (or cancelled) events that have not ended, soonest first, with
    `confirmed_count`."""
    now = now or timezone.now()
    qs = event_public_queryset().filter(ends_at__gte=now)
    return _with_counts(_event_filters(qs, filters or {})).order_by("starts_at", "id")


def event_filter_areas() -> list[Area]:
    """The areas that have public events (the calendar's area filter)."""
    return list(
        Area.objects.filter(events__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .distinct()
        .only("slug", "name", "kind")
        .order_by("name")
    )


def event_month(*, year: int, month: int, filters: dict | None = None) -> list[list[dict]]:
    """The weeks (Monday first) of a month, each day a dict: date, in_month, events."""
    tz = timezone.get_current_timezone()
    first = date(year, month, 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    end_day = date(year + (month == 12), (month % 12) + 1, 1)
    end = datetime.combine(end_day, datetime.min.time(), tzinfo=tz)
    qs = event_public_queryset().filter(starts_at__gte=start, starts_at__lt=end)
    by_day: dict[date, list[Event]] = {}
    for event in _event_filters(qs, filters or {}).order_by("starts_at", "id"):
        by_day.setdefault(timezone.localtime(event.starts_at, tz).date(), []).append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "events": by_day.get(d, [])} for d in week])
    return weeks


def month_neighbours(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return previous, following


def event_get_public(*, slug: str) -> Event:
    event = _with_counts(event_public_queryset().filter(slug=slug)).first()
    if event is None:
        raise Http404
    return event


def registration_get_by_token(*, token: str) -> Registration:
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise Http404
    return registration


def waitlist_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, id__gt=registration.id)
        .count()
    )


# --- Staff ---------------------------------------------------------------------------------


def event_list_staff(*, include_past: bool = False) -> QuerySet[Event]:
    qs = Event.objects.select_related("topic", "area", "owner")
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        checked_in_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    ).order_by("-starts_at" if include_past else "starts_at", "id")


def event_get_for_staff(*, public_id) -> Event:
    event = _with_counts(Event.objects.select_related("topic", "area", "owner").filter(public_id=public_id)).first()
    if event is None:
        raise Http404
    return event


def event_registrations_grouped(*, event: Event) -> dict[str, list[Registration]]:
    groups: dict[str, list[Registration]] = {s: [] for s in Registration.Status.values}
    for registration in event.registrations.select_related("checked_in_by").order_by("created_at", "id"):
        groups[registration.status].append(registration)
    return groups


def event_confirmed_count(*, event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def registration_live_for_email(*, event: Event, email: str) -> Registration | None:
    """The address's confirmed or wait-listed registration for `event` (addresses are stored lower-case)."""
    return event.registrations.exclude(status=Registration.Status.CANCELLED).filter(email=email.strip().lower()).first()


MESSAGE_SEGMENTS = ("all", "confirmed", "waitlisted")


def event_message_recipients(*, event: Event, segment: str) -> QuerySet[Registration]:
    """The registrants a staff message goes to: "all" live ones, "confirmed" or "waitlisted"."""
    if segment not in MESSAGE_SEGMENTS:
        raise ValueError(segment)
    qs = event.registrations.exclude(status=Registration.Status.CANCELLED)
    if segment != "all":
        qs = qs.filter(status=segment)
    return qs.order_by("created_at", "id")


def event_message_counts(*, event: Event) -> dict[str, int]:
    """How many people each segment of a staff message reaches (one query)."""
    counts = event.registrations.aggregate(
        confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return {"all": counts["confirmed"] + counts["waitlisted"], **counts}
