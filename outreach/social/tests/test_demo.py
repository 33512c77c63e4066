"""The demo social posts load twice without duplicates, one in each state, on the
development channel; the scheduled one publishes to the outbox when due."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jcr.accounts import demo as accounts_demo
from outreach.social import demo as demo_social
from outreach.social import services_delivery
from outreach.social.models import Delivery, DevelopmentOutboxEntry, SocialPost

pytestmark = pytest.mark.django_db


def test_demo_social_seed_is_idempotent_and_publishes_to_the_outbox():
    accounts_demo.people_seed()
    demo_social.seed()
    demo_social.seed()
    statuses = sorted(SocialPost.objects.values_list("status", flat=True))
    # ... plus a weekly post: its first occurrence published, its second scheduled
    assert statuses == sorted(
        ["draft", "submitted", "scheduled", "published", "failed", "failed", "published", "scheduled"]
    )
    assert Delivery.objects.filter(status=Delivery.Status.CHECK).count() == 1
    first = SocialPost.objects.get(title=demo_social.REPEATING, occurrence=1)
    second = SocialPost.objects.get(previous=first)
    assert second.status == SocialPost.Status.SCHEDULED
    assert second.publish_at > timezone.now()
    scheduled = Delivery.objects.exclude(post=second).get(status=Delivery.Status.SCHEDULED)
    Delivery.objects.filter(pk=scheduled.pk).update(next_attempt_at=timezone.now())
    assert services_delivery.delivery_publish(delivery_id=scheduled.pk) == Delivery.Status.PUBLISHED
    assert DevelopmentOutboxEntry.objects.filter(delivery=scheduled).exists()
