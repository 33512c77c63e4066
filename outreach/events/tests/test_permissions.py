"""Who may open the staff pages of events and presentations, and what their actions do."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from jcr.core.models import AuditEntry, OutboundEmail
from outreach.events.models import Event, Registration
from outreach.events.tests.factories import EventFactory, RegistrationFactory
from outreach.programs.tests.factories import PresentationRequestFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

READERS = ("outreach_staff", "outreach_supervisor", "bureau_chief")
OUTSIDERS = ("community_prosecutor", "cpu_supervisor", "gr_analyst", "jti_staff", "resident_user")


def _pages(event, presentation):
    return [
        reverse("outreach:staff_event_list"),
        reverse("outreach:staff_event_registrations", kwargs={"public_id": event.public_id}),
        reverse("outreach:staff_presentation_list"),
        reverse("outreach:staff_presentation_detail", kwargs={"public_id": presentation.public_id}),
    ]


@pytest.mark.parametrize("persona", READERS + OUTSIDERS + ("resident",))
def test_staff_pages_by_persona(persona, personas, client_for):
    event, presentation = EventFactory(), PresentationRequestFactory()
    client = client_for(personas[persona])
    for url in _pages(event, presentation):
        response = client.get(url)
        if persona == "resident":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif persona in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize(("persona", "status"), [("outreach_staff", 302), ("bureau_chief", 403), ("gr_analyst", 403)])
def test_check_in_by_persona(persona, status, personas, client_for):
    registration = RegistrationFactory()
    url = reverse("outreach:staff_registration_check_in", kwargs={"public_id": registration.public_id})
    response = client_for(personas[persona]).post(url)
    assert response.status_code == status
    registration.refresh_from_db()
    if status == 302:
        assert registration.checked_in_at is not None
        assert registration.checked_in_by == personas[persona]
        assert AuditEntry.objects.filter(action="outreach.registration.check_in").count() == 1
    else:
        assert registration.checked_in_at is None


def test_check_in_is_post_only_and_refuses_the_wait_list(client_for, outreach_staff):
    client = client_for(outreach_staff)
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED)
    url = reverse("outreach:staff_registration_check_in", kwargs={"public_id": waiting.public_id})
    assert client.get(url).status_code == 405
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_registrations_page_groups_people(client_for, outreach_staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, name="Seated Person")
    RegistrationFactory(event=event, name="Waiting Person", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, name="Gone Person", status=Registration.Status.CANCELLED)
    body = client_for(outreach_staff).get(
        reverse("outreach:staff_event_registrations", kwargs={"public_id": event.public_id})
    )
    text = body.content.decode()
    assert text.index("Seated Person") < text.index("Waiting Person") < text.index("Gone Person")
    assert "90 % full" in text  # 1 of 1 seat


def test_export_needs_confirmation_and_is_audited(client_for, outreach_supervisor):
    event = EventFactory()
    RegistrationFactory(event=event, name="=HYPERLINK(1)", email="a@example.org")
    client = client_for(outreach_supervisor)
    url = reverse("outreach:staff_event_export", kwargs={"public_id": event.public_id})
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert b"I understand" in confirm.content
    assert not AuditEntry.objects.filter(action="outreach.registration.export").exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[1][1] == "a@example.org"
    entry = AuditEntry.objects.get(action="outreach.registration.export")
    assert entry.actor_id == outreach_supervisor.pk
    assert entry.after == {"rows": 1}


def test_export_refused_to_outreach_staff(client_for, outreach_staff):
    event = EventFactory()
    url = reverse("outreach:staff_event_export", kwargs={"public_id": event.public_id})
    assert client_for(outreach_staff).post(url, {"confirm": "yes"}).status_code == 403
    assert not AuditEntry.objects.filter(action="outreach.registration.export").exists()


def test_cancel_event_by_supervisor_only(client_for, outreach_staff, outreach_supervisor):
    event = EventFactory()
    RegistrationFactory(event=event, email="p@example.org")
    url = reverse("outreach:staff_event_cancel", kwargs={"public_id": event.public_id})
    assert client_for(outreach_staff).post(url).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert client_for(outreach_supervisor).post(url, {"message": "Storm"}).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert OutboundEmail.objects.filter(template="outreach/event_cancelled", to="p@example.org").exists()


def test_presentation_actions_refused_to_read_only_chief(client_for, bureau_chief):
    presentation = PresentationRequestFactory()
    client = client_for(bureau_chief)
    for name in ("staff_presentation_schedule", "staff_presentation_deliver", "staff_presentation_decline"):
        url = reverse(f"outreach:{name}", kwargs={"public_id": presentation.public_id})
        assert client.post(url, {"reason": "x"}).status_code == 403


def test_staff_event_pages_query_counts_constant(client_for, outreach_staff):
    client = client_for(outreach_staff)
    event = EventFactory()
    RegistrationFactory.create_batch(3, event=event)
    EventFactory.create_batch(2)
    urls = [
        reverse("outreach:staff_event_list"),
        reverse("outreach:staff_event_registrations", kwargs={"public_id": event.public_id}),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with assert_max_queries(12) as captured:
            client.get(url)
        counts[url] = len(captured)
    RegistrationFactory.create_batch(20, event=event)
    for e in EventFactory.create_batch(10):
        RegistrationFactory.create_batch(2, event=e)
    for url in urls:
        with assert_max_queries(counts[url]):
            client.get(url)


def test_dashboard_lists_new_requests_and_nearly_full_events(client_for, outreach_staff, community_prosecutor):
    PresentationRequestFactory.create_batch(2)
    event = EventFactory(capacity=10)
    RegistrationFactory.create_batch(9, event=event)
    body = client_for(outreach_staff).get(reverse("core:dashboard")).content.decode()
    assert "2 new presentation requests" in body
    assert "1 upcoming event is 90 % full" in body
    other = client_for(community_prosecutor).get(reverse("core:dashboard")).content.decode()
    assert "new presentation request" not in other
