"""Social publishing staff pages: compose with server-side counts, approval refusals, the
check queue, pause, records archive and its audited export, drafts from content, the
calendar; constant query counts; no stored token in any page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jcr.core.models import AuditEntry
from outreach.social.models import Delivery, PublishingPause, SocialPost
from outreach.social.tests import factories as f
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db
D = Delivery.Status


def _url(name, **kwargs):
    return reverse(f"outreach:{name}", kwargs=kwargs or None)


def test_compose_creates_a_draft_with_variants_and_image(client_for, outreach_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    x, masto = f.channel("x"), f.channel("mastodon")
    client = client_for(outreach_staff)
    page = client.get(_url("staff_social_compose"))
    assert page.status_code == 200
    assert b"social-compose.js" in page.content
    response = client.post(
        _url("staff_social_compose"),
        {
            "title": "Fair",
            "body": "Community fair Saturday https://da.example.gov/fair",
            "channels": [x.pk, masto.pk],
            f"variant_{x.pk}": "Fair Saturday!",
            "image": SimpleUploadedFile("p.png", f.png_bytes(), content_type="image/png"),
            "alt_text": "Families at the fair",
        },
    )
    assert response.status_code == 302
    post = SocialPost.objects.get()
    assert post.author == outreach_staff
    assert post.status == SocialPost.Status.DRAFT
    assert {v.channel_id: v.body for v in post.variants.all()} == {x.pk: "Fair Saturday!", masto.pk: ""}
    assert post.media.get().alt_text == "Families at the fair"
    detail = client.get(response["Location"])
    assert b"23 / 280" not in detail.content  # the X variant has no link
    assert b"14 / 280" in detail.content  # "Fair Saturday!"


def test_compose_refuses_an_image_without_alt_text(client_for, outreach_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    x = f.channel("x")
    response = client_for(outreach_staff).post(
        _url("staff_social_compose"),
        {
            "title": "Fair",
            "body": "Hi",
            "channels": [x.pk],
            "image": SimpleUploadedFile("p.png", f.png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert b"Every image needs alternative text." in response.content
    assert not SocialPost.objects.exists()


def test_over_limit_counts_are_shown_server_side(client_for, outreach_staff):
    x = f.channel("x")
    response = client_for(outreach_staff).post(
        _url("staff_social_compose"), {"title": "", "body": "a" * 300, "channels": [x.pk]}
    )
    assert response.status_code == 400
    assert b"300 / 280" in response.content
    assert b"the limit here is 280" in response.content


def test_supervisor_cannot_approve_own_post_through_the_page(client_for, outreach_supervisor):
    post = f.post(outreach_supervisor, channels=[f.channel()], status=SocialPost.Status.SUBMITTED)
    response = client_for(outreach_supervisor).post(
        _url("staff_social_action", public_id=post.public_id, action="approve")
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == SocialPost.Status.SUBMITTED


def test_staff_cannot_approve_and_supervisor_can(client_for, outreach_staff, outreach_supervisor):
    post = f.post(outreach_staff, channels=[f.channel()], status=SocialPost.Status.SUBMITTED)
    url = _url("staff_social_action", public_id=post.public_id, action="approve")
    assert client_for(outreach_staff).post(url).status_code == 403
    assert client_for(outreach_staff).get(_url("staff_social_approvals")).status_code == 403
    assert client_for(outreach_supervisor).post(url).status_code == 302
    post.refresh_from_db()
    assert post.status == SocialPost.Status.APPROVED
    assert post.approver == outreach_supervisor


def test_actions_are_post_only(client_for, outreach_staff):
    post = f.post(outreach_staff, channels=[f.channel()])
    client = client_for(outreach_staff)
    assert client.get(_url("staff_social_action", public_id=post.public_id, action="submit")).status_code == 405
    assert client.post(_url("staff_social_action", public_id=post.public_id, action="explode")).status_code == 404


def test_pause_page_records_who_and_why(client_for, outreach_staff, outreach_supervisor):
    assert client_for(outreach_staff).post(_url("staff_social_pause"), {"reason": "x"}).status_code == 403
    client = client_for(outreach_supervisor)
    assert client.post(_url("staff_social_pause"), {"reason": "Incident downtown"}).status_code == 302
    pause = PublishingPause.objects.get()
    assert pause.started_by == outreach_supervisor
    assert pause.reason == "Incident downtown"
    assert b"Incident downtown" in client.get(_url("staff_social_list")).content
    client.post(_url("staff_social_resume"), {"note": "All clear"})
    pause.refresh_from_db()
    assert pause.resumed_by == outreach_supervisor
    assert pause.resume_note == "All clear"


def test_check_queue_mark_published_and_retry(client_for, outreach_staff, outreach_supervisor):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("x"), f.channel("bluesky")])
    stuck, failed = post.deliveries.order_by("pk")
    Delivery.objects.filter(pk=stuck.pk).update(status=D.CHECK, claimed_at=timezone.now())
    Delivery.objects.filter(pk=failed.pk).update(status=D.FAILED, error="HTTP 503")
    client = client_for(outreach_supervisor)
    page = client.get(_url("staff_social_check"))
    assert b"mark published" in page.content
    assert b"HTTP 503" in page.content
    url = "https://x.com/da/status/1"
    assert client.post(_url("staff_social_mark_published", pk=stuck.pk), {"url": url}).status_code == 302
    assert client.post(_url("staff_social_retry"), {"ids": [failed.pk]}).status_code == 302
    stuck.refresh_from_db()
    failed.refresh_from_db()
    assert (stuck.status, stuck.remote_url, stuck.resolved_by) == (D.PUBLISHED, url, outreach_supervisor)
    assert failed.status == D.SCHEDULED
    assert client_for(outreach_staff).post(_url("staff_social_retry"), {"ids": [failed.pk]}).status_code == 403


def test_records_search_and_audited_export(client_for, outreach_staff, outreach_supervisor):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("mastodon")], body="=HYPERLINK(x) fair")
    f.image(post, alt="Volunteers with flyers")
    post.deliveries.update(
        status=D.PUBLISHED, published_at=timezone.now(), remote_id="109", remote_url="https://m.example/109"
    )
    client = client_for(outreach_supervisor)
    assert b"Volunteers with flyers" in client.get(_url("staff_social_records"), {"q": "flyers"}).content
    assert b"m.example/109" not in client.get(_url("staff_social_records"), {"q": "nothing-like-it"}).content
    assert client.get(_url("staff_social_records_export")).status_code == 200
    assert not AuditEntry.objects.filter(action="social_records.export").exists()
    response = client.post(_url("staff_social_records_export"), {"confirm": "yes"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2:5] == ["109", "https://m.example/109", "'=HYPERLINK(x) fair"]
    assert "Volunteers with flyers" in rows[1][5]
    assert rows[1][6:] == [outreach_staff.email, outreach_supervisor.email]
    entry = AuditEntry.objects.get(action="social_records.export")
    assert entry.actor_id == outreach_supervisor.pk
    assert client_for(outreach_staff).get(_url("staff_social_records_export")).status_code == 403


def test_draft_from_news_and_event_reminders(client_for, outreach_staff):
    from outreach.events.tests.factories import EventFactory
    from outreach.media.tests import factories as m

    f.channel("development")
    news = m.news_item()
    client = client_for(outreach_staff)
    response = client.post(_url("staff_social_from_source", kind="news", pk=news.pk))
    assert response.status_code == 302
    post = SocialPost.objects.get(source_kind="news", source_id=news.pk)
    assert news.title in post.body
    assert f"/news/{news.slug}/" in post.link
    client.post(_url("staff_social_from_source", kind="news", pk=news.pk))
    assert SocialPost.objects.filter(source_kind="news").count() == 1
    event = EventFactory(starts_at=timezone.now() + timedelta(days=20))
    client.post(_url("staff_social_from_source", kind="event_week", pk=event.pk))
    client.post(_url("staff_social_from_source", kind="event_day", pk=event.pk))
    week = SocialPost.objects.get(source_kind="event_week")
    day = SocialPost.objects.get(source_kind="event_day")
    assert week.publish_at == event.starts_at - timedelta(days=7)
    assert day.publish_at == event.starts_at - timedelta(days=1)
    assert client.post(_url("staff_social_from_source", kind="news", pk=999999)).status_code == 404


def test_calendar_week_and_month_show_deliveries(client_for, outreach_staff, outreach_supervisor):
    when = timezone.now() + timedelta(hours=1)
    f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("x")], due=when, title="Calendar post")
    client = client_for(outreach_staff)
    start = timezone.localtime(when).date().isoformat()
    assert b"Calendar post" in client.get(_url("staff_social_calendar"), {"start": start}).content
    assert b"Calendar post" in client.get(_url("staff_social_calendar"), {"view": "month", "start": start}).content


def test_month_calendar_shows_a_busy_day_briefly_and_its_week_in_full(client_for, outreach_staff, outreach_supervisor):
    from outreach.social.views import MONTH_DAY_ITEMS

    when = timezone.now() + timedelta(hours=1)
    x = f.channel("x")
    for i in range(MONTH_DAY_ITEMS + 3):
        f.scheduled_post(outreach_staff, outreach_supervisor, [x], due=when, title=f"Busy post {i:02d}")
    client = client_for(outreach_staff)
    start = timezone.localtime(when).date().isoformat()
    month = client.get(_url("staff_social_calendar"), {"view": "month", "start": start}).content.decode()
    assert month.count("Busy post") == MONTH_DAY_ITEMS
    assert "and 3 more posts on this day" in month
    assert f'href="?view=week&amp;start={start}"' in month
    week = client.get(_url("staff_social_calendar"), {"start": start}).content.decode()
    assert week.count("Busy post") == MONTH_DAY_ITEMS + 3


def test_stored_token_never_appears_in_admin(client_for, administrator):
    account = f.channel("mastodon", credentials={"access_token": "very-secret-token"})
    client = client_for(administrator)
    page = client.get(reverse("admin:outreach_channelaccount_change", args=[account.pk]))
    assert page.status_code == 200
    assert b"very-secret-token" not in page.content
    assert b"credentials_encrypted" not in page.content


@pytest.mark.parametrize(
    "name",
    [
        "staff_social_list",
        "staff_social_calendar",
        "staff_social_check",
        "staff_social_records",
        "staff_social_approvals",
    ],
)
def test_query_counts_do_not_grow_with_rows(client_for, outreach_supervisor, outreach_staff, name):
    channels = [f.channel("x"), f.channel("mastodon")]

    def make(n):
        for i in range(n):
            post = f.scheduled_post(outreach_staff, outreach_supervisor, channels, title=f"P{i}")
            f.image(post)
            post.deliveries.update(status=[D.PUBLISHED, D.CHECK, D.FAILED][i % 3], published_at=timezone.now())
            f.post(outreach_staff, channels=channels, status=SocialPost.Status.SUBMITTED)

    client = client_for(outreach_supervisor)
    make(2)
    client.get(_url(name))
    with assert_max_queries(12) as few:
        assert client.get(_url(name)).status_code == 200
    make(8)
    with assert_max_queries(12) as many:
        assert client.get(_url(name)).status_code == 200
    assert len(many) == len(few)


def test_detail_query_count_constant(client_for, outreach_supervisor, outreach_staff):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("x")])
    client = client_for(outreach_supervisor)
    url = _url("staff_social_detail", public_id=post.public_id)
    client.get(url)
    with assert_max_queries(12) as few:
        client.get(url)
    for platform in ("mastodon", "bluesky", "facebook", "nextdoor"):
        f.delivery(post, f.channel(platform))
        f.image(post)
    with assert_max_queries(12) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_dashboard_and_list_tell_of_expired_and_expiring_tokens(client_for, outreach_staff):
    now = timezone.now()
    f.channel("x", name="Expired X", token_expires_at=now - timedelta(hours=1))
    f.channel("mastodon", name="Soon Mastodon", token_expires_at=now + timedelta(days=3))
    f.channel("bluesky", name="Fine Bluesky", token_expires_at=now + timedelta(days=90))
    f.channel("facebook", name="Off Facebook", token_expires_at=now - timedelta(days=1), is_active=False)
    client = client_for(outreach_staff)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "1 social channel cannot publish: its token has expired" in dashboard
    assert "1 social channel needs a new token" in dashboard
    listing = client.get(_url("staff_social_list")).content.decode()
    assert "Expired X" in listing
    assert "Soon Mastodon" in listing
    assert "Fine Bluesky" not in listing
    assert "Off Facebook" not in listing


def test_dashboard_says_nothing_of_tokens_that_are_fine(client_for, outreach_staff):
    f.channel("x", token_expires_at=timezone.now() + timedelta(days=90))
    dashboard = client_for(outreach_staff).get(reverse("core:dashboard")).content.decode()
    assert "new token" not in dashboard
    assert "token has expired" not in dashboard


def test_compose_page_has_a_live_preview_card_per_channel(client_for, outreach_staff):
    channels = [f.channel(p) for p in ("x", "bluesky", "mastodon", "instagram")]
    page = client_for(outreach_staff).get(_url("staff_social_compose")).content.decode()
    assert "social-live-preview" in page
    for c in channels:
        assert f'data-preview-channel="{c.pk}" data-platform="{c.platform}"' in page
        assert f'data-for="id_variant_{c.pk}" data-platform="{c.platform}"' in page
