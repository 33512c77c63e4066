"""Media inquiries: the public form (protected, saved before "received", acknowledged by
e-mail) and the staff queue (outreach staff only)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from outreach.media.models import InquiryNote, MediaInquiry
from outreach.media.tests.factories import media_inquiry
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs or None)


def _data(**overrides):
    data = {
        "name": "Jordan Reyes",
        "outlet": "Valley Times",
        "email": "JReyes@News.example ",
        "phone": "916-555-0101",
        "deadline": "",
        "topic": "Community prosecution",
        "question": "How many prosecutors are there?",
        "website": "",
        "form_ts": form_timestamp(scope="media_inquiry", seconds_ago=30),
    }
    data.update(overrides)
    return data


def test_inquiry_is_saved_acknowledged_and_audited(client):
    response = client.post(_url("inquiry_form", "es"), _data(deadline="2099-05-04T17:00"))
    assert response.status_code == 302
    assert response["Location"] == _url("inquiry_done", "es")
    inquiry = MediaInquiry.objects.get()
    assert inquiry.email == "jreyes@news.example"
    assert inquiry.status == MediaInquiry.Status.NEW
    assert inquiry.language == "es"
    assert inquiry.deadline.year == 2099
    email = OutboundEmail.objects.get(related_id=str(inquiry.public_id))
    assert email.to == "jreyes@news.example"
    assert email.language == "es"
    assert "Community prosecution" in email.subject
    assert AuditEntry.objects.filter(action="outreach.media_inquiry.submit", object_id=str(inquiry.public_id)).exists()
    done = client.get(response["Location"])
    assert done.status_code == 200


def test_form_errors_keep_the_answers_and_save_nothing(client):
    response = client.post(_url("inquiry_form"), _data(email="not-an-address", question=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert "Valley Times" in body
    assert not MediaInquiry.objects.exists()
    past = client.post(_url("inquiry_form"), _data(deadline="2001-01-01T10:00"))
    assert "already passed" in past.content.decode()
    assert not MediaInquiry.objects.exists()


def test_honeypot_and_fast_submission_are_refused(client):
    client.post(_url("inquiry_form"), _data(website="http://spam.example"))
    client.post(_url("inquiry_form"), _data(form_ts=form_timestamp(scope="media_inquiry", seconds_ago=0)))
    assert not MediaInquiry.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_rate_limit_per_email(client, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "media_inquiry": "2/h/email"}
    for _ in range(3):
        response = client.post(_url("inquiry_form"), _data())
    assert MediaInquiry.objects.count() == 2
    assert "Too many submissions" in response.content.decode()


def test_form_page_is_public_and_labelled(client):
    body = client.get(_url("inquiry_form")).content.decode()
    for field in ("name", "outlet", "email", "phone", "deadline", "topic", "question"):
        assert f'for="id_{field}"' in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outreach_staff", 200),
        ("outreach_supervisor", 200),
        ("bureau_chief", 200),
        ("community_prosecutor", 403),
        ("gr_analyst", 403),
        ("resident_user", 403),
    ],
)
def test_queue_access(persona, expected, personas, client_for):
    media_inquiry()
    assert client_for(personas[persona]).get(_url("staff_inquiry_list")).status_code == expected


def test_queue_requires_sign_in(client):
    response = client.get(_url("staff_inquiry_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_queue_lists_new_by_default_and_filters(client_for, outreach_staff):
    new = media_inquiry(topic="Fresh question")
    media_inquiry(topic="Old answered", status=MediaInquiry.Status.ANSWERED)
    client = client_for(outreach_staff)
    body = client.get(_url("staff_inquiry_list")).content.decode()
    assert "Fresh question" in body
    assert "Old answered" not in body
    assert _url("staff_inquiry_detail", public_id=new.public_id) in body
    answered = client.get(_url("staff_inquiry_list") + "?status=answered").content.decode()
    assert "Old answered" in answered
    assert "Fresh question" not in answered
    every = client.get(_url("staff_inquiry_list") + "?status=all").content.decode()
    assert "Old answered" in every
    assert "Fresh question" in every


def test_staff_answer_assign_and_note(client_for, outreach_staff, outreach_supervisor):
    inquiry = media_inquiry()
    client = client_for(outreach_staff)
    detail = client.get(_url("staff_inquiry_detail", public_id=inquiry.public_id)).content.decode()
    assert inquiry.question in detail
    assert inquiry.email in detail
    response = client.post(
        _url("staff_inquiry_update", public_id=inquiry.public_id),
        {"status": "answered", "assignee": str(outreach_supervisor.pk)},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "answered"
    assert inquiry.assignee == outreach_supervisor
    assert inquiry.answered_at is not None
    entry = AuditEntry.objects.get(action="outreach.media_inquiry.update")
    assert entry.actor_id == outreach_staff.pk
    assert entry.after == {"status": "answered", "assignee": outreach_supervisor.pk}
    client.post(_url("staff_inquiry_note", public_id=inquiry.public_id), {"text": "Called them back."})
    note = InquiryNote.objects.get()
    assert note.author == outreach_staff
    assert note.text == "Called them back."
    assert not OutboundEmail.objects.filter(body_text__contains="Called them back").exists()


def test_assignee_outside_the_unit_is_refused(client_for, outreach_staff, gr_analyst):
    inquiry = media_inquiry()
    response = client_for(outreach_staff).post(
        _url("staff_inquiry_update", public_id=inquiry.public_id), {"status": "new", "assignee": str(gr_analyst.pk)}
    )
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.assignee is None


def test_bureau_chief_reads_but_cannot_change(client_for, bureau_chief):
    inquiry = media_inquiry()
    client = client_for(bureau_chief)
    body = client.get(_url("staff_inquiry_detail", public_id=inquiry.public_id)).content.decode()
    assert _url("staff_inquiry_update", public_id=inquiry.public_id) not in body
    assert (
        client.post(_url("staff_inquiry_update", public_id=inquiry.public_id), {"status": "closed"}).status_code == 403
    )
    assert client.post(_url("staff_inquiry_note", public_id=inquiry.public_id), {"text": "x"}).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_actions_are_post_only(client_for, outreach_staff):
    inquiry = media_inquiry()
    assert client_for(outreach_staff).get(_url("staff_inquiry_update", public_id=inquiry.public_id)).status_code == 405


def test_queue_query_count_does_not_grow_with_rows(client_for, outreach_staff):
    client = client_for(outreach_staff)
    for _ in range(3):
        media_inquiry(assignee=outreach_staff)
    client.get(_url("staff_inquiry_list"))
    with assert_max_queries(12) as few:
        client.get(_url("staff_inquiry_list"))
    for _ in range(30):
        media_inquiry(assignee=outreach_staff)
    with assert_max_queries(12) as many:
        client.get(_url("staff_inquiry_list"))
    assert len(many) == len(few)
