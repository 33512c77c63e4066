"""Newsletter: double opt-in per language, confirm and unsubscribe links without an account,
re-subscribing, issues only to confirmed subscribers with an unsubscribe link each."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from jcr.core.services import outbound_email_send
from outreach.media import services as services_media
from outreach.media import tasks as tasks_media
from outreach.media.models import NewsletterIssue, NewsletterSubscription
from outreach.media.tests.factories import subscription

pytestmark = pytest.mark.django_db

Status = NewsletterSubscription.Status


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """The broker, replaced by running the newsletter task at once. Returns a context manager
    that runs the on-commit hooks of what happens inside it."""

    def run(kwargs, retry):
        return tasks_media.newsletter_issue_deliver(**kwargs)

    with mock.patch.object(tasks_media.newsletter_issue_deliver, "apply_async", side_effect=run):
        yield lambda: django_capture_on_commit_callbacks(execute=True)


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs or None)


def _subscribe(client, email="Reader@Example.org", language="en", page_language="en"):
    return client.post(
        _url("newsletter_subscribe", page_language),
        {
            "email": email,
            "language": language,
            "website": "",
            "form_ts": form_timestamp(scope="newsletter_subscribe", seconds_ago=30),
        },
    )


def _link(text: str, name: str) -> str:
    prefix = re.escape(_url(name, "en", **{"key" if name == "newsletter_confirm" else "token": "X"})[:-2])
    match = re.search(rf"https?://[^\s]*?({prefix}[^/\s]+/)", text) or re.search(
        rf"https?://[^\s]*?(/es{prefix}[^/\s]+/)", text
    )
    assert match, text
    return match.group(1)


def test_subscribing_sends_a_confirmation_and_counts_nothing_yet(client):
    response = _subscribe(client)
    assert response.status_code == 302
    assert response["Location"] == _url("newsletter_sent")
    sub = NewsletterSubscription.objects.get()
    assert sub.email == "reader@example.org"
    assert sub.status == Status.PENDING
    email = OutboundEmail.objects.get(to="reader@example.org")
    assert email.subject == "Confirm your newsletter subscription"
    assert _link(email.body_text, "newsletter_confirm")
    assert _link(email.body_text, "newsletter_unsubscribe") == _url("newsletter_unsubscribe", token=sub.token)
    assert not NewsletterSubscription.objects.filter(status=Status.CONFIRMED).exists()


def test_confirming_needs_a_press_of_the_button(client):
    _subscribe(client)
    confirm = _link(OutboundEmail.objects.get().body_text, "newsletter_confirm")
    page = client.get(confirm)
    assert page.status_code == 200
    assert NewsletterSubscription.objects.get().status == Status.PENDING  # a link scanner confirms nothing
    assert page["X-Robots-Tag"] == "noindex"
    done = client.post(confirm)
    assert done.status_code == 200
    sub = NewsletterSubscription.objects.get()
    assert sub.status == Status.CONFIRMED
    assert sub.confirmed_at is not None
    assert AuditEntry.objects.filter(action="outreach.newsletter.confirm").count() == 1
    assert client.post(confirm).status_code == 200  # twice: harmless
    assert AuditEntry.objects.filter(action="outreach.newsletter.confirm").count() == 1


def test_forged_or_expired_confirmation_is_refused(client):
    _subscribe(client)
    sub = NewsletterSubscription.objects.get()
    forged = signing.dumps(sub.token, salt="another.salt")
    assert client.post(_url("newsletter_confirm", key=forged)).status_code == 404
    key = services_media.newsletter_confirm_key(sub)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        assert client.post(_url("newsletter_confirm", key=key)).status_code == 404
    assert NewsletterSubscription.objects.get().status == Status.PENDING


def test_spanish_subscription_gets_spanish_mail_with_spanish_links(client):
    _subscribe(client, language="es", page_language="es")
    sub = NewsletterSubscription.objects.get()
    assert sub.language == "es"
    email = OutboundEmail.objects.get()
    assert email.language == "es"
    assert _url("newsletter_unsubscribe", "es", token=sub.token) in email.body_text


def test_same_answer_whether_or_not_the_address_is_subscribed(client):
    subscription(email="known@example.org")
    known = _subscribe(client, email="known@example.org")
    unknown = _subscribe(client, email="new@example.org")
    assert known["Location"] == unknown["Location"]
    assert not OutboundEmail.objects.filter(to="known@example.org").exists()  # already confirmed: no mail
    assert NewsletterSubscription.objects.get(email="known@example.org").status == Status.CONFIRMED


def test_one_subscription_per_language():
    services_media.newsletter_subscribe(email="both@example.org", language="en")
    services_media.newsletter_subscribe(email="both@example.org", language="es")
    assert NewsletterSubscription.objects.filter(email="both@example.org").count() == 2


def test_unsubscribe_without_an_account_and_subscribe_again(client):
    sub = subscription(email="leaving@example.org")
    page = client.get(_url("newsletter_unsubscribe", token=sub.token))
    assert page.status_code == 200
    assert NewsletterSubscription.objects.get().status == Status.CONFIRMED
    done = client.post(_url("newsletter_unsubscribe", token=sub.token))
    assert done.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Status.UNSUBSCRIBED
    assert sub.unsubscribed_at is not None
    assert client.post(_url("newsletter_unsubscribe", token=sub.token)).status_code == 200  # again: harmless
    assert client.post(_url("newsletter_unsubscribe", token="unknown")).status_code == 404
    # Re-subscribing goes through confirmation again, with a new token.
    _subscribe(client, email="leaving@example.org")
    sub.refresh_from_db()
    assert sub.status == Status.PENDING
    confirm = _link(OutboundEmail.objects.get(to="leaving@example.org").body_text, "newsletter_confirm")
    client.post(confirm)
    sub.refresh_from_db()
    assert sub.status == Status.CONFIRMED


def test_issue_goes_to_confirmed_subscribers_of_its_language_once(outreach_supervisor, worker):
    confirmed = subscription(email="yes@example.org")
    subscription(email="pending@example.org", status=Status.PENDING)
    subscription(email="gone@example.org", status=Status.UNSUBSCRIBED)
    subscription(email="spanish@example.org", language="es")
    issue = NewsletterIssue.objects.create(subject="This month", body="News of the month.")
    with worker():
        assert services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor) == 1
    email = OutboundEmail.objects.get(template="outreach/newsletter_issue")
    assert email.to == "yes@example.org"
    assert email.subject == "This month"
    assert "News of the month." in email.body_text
    assert _url("newsletter_unsubscribe", token=confirmed.token) in email.body_text
    issue.refresh_from_db()
    assert issue.sent_at is not None
    assert issue.recipients == 1
    with pytest.raises(ValidationError):
        services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor)
    assert OutboundEmail.objects.filter(template="outreach/newsletter_issue").count() == 1


def test_only_supervisors_send(outreach_staff):
    issue = NewsletterIssue.objects.create(subject="S", body="B")
    with pytest.raises(PermissionDenied):
        services_media.newsletter_issue_send(issue=issue, actor=outreach_staff)


def test_staff_see_counts_by_language_and_status(client_for, outreach_staff, outreach_supervisor, worker):
    subscription(email="a@example.org")
    subscription(email="b@example.org")
    subscription(email="c@example.org", status=Status.PENDING)
    subscription(email="d@example.org", language="es")
    body = client_for(outreach_staff).get(_url("staff_newsletter")).content.decode()
    assert re.search(r"English</th><td>2</td><td>1</td><td>0</td>", body)
    assert re.search(r"Spanish</th><td>1</td><td>0</td><td>0</td>", body)
    assert "a@example.org" not in body  # counts, not addresses
    issue = NewsletterIssue.objects.create(subject="Ready", body="B")
    assert _url("staff_newsletter_send", pk=issue.pk) not in body
    supervisor_page = client_for(outreach_supervisor).get(_url("staff_newsletter")).content.decode()
    assert _url("staff_newsletter_send", pk=issue.pk) in supervisor_page
    with worker():
        response = client_for(outreach_supervisor).post(_url("staff_newsletter_send", pk=issue.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(template="outreach/newsletter_issue").count() == 2
    assert client_for(outreach_staff).post(_url("staff_newsletter_send", pk=issue.pk)).status_code == 403


def test_subscribe_form_refuses_a_bot(client):
    client.post(
        _url("newsletter_subscribe"),
        {
            "email": "bot@example.org",
            "language": "en",
            "website": "x",
            "form_ts": form_timestamp(scope="newsletter_subscribe", seconds_ago=30),
        },
    )
    assert not NewsletterSubscription.objects.exists()


def test_issue_messages_carry_one_click_list_unsubscribe_headers(outreach_supervisor, worker, settings, mailoutbox):
    settings.SITE_URL = "https://portal.example"
    english = subscription(email="en@example.org")
    spanish = subscription(email="es@example.org", language="es")
    for language in ("en", "es"):
        issue = NewsletterIssue.objects.create(subject=f"Issue {language}", body="B", language=language)
        with worker():
            services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor)
    email = OutboundEmail.objects.get(to="en@example.org")
    link = "https://portal.example" + _url("newsletter_unsubscribe", token=english.token)
    assert email.headers == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert link in email.body_text  # the same link as in the body
    spanish_email = OutboundEmail.objects.get(to="es@example.org")
    assert spanish_email.headers["List-Unsubscribe"] == (
        "<https://portal.example" + _url("newsletter_unsubscribe", "es", token=spanish.token) + ">"
    )
    # The headers reach the message that is sent.
    outbound_email_send(email_id=email.pk)
    assert mailoutbox[-1].extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert "List-Unsubscribe=One-Click" in mailoutbox[-1].message().as_string()


def test_one_click_post_unsubscribes_without_csrf_token_or_session():
    sub = subscription(email="oneclick@example.org")
    client = Client(enforce_csrf_checks=True)
    page = client.get(_url("newsletter_unsubscribe", token=sub.token))
    assert page.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Status.CONFIRMED  # GET only shows the button
    response = Client(enforce_csrf_checks=True).post(
        _url("newsletter_unsubscribe", token=sub.token), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Status.UNSUBSCRIBED
    assert AuditEntry.objects.filter(action="outreach.newsletter.unsubscribe").count() == 1
    bad = Client(enforce_csrf_checks=True).post(
        _url("newsletter_unsubscribe", token=sub.token[:-2] + "xx"), {"List-Unsubscribe": "One-Click"}
    )
    assert bad.status_code == 404


def test_other_public_forms_still_need_a_csrf_token():
    response = Client(enforce_csrf_checks=True).post(_url("newsletter_subscribe"), {"email": "x@example.org"})
    assert response.status_code == 403


def test_send_marks_the_issue_and_the_task_queues_the_messages(outreach_supervisor, django_capture_on_commit_callbacks):
    subscription(email="one@example.org")
    subscription(email="two@example.org")
    issue = NewsletterIssue.objects.create(subject="Queued", body="B")
    with (
        mock.patch.object(tasks_media.newsletter_issue_deliver, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor) == 2
        assert not OutboundEmail.objects.exists()  # nothing queued inside the request
        apply_async.assert_not_called()  # only after commit
    apply_async.assert_called_once_with(kwargs={"issue_id": issue.pk}, retry=False)
    issue.refresh_from_db()
    assert issue.send_requested_at is not None
    assert issue.sent_at is None
    with pytest.raises(ValidationError):  # sending, not sendable again
        services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor)
    assert tasks_media.newsletter_issue_deliver(issue_id=issue.pk) == 2
    assert tasks_media.newsletter_issue_deliver(issue_id=issue.pk) is None  # redelivered: no-op
    assert OutboundEmail.objects.filter(template="outreach/newsletter_issue").count() == 2
    issue.refresh_from_db()
    assert issue.sent_at is not None
    assert issue.recipients == 2
    assert AuditEntry.objects.filter(action="outreach.newsletter_issue.sent").count() == 1


def test_broker_down_delays_the_issue_until_the_sweep(outreach_supervisor, django_capture_on_commit_callbacks):
    subscription(email="late@example.org")
    issue = NewsletterIssue.objects.create(subject="Late", body="B")
    with (
        mock.patch.object(
            tasks_media.newsletter_issue_deliver, "apply_async", side_effect=ConnectionError("refused")
        ) as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services_media.newsletter_issue_send(issue=issue, actor=outreach_supervisor)
    apply_async.assert_called_once()
    issue.refresh_from_db()
    assert issue.send_requested_at is not None
    assert issue.sent_at is None
    assert tasks_media.newsletter_issues_sweep() == 0  # too recent: the task may still be on its way
    never_sent = NewsletterIssue.objects.create(subject="Never asked", body="B")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert tasks_media.newsletter_issues_sweep() == 1
    issue.refresh_from_db()
    never_sent.refresh_from_db()
    assert issue.sent_at is not None
    assert issue.recipients == 1
    assert never_sent.sent_at is None  # an issue nobody sent stays a draft
    assert OutboundEmail.objects.filter(to="late@example.org").count() == 1


def test_the_sweep_beat_row_names_the_pinned_task():
    from django_celery_beat.models import PeriodicTask

    from jcr.core import work

    row = PeriodicTask.objects.get(task="outreach.media.newsletter_issues_sweep")
    assert (row.enabled, row.interval.every) == (True, 5)
    assert work.task_named(row.task).name == tasks_media.newsletter_issues_sweep.name == row.task
    assert work.task_named("outreach.media.newsletter_issue_deliver").name == "outreach.media.newsletter_issue_deliver"
