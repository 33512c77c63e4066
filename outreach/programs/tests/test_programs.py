"""The program catalogue and presentation requests (public form, staff queue, reminders)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from outreach.events.services import reminders_dispatch
from outreach.programs import services
from outreach.programs.models import (
    Audience,
    Language,
    PresentationReminder,
    PresentationRequest,
    ReminderStatus,
    preferred_dates_check,
)
from outreach.programs.tests.factories import PresentationRequestFactory, ProgramFactory, TopicFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _emails(template: str):
    return OutboundEmail.objects.filter(template=f"outreach/{template}")


# --- Catalogue --------------------------------------------------------------------------------


def test_program_list_filters_by_audience_topic_and_language(client):
    scams = TopicFactory(slug="scams-x", name="Scams")
    ProgramFactory(title="Fraud for seniors", audience=Audience.ADULT, language=Language.SPANISH, topics=[scams])
    ProgramFactory(title="Safe online", audience=Audience.YOUTH, language=Language.ENGLISH)
    ProgramFactory(title="Both tongues", audience=Audience.ADULT, language=Language.BILINGUAL)
    ProgramFactory(title="Retired", is_active=False)
    url = reverse("outreach:program_list")
    body = client.get(url).content.decode()
    assert "Fraud for seniors" in body
    assert "Safe online" in body
    assert "Retired" not in body
    body = client.get(url, {"audience": "youth"}).content.decode()
    assert "Safe online" in body
    assert "Fraud for seniors" not in body
    body = client.get(url, {"topic": "scams-x"}).content.decode()
    assert "Fraud for seniors" in body
    assert "Safe online" not in body
    body = client.get(url, {"language": "es"}).content.decode()
    assert "Fraud for seniors" in body
    assert "Both tongues" in body
    assert "Safe online" not in body


def test_program_list_spanish_titles(client):
    ProgramFactory(title="Scam talk", title_es="Charla sobre estafas")
    body = client.get("/es" + reverse("outreach:program_list")).content.decode()
    assert "Charla sobre estafas" in body


def test_program_list_query_count_constant(client):
    topic = TopicFactory()
    for _ in range(3):
        ProgramFactory(topics=[topic])
    url = reverse("outreach:program_list")
    client.get(url)
    with assert_max_queries(8) as few:
        client.get(url + "?audience=adult")
    for _ in range(20):
        ProgramFactory(topics=[topic])
    with assert_max_queries(len(few)):
        client.get(url + "?audience=adult")


def test_program_detail_and_inactive_404(client):
    program = ProgramFactory()
    assert client.get(reverse("outreach:program_detail", kwargs={"slug": program.slug})).status_code == 200
    retired = ProgramFactory(is_active=False)
    assert client.get(reverse("outreach:program_detail", kwargs={"slug": retired.slug})).status_code == 404


# --- The request form -------------------------------------------------------------------------


def _form(program=None, **extra):
    today = timezone.localdate()
    data = {
        "submission_key": str(uuid4()),
        "organisation": "Hiram Johnson High School",
        "contact_name": "Maria Lopez",
        "contact_email": "Maria@Example.org",
        "contact_phone": "916-555-0100",
        "audience": "youth",
        "audience_size": "120",
        "program": program.slug if program else "",
        "topic": "",
        "presentation_language": "en_es",
        "date_1": (today + timedelta(days=10)).isoformat(),
        "date_2": (today + timedelta(days=17)).isoformat(),
        "date_3": "",
        "location": "6879 14th Ave, Sacramento",
        "notes": "",
        "language": "es",
        "form_ts": form_timestamp(scope="presentation_request", seconds_ago=60),
        "website": "",
    }
    data.update(extra)
    return data


def test_presentation_request_saved_with_reference_and_email(client):
    program = ProgramFactory()
    response = client.post(reverse("outreach:presentation_request"), _form(program))
    request = PresentationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "outreach:presentation_request_done", kwargs={"reference": request.reference}
    )
    assert request.status == PresentationRequest.Status.NEW
    assert request.contact_email == "maria@example.org"
    assert len(request.preferred_dates) == 2
    email = _emails("presentation_received").get()
    assert email.to == "maria@example.org"
    assert email.language == "es"
    assert request.reference in email.subject
    done = client.get(response["Location"])
    assert request.reference.encode() in done.content
    assert b"maria@example.org" not in done.content
    assert AuditEntry.objects.filter(action="outreach.presentation_request.submit").exists()


def test_presentation_request_double_submit_saves_once(client):
    data = _form(ProgramFactory())
    client.post(reverse("outreach:presentation_request"), data)
    client.post(reverse("outreach:presentation_request"), data)
    assert PresentationRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_2": "same"}, b"must be different days"),
        ({"date_1": "past"}, b"must be in the future"),
        ({"program": "", "topic": ""}, b"Choose a program or describe the topic"),
    ],
)
def test_presentation_request_refusals(client, changes, message):
    program = ProgramFactory()
    data = _form(program)
    if changes.get("date_2") == "same":
        data["date_2"] = data["date_1"]
    elif changes.get("date_1") == "past":
        data["date_1"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    else:
        data.update(changes)
    response = client.post(reverse("outreach:presentation_request"), data)
    assert response.status_code == 200
    assert message in response.content
    assert not PresentationRequest.objects.exists()


def test_presentation_request_other_topic_without_program(client):
    response = client.post(reverse("outreach:presentation_request"), _form(None, topic="Bullying"))
    assert response.status_code == 302
    assert PresentationRequest.objects.get().topic == "Bullying"


def test_presentation_request_rate_limited(client, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "presentation_request": "1/h/ip"}
    program = ProgramFactory()
    client.post(reverse("outreach:presentation_request"), _form(program))
    response = client.post(reverse("outreach:presentation_request"), _form(program))
    assert response.status_code == 200
    assert b"Too many submissions" in response.content
    assert PresentationRequest.objects.count() == 1


def test_preferred_dates_check_counts():
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        preferred_dates_check([today + timedelta(days=3)])
    with pytest.raises(ValidationError):
        preferred_dates_check([today + timedelta(days=d) for d in (1, 2, 3, 4)])
    assert preferred_dates_check([today + timedelta(days=3), today + timedelta(days=2)])[0] == today + timedelta(days=2)


# --- Staff workflow ---------------------------------------------------------------------------


def test_schedule_deliver_emails_each_step_and_plans_reminder(outreach_staff):
    request = PresentationRequestFactory(language="es")
    when = timezone.now() + timedelta(days=10)
    services.presentation_request_schedule(
        request=request, scheduled_for=when, presenter=outreach_staff, actor=outreach_staff
    )
    request.refresh_from_db()
    assert request.status == PresentationRequest.Status.SCHEDULED
    assert request.presenter == outreach_staff
    scheduled = _emails("presentation_scheduled").get()
    assert scheduled.language == "es"
    reminder = PresentationReminder.objects.get()
    assert reminder.due_at == when - timedelta(days=2)
    # Rescheduling replaces the reminder.
    later = when + timedelta(days=3)
    services.presentation_request_schedule(
        request=request, scheduled_for=later, presenter=outreach_staff, actor=outreach_staff
    )
    assert PresentationReminder.objects.filter(status=ReminderStatus.PENDING).get().due_at == later - timedelta(days=2)
    assert PresentationReminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 1
    # Reminder goes out two days before.
    with time_machine.travel(later - timedelta(days=2) + timedelta(minutes=1), tick=False):
        assert reminders_dispatch() == {"sent": 1, "skipped": 0}
    assert _emails("presentation_reminder").count() == 1
    services.presentation_request_deliver(request=request, actor=outreach_staff)
    request.refresh_from_db()
    assert request.status == PresentationRequest.Status.DELIVERED
    assert _emails("presentation_delivered").count() == 1
    actions = set(AuditEntry.objects.filter(object_id=str(request.public_id)).values_list("action", flat=True))
    assert {"outreach.presentation_request.schedule", "outreach.presentation_request.deliver"} <= actions


def test_schedule_less_than_two_days_ahead_has_no_reminder(outreach_staff):
    request = PresentationRequestFactory()
    services.presentation_request_schedule(
        request=request,
        scheduled_for=timezone.now() + timedelta(hours=30),
        presenter=outreach_staff,
        actor=outreach_staff,
    )
    assert not PresentationReminder.objects.exists()


def test_decline_needs_reason_and_emails(outreach_staff):
    request = PresentationRequestFactory()
    with pytest.raises(ValidationError):
        services.presentation_request_decline(request=request, reason=" ", actor=outreach_staff)
    services.presentation_request_decline(request=request, reason="No presenter free", actor=outreach_staff)
    request.refresh_from_db()
    assert request.status == PresentationRequest.Status.DECLINED
    assert "No presenter free" in _emails("presentation_declined").get().body_text
    with pytest.raises(ValidationError):
        services.presentation_request_deliver(request=request, actor=outreach_staff)


def test_schedule_refuses_past_dates_and_closed_requests(outreach_staff):
    request = PresentationRequestFactory()
    with pytest.raises(ValidationError):
        services.presentation_request_schedule(
            request=request,
            scheduled_for=timezone.now() - timedelta(hours=1),
            presenter=outreach_staff,
            actor=outreach_staff,
        )
    request.status = PresentationRequest.Status.DELIVERED
    request.save()
    with pytest.raises(ValidationError):
        services.presentation_request_schedule(
            request=request,
            scheduled_for=timezone.now() + timedelta(days=5),
            presenter=outreach_staff,
            actor=outreach_staff,
        )


def test_presentation_reminder_skipped_when_declined_meanwhile(outreach_staff):
    request = PresentationRequestFactory()
    when = timezone.now() + timedelta(days=10)
    services.presentation_request_schedule(
        request=request, scheduled_for=when, presenter=outreach_staff, actor=outreach_staff
    )
    PresentationRequest.objects.filter(pk=request.pk).update(status=PresentationRequest.Status.DECLINED)
    with time_machine.travel(when - timedelta(days=2) + timedelta(minutes=1), tick=False):
        assert reminders_dispatch() == {"sent": 0, "skipped": 1}


def test_staff_schedule_view_and_queue(client_for, outreach_staff):
    request = PresentationRequestFactory()
    client = client_for(outreach_staff)
    url = reverse("outreach:staff_presentation_schedule", kwargs={"public_id": request.public_id})
    when = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"scheduled_for": when, "presenter": outreach_staff.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PresentationRequest.Status.SCHEDULED
    bad = client.post(url, {"scheduled_for": "2000-01-01T10:00", "presenter": outreach_staff.pk})
    assert bad.status_code == 400
    queue = client.get(reverse("outreach:staff_presentation_list"), {"status": "scheduled"})
    assert request.reference.encode() in queue.content


def test_staff_presentation_queue_query_count_constant(client_for, outreach_staff):
    client = client_for(outreach_staff)
    PresentationRequestFactory.create_batch(3)
    url = reverse("outreach:staff_presentation_list")
    client.get(url)
    with assert_max_queries(12) as few:
        client.get(url)
    PresentationRequestFactory.create_batch(20)
    with assert_max_queries(len(few)):
        client.get(url)
