"""Reads of the Community Outreach & Media Relations Unit."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jcr.core.models import Area
from outreach.models import Event, Language, PresentationRequest, Program, Registration, Topic

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
            "new_requests": PresentationRequest.objects.filter(status=PresentationRequest.Status.NEW).count(),
        }
    }


def events_dashboard_items(*, user) -> list[dict]:
    """The staff dashboard's lines for programs and events: new presentation requests and
    upcoming events at 90 % of their seats (two queries)."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    items = []
    if user.has_perm("outreach.view_presentationrequest"):
        new = PresentationRequest.objects.filter(status=PresentationRequest.Status.NEW).count()
        if new:
            label = ngettext("%(n)d new presentation request", "%(n)d new presentation requests", new)
            items.append(
                {"label": label % {"n": new}, "url": reverse("outreach:staff_presentation_list") + "?status=new"}
            )
    if user.has_perm("outreach.view_event"):
        nearly_full = [
            e
            for e in event_list_staff().filter(status=Event.Status.PUBLISHED)
            if e.seats and e.confirmed_count >= e.seats * Event.CAPACITY_ALERT_RATIO
        ]
        if nearly_full:
            label = ngettext(
                "%(n)d upcoming event is 90 %% full", "%(n)d upcoming events are 90 %% full", len(nearly_full)
            )
            items.append({"label": label % {"n": len(nearly_full)}, "url": reverse("outreach:staff_event_list")})
    return items


# --- Programs ------------------------------------------------------------------------------


def topic_list() -> list[Topic]:
    return list(Topic.objects.all())


def _language_q(field: str, code: str) -> Q:
    """Events or programs given in `code` ("en" or "es"), bilingual ones included."""
    return Q(**{field: code}) | Q(**{field: Language.BILINGUAL})


def program_list_public(*, filters: dict | None = None) -> QuerySet[Program]:
    filters = filters or {}
    qs = Program.objects.filter(is_active=True).prefetch_related("topics")
    if filters.get("audience"):
        qs = qs.filter(audience=filters["audience"])
    if filters.get("topic"):
        qs = qs.filter(topics__slug=filters["topic"])
    if filters.get("language"):
        qs = qs.filter(_language_q("language", filters["language"]))
    return qs.distinct()


def program_get_public(*, slug: str) -> Program:
    program = Program.objects.filter(slug=slug, is_active=True).prefetch_related("topics").first()
    if program is None:
        raise Http404
    return program


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
        qs = qs.filter(_language_q("language", filters["language"]))
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


def presentation_request_queue(*, status: str = "") -> QuerySet[PresentationRequest]:
    qs = PresentationRequest.objects.select_related("program", "presenter")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def presentation_request_get_for_staff(*, public_id) -> PresentationRequest:
    request = PresentationRequest.objects.select_related("program", "presenter").filter(public_id=public_id).first()
    if request is None:
        raise Http404
    return request
