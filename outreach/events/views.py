"""Public pages of events: the calendar, an event's page, registering and the calendar files.

Catalogue and calendar pages are cached for anonymous visitors; the registration token page
is personal (whoever holds the link registered), so it is never cached, never indexed and
never in the sitemap. Every form works without JavaScript.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.images import open_graph
from outreach.events import ical, selectors, services, services_changes
from outreach.events.forms import EventFilterForm, RegistrationForm, RegistrationLinkForm
from outreach.events.models import Event, Registration
from outreach.programs.selectors import topic_list

EVENTS_PER_PAGE = 10
# Characters that could end a <script> element or open a comment, escaped in JSON-LD.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _event_filter_form(request: HttpRequest) -> tuple[EventFilterForm, dict]:
    form = EventFilterForm(
        request.GET if any(k in request.GET for k in ("topic", "area", "language")) else None,
        topics=topic_list(),
        areas=selectors.event_filter_areas(),
    )
    return form, (form.filters() if form.is_bound else {})


def _filter_query(filters: dict) -> str:
    return urlencode(filters)


@public
@require_GET
@cache_public_page
def event_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _event_filter_form(request)
    page = Paginator(selectors.event_list_upcoming(filters=filters), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/events/event_list.html",
        {"form": form, "page": page, "filters_query": _filter_query(filters), "filtered": bool(filters)},
    )


def _month_param(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@public
@require_GET
@cache_public_page
def event_month_view(request: HttpRequest) -> HttpResponse:
    """The month as an accessible table (`?month=YYYY-MM`, this month by default)."""
    today = timezone.localdate()
    first = _month_param(request.GET.get("month", "")) or today.replace(day=1)
    form, filters = _event_filter_form(request)
    previous, following = selectors.month_neighbours(first.year, first.month)
    query = _filter_query(filters)
    weeks = selectors.event_month(year=first.year, month=first.month, filters=filters)
    return render(
        request,
        "outreach/events/event_month.html",
        {
            "form": form,
            "month": first,
            "weeks": weeks,
            "has_events": any(day["events"] for week in weeks for day in week),
            "previous": previous,
            "following": following,
            "today": today,
            "filters_query": query,
        },
    )


def event_json_ld(event: Event) -> str:
    """schema.org Event structured data, safe to put inside a <script> element."""
    url = settings.SITE_URL + reverse("outreach:event_detail", kwargs={"slug": event.slug})
    attendance = {
        Event.Format.IN_PERSON: "OfflineEventAttendanceMode",
        Event.Format.ONLINE: "OnlineEventAttendanceMode",
        Event.Format.HYBRID: "MixedEventAttendanceMode",
    }[event.format]
    locations = []
    if event.is_in_person:
        place = {"@type": "Place", "name": event.venue_name or event.title_label, "address": event.venue_address}
        if event.has_location:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.latitude, "longitude": event.longitude}
        locations.append(place)
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title_label,
        "description": event.summary_label,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": "https://schema.org/" + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/" + attendance,
        "location": locations[0] if len(locations) == 1 else locations,
        "url": url,
        "isAccessibleForFree": True,
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": _("Office of the District Attorney"),
            "url": settings.SITE_URL,
        },
    }
    if event.image_ready:
        data["image"] = [event.image_preview_url]
    # <, > and & are escaped as in json_script, so the JSON cannot end its script element.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308  # nosec B308 B703


def _map_link(event: Event) -> str:
    if not event.has_location:
        return ""
    return (
        f"https://www.openstreetmap.org/?mlat={event.latitude:.5f}&mlon={event.longitude:.5f}"
        f"#map=17/{event.latitude:.5f}/{event.longitude:.5f}"
    )


@public
@require_GET
@cache_public_page
def event_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_public(slug=slug)
    now = timezone.now()
    return render(
        request,
        "outreach/events/event_detail.html",
        {
            "event": event,
            "json_ld": event_json_ld(event),
            "og": open_graph(
                request,
                title=event.title_label,
                description=event.summary_label,
                obj=event,
                has_spanish=event.has_spanish,
            ),
            "map_link": _map_link(event),
            "registration_state": event.registration_state(now),
            "seats_left": max(0, event.seats - event.confirmed_count),
            "is_past": event.ends_at < now,
        },
    )


def _registration_form_page(request, event, form, status=200):
    return render(
        request,
        "outreach/events/registration_form.html",
        {
            "event": event,
            "form": form,
            "registration_state": event.registration_state(timezone.now()),
            "seats_left": max(0, event.seats - event.confirmed_count),
        },
        status=status,
    )


@public
@require_http_methods(["GET", "POST"])
def event_register_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Register, or join the wait list when the event is full. The answer never says whether
    the address was already registered (who attends an event on domestic violence is private):
    every accepted form gets the same "check your e-mail" page, and the address gets the
    e-mail that fits (a confirmation, the wait list, or "you are already registered" with its
    link). A closed registration is a message on the page, never an error page."""
    event = selectors.event_get_public(slug=slug)
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_create(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    language=data["language"],
                    accessibility_needs=data["accessibility_needs"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _check_your_email(request, event)
    else:
        form = RegistrationForm(initial={"language": request.LANGUAGE_CODE})
    return _registration_form_page(request, event, form)


def _check_your_email(request, event):
    """The one answer of registering and of "resend my link", whoever the address is."""
    response = render(request, "outreach/events/registration_done.html", {"event": event})
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_http_methods(["GET", "POST"])
@never_cache
def registration_link_view(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Resend my registration link": the link goes by e-mail to the address if it holds a
    registration for the event; the page answers the same either way (rate limited)."""
    event = selectors.event_get_public(slug=slug)
    form = RegistrationLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services_changes.registration_link_resend(event=event, email=form.cleaned_data["email"])
        return _check_your_email(request, event)
    response = render(request, "outreach/events/registration_link.html", {"event": event, "form": form})
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_GET
@cache_public_page
def event_ics_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_public(slug=slug)
    response = HttpResponse(
        ical.calendar_bytes([event], name=event.title_label), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@public
@require_GET
@cache_public_page
def events_ics_view(request: HttpRequest) -> HttpResponse:
    """The feed of every upcoming public event (calendar apps subscribe to it)."""
    events = selectors.event_list_upcoming()
    response = HttpResponse(
        ical.calendar_bytes(events, name=_("Community Outreach events")), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


# --- A registrant's own page ------------------------------------------------------------------


def _registration_page(request, registration, *, status=200):
    event = registration.event
    show_link = registration.status == Registration.Status.CONFIRMED and event.is_online and not event.is_cancelled
    response = render(
        request,
        "outreach/events/registration_detail.html",
        {
            "registration": registration,
            "event": event,
            "online_url": event.online_url if show_link else "",
            "waitlist_position": selectors.waitlist_position(registration=registration),
            "can_cancel": registration.status != Registration.Status.CANCELLED
            and not event.is_cancelled
            and event.ends_at > timezone.now(),
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    # The address holds the registrant's token: never sent to another site ("same-origin"; under
    # "no-referrer" the page's own Cancel form would post "Origin: null" and fail the CSRF check).
    response["Referrer-Policy"] = "same-origin"
    return response


@public
@require_GET
@never_cache
def registration_detail_view(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page, reached from the link in their e-mails (no account)."""
    return _registration_page(request, selectors.registration_get_by_token(token=token))


@public
@require_POST
@never_cache
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_get_by_token(token=token)
    registration = services.registration_cancel(registration=registration)
    return redirect("outreach:registration_detail", token=registration.token)
