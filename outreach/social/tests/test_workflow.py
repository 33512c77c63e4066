"""Social publishing workflow: submit, approve (never one's own), edit sends back, schedule,
cancel, pause with who and why; per-channel validation; credentials encrypted at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jcr.core.models import AuditEntry
from outreach.social import selectors, services, validation
from outreach.social.models import ChannelAccount, Delivery, PublishingPause, SocialPost
from outreach.social.tests import factories as f

pytestmark = pytest.mark.django_db
S = SocialPost.Status


@pytest.fixture
def channels(db):
    return [f.channel("development"), f.channel("mastodon", base_url="https://m.example")]


def test_full_workflow_to_scheduled_deliveries(outreach_staff, outreach_supervisor, channels):
    post = services.post_create(
        user=outreach_staff,
        title="Town hall",
        body="Town hall Saturday",
        channel_ids=[c.pk for c in channels],
        variants={channels[1].pk: "Town hall Saturday #community"},
    )
    assert post.status == S.DRAFT
    assert post.author == outreach_staff
    services.post_submit(post=post, user=outreach_staff)
    when = timezone.now() + timedelta(hours=2)
    post = services.post_approve(post=post, user=outreach_supervisor, publish_at=when)
    post.refresh_from_db()
    assert post.status == S.SCHEDULED
    assert post.approver == outreach_supervisor
    rows = {d.channel_id: d for d in Delivery.objects.filter(post=post)}
    assert set(rows) == {c.pk for c in channels}
    assert rows[channels[1].pk].text == "Town hall Saturday #community"
    assert rows[channels[0].pk].text == "Town hall Saturday"
    assert all(d.status == Delivery.Status.SCHEDULED and d.next_attempt_at == when for d in rows.values())
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"social_post.create", "social_post.submit", "social_post.approve", "social_post.schedule"} <= actions


def test_nobody_approves_their_own_post(outreach_supervisor, channels):
    post = f.post(outreach_supervisor, channels=channels, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, user=outreach_supervisor)
    post.refresh_from_db()
    assert post.status == S.SUBMITTED
    assert post.approver is None


def test_staff_cannot_approve_or_pause(outreach_staff, outreach_supervisor, channels):
    post = f.post(outreach_supervisor, channels=channels, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, user=outreach_staff)
    with pytest.raises(PermissionDenied):
        services.publishing_pause(user=outreach_staff, reason="Emergency")
    assert not PublishingPause.objects.exists()


def test_editing_an_approved_post_sends_it_back(outreach_staff, outreach_supervisor, channels):
    post = f.post(outreach_staff, channels=channels, status=S.SUBMITTED)
    services.post_approve(post=post, user=outreach_supervisor, publish_at=timezone.now() + timedelta(days=1))
    assert Delivery.objects.filter(post=post).count() == 2
    post = services.post_update(post=post, user=outreach_staff, body="Changed text")
    post.refresh_from_db()
    assert post.status == S.SUBMITTED
    assert post.approver is None
    assert not Delivery.objects.filter(post=post).exists()


def test_cancel_withdraws_scheduled_deliveries(outreach_staff, outreach_supervisor, channels):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, channels, due=timezone.now() + timedelta(days=1))
    services.post_cancel(post=post, user=outreach_staff)
    post.refresh_from_db()
    assert post.status == S.CANCELLED
    assert set(Delivery.objects.filter(post=post).values_list("status", flat=True)) == {Delivery.Status.CANCELLED}
    with pytest.raises(ValidationError):
        services.post_cancel(post=post, user=outreach_staff)


def test_submit_refused_when_a_channel_is_invalid(outreach_staff):
    x = f.channel("x")
    insta = f.channel("instagram")
    post = f.post(outreach_staff, channels=[x, insta], body="a" * 281)
    with pytest.raises(ValidationError) as err:
        services.post_submit(post=post, user=outreach_staff)
    text = " ".join(err.value.messages)
    assert "281 characters: the limit here is 280." in text
    assert "Instagram needs an image." in text
    post.refresh_from_db()
    assert post.status == S.DRAFT


def test_image_without_alt_text_blocks_approval(outreach_staff, outreach_supervisor, channels):
    post = f.post(outreach_staff, channels=channels, status=S.SUBMITTED)
    f.image(post, alt="")
    with pytest.raises(ValidationError, match="alternative text"):
        services.post_approve(post=post, user=outreach_supervisor)


def test_pause_and_resume_record_who_and_why(outreach_supervisor):
    pause = services.publishing_pause(user=outreach_supervisor, reason="Officer-involved incident")
    assert selectors.pause_get_active() == pause
    assert services.publishing_pause(user=outreach_supervisor, reason="again") == pause  # one at a time
    services.publishing_resume(user=outreach_supervisor, note="Cleared by the chief")
    pause.refresh_from_db()
    assert pause.started_by == outreach_supervisor
    assert pause.resumed_by == outreach_supervisor
    assert pause.reason == "Officer-involved incident"
    assert pause.resume_note == "Cleared by the chief"
    assert selectors.pause_get_active() is None
    assert AuditEntry.objects.filter(action="social_publishing.pause").exists()


# --- validation ---------------------------------------------------------------------------


def test_x_counts_each_link_as_23():
    link = "https://example.gov/" + "a" * 100
    assert validation.x_length(f"Read {link}") == 5 + 23
    text = "a" * 257 + " " + link  # 258 + 23 = 281
    assert validation.channel_check(platform="x", text=text, images=[]).problems
    assert validation.channel_check(platform="x", text="a" * 256 + " " + link, images=[]).ok


def test_bluesky_counts_graphemes():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, 5 code points
    assert validation.graphemes(family) == 1
    assert validation.channel_check(platform="bluesky", text=family * 300, images=[]).ok
    assert not validation.channel_check(platform="bluesky", text=family * 301, images=[]).ok
    assert validation.channel_check(platform="bluesky", text="é" * 300, images=[]).ok


def test_mastodon_500_and_media_rules():
    assert validation.channel_check(platform="mastodon", text="a" * 500, images=[]).ok
    assert not validation.channel_check(platform="mastodon", text="a" * 501, images=[]).ok
    assert validation.channel_check(platform="instagram", text="Hi", images=[]).problems == (
        "Instagram needs an image.",
    )
    assert validation.channel_check(platform="instagram", text="Hi", images=[("p.png", "Alt")]).ok
    video = validation.channel_check(platform="facebook", text="Hi", images=[], video_url="https://v.example/a.mp4")
    assert video.problems == ("The video needs captions.",)


def test_credentials_are_encrypted_at_rest(settings):
    from cryptography.fernet import Fernet

    settings.JCR_SOCIAL_CREDENTIALS_KEY = Fernet.generate_key().decode()
    account = f.channel("mastodon", credentials={"access_token": "s3cret-token"})
    raw = ChannelAccount.objects.values_list("credentials_encrypted", flat=True).get(pk=account.pk)
    assert "s3cret" not in raw
    assert raw
    assert ChannelAccount.objects.get(pk=account.pk).credentials_get() == {"access_token": "s3cret-token"}
