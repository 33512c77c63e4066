"""The four-week "is it fixed?" follow-up: sent once per resolution in the resident's language,
answered without an account, "not fixed" reopens the concern and tells its owner, a second
answer keeps the first, bad links get a friendly page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from jcr.core.models import AuditEntry, OutboundEmail
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import ConcernFactory
from prosecution.partners import services as partner_services
from prosecution.partners import tasks as partner_tasks
from prosecution.partners.models import FollowUp
from prosecution.partners.tests.factories import FollowUpFactory

pytestmark = pytest.mark.django_db


def _resolved(days_ago: float, **fields) -> Concern:
    fields.setdefault("contact_email", "pat@example.org")
    fields.setdefault("status", Concern.Status.RESOLVED)
    return ConcernFactory(resolved_at=timezone.now() - timedelta(days=days_ago), **fields)


def _url(followup, answer: str | None = None) -> str:
    url = reverse("prosecution:followup_answer", kwargs={"token": followup.token})
    return f"{url}?answer={answer}" if answer else url


# --- Sending -------------------------------------------------------------------------------------
def test_send_due_sends_once_per_resolution_in_the_residents_language():
    due = _resolved(29, language="es")
    _resolved(27)  # not yet
    _resolved(29, contact_email="")  # nobody to ask
    _resolved(29, status=Concern.Status.CLOSED)  # closed (duplicate, not ours ...): not "fixed"
    _resolved(200)  # resolved long before this could be asked
    assert partner_services.followup_send_due() == 1
    followup = FollowUp.objects.get()
    assert followup.concern == due
    assert followup.resolved_at == due.resolved_at
    assert followup.sent_at is not None
    email = OutboundEmail.objects.get(template="prosecution/concern_followup")
    assert followup.email == email
    assert email.to == "pat@example.org"
    assert email.language == "es"
    assert f"/es/community-prosecution/follow-up/{followup.token}/?answer=not_fixed" in email.body_text
    assert due.tracking_code in email.subject
    assert AuditEntry.objects.filter(action="prosecution.concern.followup_sent").count() == 1
    # The beat runs again (or twice at once): nothing new.
    assert partner_services.followup_send_due() == 0
    assert partner_tasks.followup_send_due() == 0
    assert FollowUp.objects.count() == 1
    assert OutboundEmail.objects.filter(template="prosecution/concern_followup").count() == 1


def test_a_new_resolution_gets_its_own_followup():
    concern = _resolved(40)
    assert partner_services.followup_send_due() == 1
    Concern.objects.filter(pk=concern.pk).update(resolved_at=timezone.now() - timedelta(days=30))
    assert partner_services.followup_send_due() == 1
    assert FollowUp.objects.filter(concern=concern).count() == 2


def test_send_due_survives_a_row_made_by_another_run(monkeypatch):
    concern = _resolved(30)
    FollowUp.objects.create(concern=concern, resolved_at=concern.resolved_at, sent_at=timezone.now())
    assert partner_services.followup_send_due() == 0
    assert not OutboundEmail.objects.exists()


def test_the_beat_schedule_exists():
    task = PeriodicTask.objects.get(task="prosecution.partners.followup_send_due")
    assert task.enabled
    assert task.interval.every == 1


# --- Answering -----------------------------------------------------------------------------------
def test_answer_page_needs_no_account_and_preselects_the_answer(client):
    followup = FollowUpFactory()
    response = client.get(_url(followup, "fixed"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    body = response.content.decode()
    assert followup.concern.tracking_code in body
    assert re.search(r'<input[^>]*value="fixed"[^>]*checked', body)
    assert not re.search(r'<input[^>]*value="not_fixed"[^>]*checked', body)
    assert followup.concern.description not in body  # only the category and code are shown


def test_fixed_is_recorded_and_a_second_answer_keeps_the_first(client):
    followup = FollowUpFactory()
    response = client.post(_url(followup), {"answer": "fixed"})
    assert response.status_code == 200
    assert "your answer is recorded" in response.content.decode()
    followup.refresh_from_db()
    assert (followup.answer, followup.answered_at is not None) == ("fixed", True)
    first_time = followup.answered_at
    response = client.post(_url(followup), {"answer": "not_fixed"})
    assert response.status_code == 200
    assert "You already answered" in response.content.decode()
    followup.refresh_from_db()
    assert (followup.answer, followup.answered_at) == ("fixed", first_time)
    followup.concern.refresh_from_db()
    assert followup.concern.status == Concern.Status.RESOLVED
    assert AuditEntry.objects.filter(action="prosecution.concern.followup_answer").count() == 1
    # The page then says so on a plain visit too.
    assert "You already answered" in client.get(_url(followup)).content.decode()


def test_not_fixed_reopens_the_concern_and_tells_its_owner(client, community_prosecutor):
    concern = _resolved(30, assignee=community_prosecutor)
    followup = FollowUpFactory(concern=concern, resolved_at=concern.resolved_at)
    response = client.post(_url(followup), {"answer": "not_fixed"})
    assert response.status_code == 200
    assert "open again" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.UNDER_REVIEW
    assert concern.reopened_count == 1
    assert concern.resolved_at is None
    assert concern.updates.filter(kind=ConcernUpdate.Kind.NOT_FIXED).exists()
    assert OutboundEmail.objects.filter(to=community_prosecutor.email, template="prosecution/concern_reopened").exists()


def test_not_fixed_on_a_concern_already_reopened_records_only():
    concern = _resolved(30)
    followup = FollowUpFactory(concern=concern, resolved_at=concern.resolved_at)
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.IN_PROGRESS)
    _followup, recorded = partner_services.followup_answer(followup=followup, answer="not_fixed")
    assert recorded
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.reopened_count == 0


def test_an_unknown_answer_is_a_form_error(client):
    followup = FollowUpFactory()
    response = client.post(_url(followup), {"answer": "maybe"})
    assert response.status_code == 400
    followup.refresh_from_db()
    assert followup.answered_at is None


@pytest.mark.parametrize(
    ("token", "status"),
    [
        ("short", 400),
        ("has spaces and !!! symbols here", 400),
        ("x" * 65, 400),
        ("a" * 43, 404),  # well formed, unknown
    ],
)
def test_bad_tokens_get_a_friendly_page(client, token, status):
    FollowUpFactory()
    response = client.get(reverse("prosecution:followup_answer", kwargs={"token": token}))
    assert response.status_code == status
    assert "This link does not work" in response.content.decode()
    response = client.post(reverse("prosecution:followup_answer", kwargs={"token": token}), {"answer": "fixed"})
    assert response.status_code == status
    assert not FollowUp.objects.exclude(answer="").exists()


def test_an_expired_link_gets_the_friendly_404(client, settings):
    followup = FollowUpFactory(sent_at=timezone.now() - timedelta(days=settings.JCR_FOLLOWUP_VALID_DAYS + 1))
    response = client.post(_url(followup), {"answer": "fixed"})
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    followup.refresh_from_db()
    assert followup.answered_at is None


def test_answers_are_shown_on_the_staff_concern_page(client_for, cpu_supervisor):
    followup = FollowUpFactory()
    partner_services.followup_answer(followup=followup, answer=FollowUp.Answer.NOT_SURE)
    response = client_for(cpu_supervisor).get(
        reverse("prosecution:staff_concern_detail", kwargs={"public_id": followup.concern.public_id})
    )
    body = response.content.decode()
    assert "Answer to the “is it fixed?” question: I am not sure" in body
