"""Demo social publishing for `manage.py seed_demo` (idempotent): a development channel (its
posts land in the outbox visible in admin) plus a post in each state: a draft, one awaiting
approval, one scheduled for tomorrow, one published, one to check on the platform and one
that failed; and a weekly post whose first occurrence went out and whose second is scheduled.
Posts go through outreach.social.services where the workflow matters."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jcr.accounts.models import User
from outreach.social import services, services_delivery, services_recurring
from outreach.social.models import ChannelAccount, Delivery, DevelopmentOutboxEntry, Platform, SocialPost

AUTHOR = "outreach@demo.jcr.example"
APPROVER = "outreach.supervisor@demo.jcr.example"

POSTS = [
    ("Community fair this Saturday", "draft"),
    ("Youth court volunteers wanted", "submitted"),
    ("Know your rights workshop tomorrow", "scheduled"),
    ("New Justice Journal episode", "published"),
    ("Scam warning for seniors", "check"),
    ("Town hall recap", "failed"),
]
REPEATING = "Weekly community office hours"


def seed() -> None:
    author = User.objects.filter(email=AUTHOR).first()
    approver = User.objects.filter(email=APPROVER).first()
    if author is None or approver is None:
        return
    with transaction.atomic():
        channel, _ = ChannelAccount.objects.get_or_create(
            platform=Platform.DEVELOPMENT, name="Development outbox", defaults={"is_active": True}
        )
        now = timezone.now()
        for title, state in POSTS:
            if SocialPost.objects.filter(title=title).exists():
                continue
            body = f"{title}. Details: https://da.example.gov/outreach"
            post = services.post_create(user=author, title=title, body=body, channel_ids=[channel.pk])
            if state == "draft":
                continue
            services.post_submit(post=post, user=author)
            if state == "submitted":
                continue
            when = now + timedelta(days=1) if state == "scheduled" else now - timedelta(days=2)
            services.post_approve(post=post, user=approver, publish_at=when)
            delivery = Delivery.objects.get(post=post)
            if state == "published":
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.PUBLISHED,
                    attempts=1,
                    claimed_at=when,
                    published_at=when,
                    remote_id=f"dev-demo-{delivery.pk}",
                )
                DevelopmentOutboxEntry.objects.get_or_create(
                    delivery=delivery, defaults={"channel": channel, "text": delivery.text, "created_at": when}
                )
            elif state == "check":
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.CHECK,
                    attempts=1,
                    claimed_at=when,
                    error="The worker stopped during the platform call: check the platform for the post.",
                )
            elif state == "failed":
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, attempts=1, error="HTTP 422: Validation failed (demo)"
                )
            services_delivery._post_status_sync(post.pk)
        _repeating_seed(author, approver, channel, now)


def _repeating_seed(author, approver, channel, now) -> None:
    if SocialPost.objects.filter(title=REPEATING).exists():
        return
    when = now - timedelta(days=3)
    post = services.post_create(
        user=author,
        title=REPEATING,
        body="Community office hours with the outreach team, every week. https://da.example.gov/outreach",
        channel_ids=[channel.pk],
        publish_at=when,
        repeat=SocialPost.Repeat.WEEKLY,
        repeat_count=8,
    )
    services.post_submit(post=post, user=author)
    services.post_approve(post=post, user=approver)
    delivery = Delivery.objects.get(post=post)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PUBLISHED,
        attempts=1,
        claimed_at=when,
        published_at=when,
        remote_id=f"dev-demo-{delivery.pk}",
    )
    DevelopmentOutboxEntry.objects.get_or_create(
        delivery=delivery, defaults={"channel": channel, "text": delivery.text, "created_at": when}
    )
    services_delivery._post_status_sync(post.pk)
    services_recurring.occurrence_next(post_id=post.pk, now=now)
