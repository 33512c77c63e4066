"""Outreach staff write, preview and test the newsletter on the staff pages, and a supervisor
sends it after a confirmation step; media contacts are kept on the content pages. (Before, all
of this lived in an admin the outreach roles cannot open.)"""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from jcr.core.models import AuditEntry, OutboundEmail
from outreach.media import tasks as tasks_media
from outreach.media.models import MediaContact, NewsletterIssue
from outreach.media.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    def run(kwargs, retry):
        return tasks_media.newsletter_issue_deliver(**kwargs)

    with mock.patch.object(tasks_media.newsletter_issue_deliver, "apply_async", side_effect=run):
        yield lambda: django_capture_on_commit_callbacks(execute=True)


def _url(name, **kwargs):
    return reverse(f"outreach:{name}", kwargs=kwargs or None)


def _issue_emails():
    return OutboundEmail.objects.filter(template="outreach/newsletter_issue")


def test_outreach_staff_write_preview_and_test_an_issue(client_for, outreach_staff):
    f.subscription(email="reader@example.org")
    client = client_for(outreach_staff)
    assert client.get(_url("staff_newsletter_issue_create")).status_code == 200
    response = client.post(
        _url("staff_newsletter_issue_create"), {"language": "en", "subject": "June news", "body": "Hello, June."}
    )
    issue = NewsletterIssue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("staff_newsletter_issue", pk=issue.pk)
    assert AuditEntry.objects.filter(action="outreach.newsletter_issue.create", actor=outreach_staff).exists()

    page = client.get(_url("staff_newsletter_issue", pk=issue.pk)).content.decode()
    assert "Hello, June." in page
    assert "Unsubscribe" in page  # the footer subscribers get
    assert _url("staff_newsletter_send", pk=issue.pk) not in page  # sending is the supervisor's

    client.post(_url("staff_newsletter_issue_edit", pk=issue.pk), {"language": "en", "subject": "June", "body": "Hi."})
    issue.refresh_from_db()
    assert (issue.subject, issue.body) == ("June", "Hi.")

    assert client.post(_url("staff_newsletter_issue_test", pk=issue.pk)).status_code == 302
    assert list(_issue_emails().values_list("to", flat=True)) == [outreach_staff.email]
    assert AuditEntry.objects.filter(action="outreach.newsletter_issue.test", actor=outreach_staff).exists()
    issue.refresh_from_db()
    assert issue.send_requested_at is None  # a test sends nothing to the list


def test_sending_to_the_list_asks_for_confirmation(client_for, outreach_staff, outreach_supervisor, worker):
    f.subscription(email="a@example.org")
    f.subscription(email="b@example.org")
    issue = NewsletterIssue.objects.create(subject="Ready", body="Text")
    url = _url("staff_newsletter_send", pk=issue.pk)
    assert client_for(outreach_staff).get(url).status_code == 403
    supervisor = client_for(outreach_supervisor)
    page = supervisor.get(url)
    assert page.status_code == 200
    assert "2 confirmed subscribers" in page.content.decode()
    with worker():
        refused = supervisor.post(url, {})
    assert refused.status_code == 400
    assert not _issue_emails().exists()
    issue.refresh_from_db()
    assert issue.send_requested_at is None
    with worker():
        assert supervisor.post(url, {"confirm": "on"}).status_code == 302
    assert sorted(_issue_emails().values_list("to", flat=True)) == ["a@example.org", "b@example.org"]


def test_a_sent_issue_can_no_longer_be_edited_or_tested(client_for, outreach_staff, worker):
    issue = NewsletterIssue.objects.create(subject="Gone", body="Out")
    NewsletterIssue.objects.filter(pk=issue.pk).update(send_requested_at=issue.created_at)
    client = client_for(outreach_staff)
    client.post(_url("staff_newsletter_issue_edit", pk=issue.pk), {"language": "en", "subject": "X", "body": "Y"})
    client.post(_url("staff_newsletter_issue_test", pk=issue.pk))
    issue.refresh_from_db()
    assert issue.subject == "Gone"
    assert not _issue_emails().exists()


def test_outreach_staff_keep_media_contacts_on_the_content_pages(client_for, outreach_staff):
    client = client_for(outreach_staff)
    data = {
        "name": "Dana Cruz",
        "title": "Press officer",
        "email": "dana@da.example.gov",
        "phone": "",
        "is_active": "on",
    }
    assert client.post(_url("content_contact_create"), data).status_code == 302
    contact = MediaContact.objects.get()
    assert client.post(_url("content_contact_edit", pk=contact.pk), {**data, "is_active": ""}).status_code == 302
    contact.refresh_from_db()
    assert contact.is_active is False
    actions = set(AuditEntry.objects.filter(actor=outreach_staff).values_list("action", flat=True))
    assert {"outreach.media_contact.create", "outreach.media_contact.change"} <= actions
    assert "Dana Cruz" in client.get(_url("content_list")).content.decode()


def test_a_news_item_names_its_media_contacts(client_for, outreach_staff):
    contact = MediaContact.objects.create(name="Dana Cruz", email="dana@da.example.gov")
    item = f.news_item(published=False)
    data = {
        "title": item.title, "slug": item.slug, "language": item.language, "kind": item.kind,
        "summary": item.summary, "body": item.body, "contacts": [contact.pk],
    }  # fmt: skip
    response = client_for(outreach_staff).post(_url("content_news_edit", pk=item.pk), data)
    assert response.status_code == 302
    assert list(item.contacts.all()) == [contact]
