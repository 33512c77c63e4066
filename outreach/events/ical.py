"""iCalendar (RFC 5545) files of public events, written with the `icalendar` package: one
event's .ics (the download and the attachment of registrants' e-mails) and the feed of all
upcoming events.

Each VEVENT carries a stable UID, SEQUENCE (the event's `sequence`, one more each time its
time or place changes, so calendar apps replace the old entry) and LAST-MODIFIED. The online
meeting link is never part of it: the download and the feed are public, and the attachment
goes with e-mails that give the link in their text to confirmed registrants only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jcr.core.text import text_clean
from outreach.events.models import Event

PRODID = "-//JCR Portal//Community Outreach events//EN"
MIMETYPE = "text/calendar"


def _uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.public_id}@{host}"


def _vevent(event: Event, *, stamp: datetime) -> icalendar.Event:
    url = settings.SITE_URL + reverse("outreach:event_detail", kwargs={"slug": event.slug})
    description = text_clean("\n\n".join(p for p in (event.summary_label, event.description_label, url) if p))
    vevent = icalendar.Event()
    vevent.add("uid", _uid(event))
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", text_clean(event.title_label, multiline=False))
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = ", ".join(p for p in (event.venue_name, event.venue_address) if p) if event.is_in_person else ""
    location = text_clean(location, multiline=False)
    if location:
        vevent.add("location", location)
    if event.is_in_person and event.has_location:
        vevent.add("geo", (event.latitude, event.longitude))
    if event.topic_id:
        vevent.add("categories", [event.topic.label])
    return vevent


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp))
    return calendar.to_ical()


def calendar_text(events: Iterable[Event], *, name: str) -> str:
    return calendar_bytes(events, name=name).decode()


def event_attachment(event: Event) -> dict[str, str]:
    """The .ics of one event as an e-mail attachment (see jcr.core.services.email_queue)."""
    return {
        "filename": f"{event.slug}.ics",
        "content": calendar_text([event], name=event.title_label),
        "mimetype": MIMETYPE,
    }
