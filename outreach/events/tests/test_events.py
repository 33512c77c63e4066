"""Public event pages: the list and month calendar, event pages with structured data, the
iCalendar feeds (parsed back strictly), the sitemap and query counts."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jcr.core.tests.factories import AreaFactory
from outreach.events.models import Event
from outreach.events.tests.factories import EventFactory, RegistrationFactory
from outreach.programs.models import Language
from outreach.programs.tests.factories import TopicFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


# --- A strict reader of the iCalendar text we produce (RFC 5545 sections 3.1 and 3.3.11) -------


def ics_parse(text: str) -> list[dict]:
    """Unfold, check the line rules, and return the VEVENTs as {NAME: unescaped value}."""
    assert text.endswith("\r\n")
    raw_lines = text.split("\r\n")[:-1]
    for line in raw_lines:
        assert "\n" not in line
        assert "\r" not in line
        assert len(line.encode()) <= 75, line
    unfolded: list[str] = []
    for line in raw_lines:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    assert unfolded[0] == "BEGIN:VCALENDAR"
    assert unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded
    assert any(line.startswith("PRODID:") for line in unfolded)
    events, current = [], None
    for line in unfolded:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name.split(";")[0]] = re.sub(
                r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value
            )
    return events


def ics_time(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


# --- iCalendar ------------------------------------------------------------------------------------


def test_event_ics_round_trip(client):
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0, second=0)
    event = EventFactory(
        title="Scams, fraud; and you: a \\ long title that goes on and on to force folding — ñandú ñandú ñandú",
        starts_at=start,
        latitude=38.58,
        longitude=-121.49,
        description="Line one\nLine two, with a comma; and a semicolon",
        online_url="https://meet.example.org/private-room",
        format=Event.Format.HYBRID,
    )
    response = client.get(reverse("outreach:event_ics", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    [vevent] = ics_parse(text)
    assert vevent["SUMMARY"] == event.title
    assert ics_time(vevent["DTSTART"]) == start
    assert ics_time(vevent["DTEND"]) == event.ends_at
    assert vevent["UID"] == f"event-{event.public_id}@127.0.0.1" or vevent["UID"].startswith(
        f"event-{event.public_id}@"
    )
    assert "Line two, with a comma; and a semicolon" in vevent["DESCRIPTION"]
    assert tuple(float(x) for x in vevent["GEO"].split(";")) == (38.58, -121.49)
    assert vevent["STATUS"] == "CONFIRMED"
    assert "private-room" not in text


def test_events_feed_lists_upcoming_public_events_only(client):
    upcoming = EventFactory(title="Upcoming one")
    cancelled = EventFactory(title="Called off", status=Event.Status.CANCELLED)
    EventFactory(title="Secret draft", status=Event.Status.DRAFT)
    EventFactory(
        title="Long gone",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-1),
    )
    text = client.get(reverse("outreach:events_ics")).content.decode()
    events = {e["SUMMARY"]: e for e in ics_parse(text)}
    assert set(events) == {"Upcoming one", "Called off"}
    assert events["Called off"]["STATUS"] == "CANCELLED"
    assert events[upcoming.title]["UID"] != events[cancelled.title]["UID"]


def test_feed_is_advertised_on_the_calendar_pages(client):
    event = EventFactory()
    feed = reverse("outreach:events_ics")
    for url in (reverse("outreach:event_list"), reverse("outreach:event_month")):
        assert '<link rel="alternate" type="text/calendar"' in client.get(url).content.decode()
        assert feed in client.get(url).content.decode()
    page = client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug})).content.decode()
    assert reverse("outreach:event_ics", kwargs={"slug": event.slug}) in page


# --- List and month views ---------------------------------------------------------------------


def test_event_list_upcoming_filters_and_hides_drafts(client):
    topic = TopicFactory(slug="scams-x")
    area = AreaFactory(slug="north-x", name="North X")
    EventFactory(title="Scam fair", topic=topic, area=area, language=Language.SPANISH)
    EventFactory(title="Youth forum", language=Language.ENGLISH)
    EventFactory(title="Both languages", language=Language.BILINGUAL)
    EventFactory(title="Draft thing", status=Event.Status.DRAFT)
    url = reverse("outreach:event_list")
    body = client.get(url).content.decode()
    assert "Scam fair" in body
    assert "Youth forum" in body
    assert "Draft thing" not in body
    body = client.get(url, {"topic": "scams-x"}).content.decode()
    assert "Scam fair" in body
    assert "Youth forum" not in body
    body = client.get(url, {"area": "north-x"}).content.decode()
    assert "Scam fair" in body
    assert "Youth forum" not in body
    body = client.get(url, {"language": "es"}).content.decode()
    assert "Scam fair" in body
    assert "Both languages" in body
    assert "Youth forum" not in body


def test_event_list_paginates(client):
    for i in range(12):
        EventFactory(title=f"Event number {i:02d}", starts_at=timezone.now() + timedelta(days=i + 1))
    first = client.get(reverse("outreach:event_list")).content.decode()
    assert "Event number 00" in first
    assert "Event number 11" not in first
    second = client.get(reverse("outreach:event_list"), {"page": 2}).content.decode()
    assert "Event number 11" in second


def test_event_list_says_full(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    assert "Full: wait list open" in client.get(reverse("outreach:event_list")).content.decode()


def test_month_view_is_a_table_with_the_events_of_the_month(client):
    tz = timezone.get_current_timezone()
    start = datetime(2031, 3, 14, 18, 0, tzinfo=tz)
    EventFactory(title="Pi day town hall", starts_at=start)
    EventFactory(title="April event", starts_at=datetime(2031, 4, 2, 18, 0, tzinfo=tz))
    response = client.get(reverse("outreach:event_month"), {"month": "2031-03"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<table" in body
    assert "<caption>" in body
    assert 'scope="col"' in body
    assert "Pi day town hall" in body
    assert "April event" not in body
    assert "?month=2031-04" in body
    assert "?month=2031-02" in body


def test_month_view_bad_month_falls_back_to_this_month(client):
    response = client.get(reverse("outreach:event_month"), {"month": "garbage"})
    assert response.status_code == 200
    assert timezone.localdate().strftime("%B %Y") in response.content.decode()


def test_event_list_query_count_constant(client):
    topic, area = TopicFactory(), AreaFactory()
    EventFactory.create_batch(2, topic=topic, area=area)
    url = reverse("outreach:event_list")
    client.get(url)
    with assert_max_queries(8) as few:
        client.get(url + "?language=en")
    for event in EventFactory.create_batch(8, topic=topic, area=area):
        RegistrationFactory.create_batch(2, event=event)
    with assert_max_queries(len(few)):
        client.get(url + "?language=en")


def test_month_view_query_count_constant(client):
    tz = timezone.get_current_timezone()
    topic, area = TopicFactory(), AreaFactory()
    EventFactory(starts_at=datetime(2031, 5, 3, 10, tzinfo=tz), topic=topic, area=area)
    url = reverse("outreach:event_month") + "?month=2031-05"
    with assert_max_queries(8) as few:
        client.get(url)
    for day in range(4, 25):
        EventFactory(starts_at=datetime(2031, 5, day, 10, tzinfo=tz), topic=topic, area=area)
    with assert_max_queries(len(few)):
        client.get(url + "&language=en")


# --- Event page -----------------------------------------------------------------------------------


def test_event_page_structured_data_and_facts(client):
    event = EventFactory(
        title="Safety <fair>",
        format=Event.Format.HYBRID,
        latitude=38.5,
        longitude=-121.4,
        agenda="6:00 Welcome",
        accessibility="Wheelchair accessible",
        online_url="https://meet.example.org/room-42",
    )
    response = client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug}))
    body = response.content.decode()
    assert response.status_code == 200
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Safety <fair>"
    assert "<fair>" not in match.group(1)  # escaped inside the script element
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "room-42" not in body
    assert "6:00 Welcome" in body
    assert "Wheelchair accessible" in body
    assert "openstreetmap.org" in body


def test_cancelled_event_page_says_so(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    body = client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug})).content.decode()
    assert "This event has been cancelled." in body
    assert "EventCancelled" in body


def test_draft_event_is_404(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug})).status_code == 404
    assert client.get(reverse("outreach:event_ics", kwargs={"slug": event.slug})).status_code == 404


def test_event_page_in_spanish(client):
    event = EventFactory(title="Town hall", title_es="Reunión comunitaria")
    body = client.get("/es" + reverse("outreach:event_detail", kwargs={"slug": event.slug})).content.decode()
    assert "Reunión comunitaria" in body


def test_event_page_query_count(client):
    event = EventFactory(topic=TopicFactory(), area=AreaFactory())
    RegistrationFactory.create_batch(5, event=event)
    with assert_max_queries(8):
        client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug}))


def test_sitemap_lists_public_events_and_programs(client):
    from outreach.programs.tests.factories import ProgramFactory

    event = EventFactory(slug="listed-event")
    EventFactory(slug="hidden-draft", status=Event.Status.DRAFT)
    ProgramFactory(slug="listed-program")
    body = client.get("/sitemap.xml").content.decode()
    assert reverse("outreach:event_detail", kwargs={"slug": event.slug}) in body
    assert "hidden-draft" not in body
    assert "listed-program" in body
    assert reverse("outreach:event_month") in body


def test_landing_shows_upcoming_events(client):
    EventFactory(title="Next community meeting")
    body = client.get(reverse("outreach:landing")).content.decode()
    assert "Next community meeting" in body


def test_demo_seed_is_idempotent_and_shows_each_state():
    from outreach import demo

    demo.seed()
    demo.seed()
    assert Event.objects.filter(slug="scam-awareness-seniors").count() == 1
    full = Event.objects.get(slug="scam-awareness-seniors")
    assert full.registrations.filter(status="confirmed").count() == full.seats
    assert full.registrations.filter(status="waitlisted").exists()
    from outreach.programs.demo import PROGRAMS
    from outreach.programs.models import PresentationRequest, Program

    assert set(PresentationRequest.objects.values_list("status", flat=True)) == set(PresentationRequest.Status.values)
    assert Program.objects.count() == len(PROGRAMS)
    assert Event.objects.filter(starts_at__lt=timezone.now()).exists()


def test_landing_pages_keep_their_titles(client_for, outreach_staff):
    public = Client().get(reverse("outreach:landing")).content.decode()
    assert re.search(r"<title>[^<]*Community Outreach (&amp;|&) Media Relations[^<]*</title>", public)
    staff = client_for(outreach_staff).get(reverse("outreach:staff_landing")).content.decode()
    assert re.search(r"<title>[^<]*Outreach (&amp;|&) Media[^<]*</title>", staff)
    assert "upcoming event" in staff


def test_event_ics_reads_back_with_the_icalendar_library(client):
    import icalendar

    event = EventFactory(title="Scams; fraud, and you — ñandú", description="Line one\nLine two, with a comma")
    response = client.get(reverse("outreach:event_ics", kwargs={"slug": event.slug}))
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert "Line two, with a comma" in str(vevent["DESCRIPTION"])
