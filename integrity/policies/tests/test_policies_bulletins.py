"""Legal update bulletins: sanitised Markdown, audience, e-mail, acknowledgement, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from integrity.policies import services
from integrity.policies.models import Bulletin, BulletinRecipient, BulletinReminder, DocumentStatus
from integrity.policies.tests import factories as f
from jcr.accounts import roles
from jcr.core.markdown import markdown_render
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db


def _tags(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_markdown_drops_scripts_and_javascript_links():
    html = markdown_render(
        "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) [ok](https://example.org)\n\n"
        '<a href="javascript:alert(2)" onclick="x()">raw</a> <img src=x onerror=alert(3)>'
    )
    tags = _tags(html)
    assert "script" not in {t for t, _a in tags}
    assert "img" not in {t for t, _a in tags}
    attrs = [(name, value) for _t, a in tags for name, value in a]
    assert not [v for n, v in attrs if n == "href" and v.strip().lower().startswith("javascript")]
    assert not [n for n, _v in attrs if n.startswith("on")]
    assert "<script" not in html  # shown, if at all, as escaped text
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html
    assert "<h2>Title</h2>" in html


def test_save_renders_and_audits(jti_staff):
    bulletin = services.bulletin_save(
        bulletin=Bulletin(title="People v. Doe", summary="A new rule.", body="**Bold** <script>x</script>"),
        actor=jti_staff,
    )
    assert "<strong>Bold</strong>" in bulletin.body_html
    assert "<script" not in bulletin.body_html
    assert bulletin.created_by == jti_staff
    assert bulletin.status == DocumentStatus.DRAFT
    assert AuditEntry.objects.filter(action="integrity.bulletin.create", object_id=str(bulletin.public_id)).exists()


def test_save_refused_without_permission(outreach_staff):
    with pytest.raises(PermissionDenied):
        services.bulletin_save(bulletin=Bulletin(title="T", summary="S", body="B"), actor=outreach_staff)


def test_publish_refused_to_jti_staff_allowed_to_chief(jti_staff, jti_chief):
    bulletin = f.bulletin()
    with pytest.raises(PermissionDenied):
        services.bulletin_publish(bulletin=bulletin, actor=jti_staff)
    services.bulletin_publish(bulletin=bulletin, actor=jti_chief)
    bulletin.refresh_from_db()
    assert bulletin.status == DocumentStatus.PUBLISHED
    assert bulletin.published_by == jti_chief
    with pytest.raises(ValidationError):
        services.bulletin_publish(bulletin=bulletin, actor=jti_chief)


def test_audience_all_deputies_reaches_every_active_staff_member_not_residents(
    jti_chief, outreach_staff, community_prosecutor, resident_user, django_capture_on_commit_callbacks
):
    from jcr.accounts.tests.factories import StaffFactory

    gone = StaffFactory(roles=[roles.JTI_STAFF], is_active=False)
    with django_capture_on_commit_callbacks(execute=False):
        bulletin = f.bulletin(published=True, actor=jti_chief)
    people = set(bulletin.recipients.values_list("person__email", flat=True))
    assert {jti_chief.email, outreach_staff.email, community_prosecutor.email} <= people
    assert resident_user.email not in people
    assert gone.email not in people
    assert OutboundEmail.objects.filter(related_id=str(bulletin.public_id)).count() == len(people)


def test_audience_by_unit_targets_only_its_role_groups(jti_chief, jti_staff, outreach_staff, community_prosecutor):
    bulletin = f.bulletin(published=True, actor=jti_chief, groups=[roles.COMMUNITY_PROSECUTOR, roles.JTI_STAFF])
    people = set(bulletin.recipients.values_list("person", flat=True))
    assert people == {community_prosecutor.pk, jti_staff.pk}
    emails = set(OutboundEmail.objects.filter(related_id=str(bulletin.public_id)).values_list("to", flat=True))
    assert emails == {community_prosecutor.email, jti_staff.email}


def test_units_audience_without_units_is_refused(jti_chief):
    bulletin = f.bulletin(audience=Bulletin.Audience.UNITS)
    with pytest.raises(ValidationError):
        services.bulletin_publish(bulletin=bulletin, actor=jti_chief)
    bulletin.refresh_from_db()
    assert bulletin.status == DocumentStatus.DRAFT
    assert not bulletin.recipients.exists()


def test_email_in_each_persons_language(jti_chief, jti_staff):
    jti_staff.preferred_language = "es"
    jti_staff.save()
    bulletin = f.bulletin(
        published=True,
        actor=jti_chief,
        groups=[roles.JTI_STAFF, roles.JTI_CHIEF],
        title="People v. Doe",
        summary="English summary",
        summary_es="Resumen en español",
    )
    es = OutboundEmail.objects.get(related_id=str(bulletin.public_id), to=jti_staff.email)
    en = OutboundEmail.objects.get(related_id=str(bulletin.public_id), to=jti_chief.email)
    assert es.language == "es"
    assert "Resumen en español" in es.body_text
    assert "/es/" in es.body_text
    assert en.language == "en"
    assert "English summary" in en.body_text
    assert "People v. Doe" in en.subject
    assert "People v. Doe" in es.subject


def test_acknowledge_is_idempotent(jti_chief, jti_staff):
    bulletin = f.bulletin(published=True, actor=jti_chief)
    first = services.bulletin_acknowledge(bulletin=bulletin, person=jti_staff)
    when = first.acknowledged_at
    again = services.bulletin_acknowledge(bulletin=bulletin, person=jti_staff)
    assert again.acknowledged_at == when
    assert AuditEntry.objects.filter(action="integrity.bulletin.acknowledge").count() == 1


def test_acknowledge_refused_to_someone_not_addressed(jti_chief, outreach_staff):
    bulletin = f.bulletin(published=True, actor=jti_chief, groups=[roles.JTI_CHIEF])
    with pytest.raises(PermissionDenied):
        services.bulletin_acknowledge(bulletin=bulletin, person=outreach_staff)


def test_reminders_only_to_non_acknowledgers_and_idempotent(jti_chief, jti_staff, community_prosecutor, settings):
    settings.JCR_LEGAL_UPDATE_REMINDER_DAYS = 7
    bulletin = f.bulletin(
        published=True, actor=jti_chief, groups=[roles.JTI_STAFF, roles.JTI_CHIEF, roles.COMMUNITY_PROSECUTOR]
    )
    services.bulletin_acknowledge(bulletin=bulletin, person=jti_staff)
    published = bulletin.published_at
    assert services.bulletin_reminders_send(now=published + timedelta(days=6)) == 0  # not yet due
    before = OutboundEmail.objects.filter(template="integrity/bulletin_reminder").count()
    assert services.bulletin_reminders_send(now=published + timedelta(days=7, hours=1)) == 2
    assert services.bulletin_reminders_send(now=published + timedelta(days=7, hours=2)) == 0  # same day again
    reminded = set(BulletinReminder.objects.values_list("recipient__person", flat=True))
    assert reminded == {jti_chief.pk, community_prosecutor.pk}
    mails = OutboundEmail.objects.filter(template="integrity/bulletin_reminder")
    assert mails.count() - before == 2
    assert set(mails.values_list("to", flat=True)) == {jti_chief.email, community_prosecutor.email}
    # A second reminder a period later, none after acknowledging, at most REMINDERS_MAX in all.
    services.bulletin_acknowledge(bulletin=bulletin, person=community_prosecutor)
    assert services.bulletin_reminders_send(now=published + timedelta(days=14, hours=1)) == 1
    assert services.bulletin_reminders_send(now=published + timedelta(days=60)) == 1
    assert services.bulletin_reminders_send(now=published + timedelta(days=90)) == 0
    assert list(
        BulletinReminder.objects.filter(recipient__person=jti_chief)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    ) == [1, 2, 3]


def test_reminder_task_runs_the_service(jti_chief):
    from integrity.policies.tasks import bulletin_reminders_send

    bulletin = f.bulletin(published=True, actor=jti_chief, groups=[roles.JTI_CHIEF])
    BulletinRecipient.objects.filter(bulletin=bulletin).update()
    Bulletin.objects.filter(pk=bulletin.pk).update(published_at=timezone.now() - timedelta(days=8))
    assert bulletin_reminders_send() == 1
    assert bulletin_reminders_send() == 0


def test_beat_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="integrity.policies.bulletin_reminders_send", enabled=True).exists()


# --- Pages ---------------------------------------------------------------------------------


def test_staff_acknowledge_page(client_for, jti_chief, community_prosecutor):
    bulletin = f.bulletin(published=True, actor=jti_chief, groups=[roles.COMMUNITY_PROSECUTOR])
    client = client_for(community_prosecutor)
    url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert b"Acknowledge" in page.content
    assert b"people have not acknowledged" not in page.content  # the list is for JTI staff only
    ack = reverse("integrity:bulletin_acknowledge", kwargs={"public_id": bulletin.public_id})
    assert client.get(ack).status_code == 405
    assert client.post(ack).status_code == 302
    assert client.post(ack).status_code == 302
    assert BulletinRecipient.objects.get(bulletin=bulletin, person=community_prosecutor).acknowledged_at


def test_who_has_acknowledged_is_shown_to_jti_staff(client_for, jti_chief, jti_staff, community_prosecutor):
    bulletin = f.bulletin(published=True, actor=jti_chief, groups=[roles.COMMUNITY_PROSECUTOR, roles.JTI_CHIEF])
    services.bulletin_acknowledge(bulletin=bulletin, person=community_prosecutor)
    page = client_for(jti_staff).get(reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id}))
    text = page.content.decode()
    assert "1 person has acknowledged" in text
    assert "1 person has not acknowledged" in text
    assert community_prosecutor.full_name in text
    assert jti_chief.full_name in text


def test_bulletin_hidden_from_those_not_addressed_and_drafts_hidden(client_for, jti_chief, outreach_staff):
    sent = f.bulletin(published=True, actor=jti_chief, groups=[roles.JTI_CHIEF])
    draft = f.bulletin()
    client = client_for(outreach_staff)
    for b in (sent, draft):
        assert client.get(reverse("integrity:bulletin_detail", kwargs={"public_id": b.public_id})).status_code == 404
        url = reverse("integrity:bulletin_acknowledge", kwargs={"public_id": b.public_id})
        assert client.post(url).status_code == 404
    listing = client.get(reverse("integrity:bulletin_list")).content.decode()
    assert sent.title not in listing
    assert draft.title not in listing


def test_write_and_publish_pages(client_for, jti_staff, jti_chief, django_capture_on_commit_callbacks):
    client = client_for(jti_staff)
    response = client.post(
        reverse("integrity:bulletin_create"),
        {"title": "Brady update", "summary": "New duty.", "body": "Text [x](javascript:alert(1))", "audience": "all"},
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get(title="Brady update")
    assert 'href="javascript' not in bulletin.body_html
    assert "<a" not in bulletin.body_html
    publish = reverse("integrity:bulletin_publish", kwargs={"public_id": bulletin.public_id})
    assert client.post(publish).status_code == 403
    bad = client.post(
        reverse("integrity:bulletin_create"), {"title": "X", "summary": "S", "body": "B", "audience": "units"}
    )
    assert bad.status_code == 200
    assert not Bulletin.objects.filter(title="X").exists()
    with django_capture_on_commit_callbacks(execute=False):
        assert client_for(jti_chief).post(publish).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == DocumentStatus.PUBLISHED
    edit = reverse("integrity:bulletin_edit", kwargs={"public_id": bulletin.public_id})
    assert client.get(edit).status_code == 403  # published: no longer editable


def test_bulletin_pages_query_counts_constant(client_for, jti_chief, jti_staff):
    from jcr.accounts.tests.factories import StaffFactory
    from tests.support import assert_max_queries

    bulletin = f.bulletin(published=True, actor=jti_chief)
    url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})
    client = client_for(jti_staff)
    client.get(url)
    with assert_max_queries(12):
        client.get(url)
    for _ in range(15):
        StaffFactory(roles=[roles.OUTREACH_STAFF], totp=False)
    more = f.bulletin(published=True, actor=jti_chief)
    for b in [f.bulletin(published=True) for _ in range(10)]:
        services.bulletin_acknowledge(bulletin=b, person=jti_staff)
    with assert_max_queries(12):
        assert client.get(reverse("integrity:bulletin_detail", kwargs={"public_id": more.public_id})).status_code == 200
    with assert_max_queries(12):
        assert client.get(reverse("integrity:bulletin_list")).status_code == 200
    with assert_max_queries(12):
        assert client.get(reverse("integrity:my_acknowledgements")).status_code == 200


def test_sanitiser_cleans_html_that_reaches_it():
    """Even if the Markdown parser let raw HTML through, nh3 would remove it."""
    from jcr.core import markdown

    dirty = '<p>ok <a href="javascript:alert(1)">x</a><script>alert(2)</script><img src=x onerror=y></p>'
    original = markdown._markdown.render
    try:
        markdown._markdown.render = lambda text: dirty
        html = markdown.markdown_render("anything")
    finally:
        markdown._markdown.render = original
    assert "javascript" not in html
    assert "<script" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "ok" in html
