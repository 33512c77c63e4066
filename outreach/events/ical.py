"""iCalendar (RFC 5545) text for public events: one event's .ics and the feed of all
upcoming events. Written by hand (a few properties): CRLF line ends, TEXT values escaped
(backslash, semicolon, comma, newline), lines folded at 75 octets without splitting a UTF-8
character, times in UTC. The online meeting link is never part of it (it is public)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jcr.core.text import xml_text
from outreach.events.models import Event

PRODID = "-//JCR Portal//Community Outreach events//EN"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: control characters dropped (RFC 5545 allows none in TEXT but the tab;
    line breaks become \\n), then backslash, semicolon and comma escaped."""
    return (
        xml_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (continuations start with a space)."""
    encoded = line.encode()
    if len(encoded) <= MAX_OCTETS:
        return line
    pieces, current, limit = [], b"", MAX_OCTETS
    for char in line:
        octets = char.encode()
        if len(current) + len(octets) > limit:
            pieces.append(current.decode())
            current, limit = b"", MAX_OCTETS - 1  # the leading space counts
        current += octets
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.public_id}@{host}"


def _event_lines(event: Event, *, stamp: datetime) -> list[str]:
    url = settings.SITE_URL + reverse("outreach:event_detail", kwargs={"slug": event.slug})
    description = "\n\n".join(p for p in (event.summary_label, event.description_label, url) if p)
    location = ", ".join(p for p in (event.venue_name, event.venue_address) if p) if event.is_in_person else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uid(event)}",
        f"DTSTAMP:{utc(stamp)}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title_label)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.is_in_person and event.has_location:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    if event.topic_id:
        lines.append(f"CATEGORIES:{escape_text(event.topic.label)}")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[Event], *, name: str) -> str:
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
