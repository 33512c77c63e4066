"""Quality-gate hooks of social publishing (combined into outreach/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample


def _people():
    from jcr.accounts.models import User
    from jcr.accounts.tests.factories import StaffFactory

    author = User.objects.filter(email="social-author@da.example.gov").first() or StaffFactory(
        email="social-author@da.example.gov"
    )
    approver = User.objects.filter(email="social-approver@da.example.gov").first() or StaffFactory(
        email="social-approver@da.example.gov"
    )
    return author, approver


def _channel():
    from outreach.social.models import ChannelAccount
    from outreach.social.tests import factories as f

    return ChannelAccount.objects.filter(platform="development").order_by("pk").first() or f.channel("development")


def admin_rows_ensure() -> None:
    """One row of each social model for the admin's object pages."""
    from outreach.social.models import DevelopmentOutboxEntry, PostMedia, PublishingPause, SocialPost
    from outreach.social.tests import factories as f

    author, approver = _people()
    channel = _channel()
    if not SocialPost.objects.exists():
        post = f.scheduled_post(author, approver, [channel])
        f.image(post)
    post = SocialPost.objects.order_by("pk").first()
    if not PostMedia.objects.exists():
        f.image(post)
    delivery = post.deliveries.order_by("pk").first() or f.delivery(post, channel)
    if not DevelopmentOutboxEntry.objects.exists():
        DevelopmentOutboxEntry.objects.create(channel=channel, delivery=delivery, text=post.body)
    if not PublishingPause.objects.exists():
        from django.utils import timezone

        PublishingPause.objects.create(started_by=approver, reason="Drill", resumed_at=timezone.now())


def seed_private_markers(*, personas, marker) -> list[str]:
    """Draft and published posts, a channel's stored token, an error text: staff-only."""
    from django.utils import timezone

    from outreach.social.models import Delivery
    from outreach.social.tests import factories as f

    author, approver = _people()
    token = marker("social-token")
    channel = f.channel("mastodon", name=marker("social-channel"), credentials={"access_token": token})
    draft = marker("social-draft")
    f.post(author, channels=[channel], body=draft, title=marker("social-title"))
    published = marker("social-published")
    post = f.scheduled_post(author, approver, [channel], body=published)
    post.deliveries.update(status=Delivery.Status.PUBLISHED, published_at=timezone.now(), remote_id=marker("social-id"))
    error = marker("social-error")
    other = f.scheduled_post(author, approver, [channel], body="Second")
    other.deliveries.update(status=Delivery.Status.FAILED, error=error)
    return [token, draft, published, error]


def _post_sample(personas, route: Route) -> Sample:
    from outreach.social.models import SocialPost
    from outreach.social.tests import factories as f

    author, _approver = _people()
    post = SocialPost.objects.filter(status=SocialPost.Status.DRAFT).order_by("pk").first() or f.post(
        author, channels=[_channel()]
    )
    return Sample(kwargs={"public_id": post.public_id})


def _action_sample(personas, route: Route) -> Sample:
    sample = _post_sample(personas, route)
    return Sample(kwargs={**sample.kwargs, "action": "submit"}, ok=302)


def _delivery_sample(personas, route: Route) -> Sample:
    from outreach.social.models import Delivery
    from outreach.social.tests import factories as f

    author, approver = _people()
    delivery = (
        Delivery.objects.order_by("pk").first() or f.scheduled_post(author, approver, [_channel()]).deliveries.get()
    )
    return Sample(kwargs={"pk": delivery.pk}, ok=302)


def _source_sample(personas, route: Route) -> Sample:
    from outreach.media.tests import factories as m

    return Sample(kwargs={"kind": "news", "pk": m.news_item().pk}, ok=302)


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "outreach:staff_social_detail": _post_sample,
        "outreach:staff_social_edit": _post_sample,
        "outreach:staff_social_action": _action_sample,
        "outreach:staff_social_mark_published": _delivery_sample,
        "outreach:staff_social_from_source": _source_sample,
    }
