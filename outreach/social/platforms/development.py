"""The development channel: 'publishes' to an outbox table visible in admin (for `make run`)."""

from __future__ import annotations

from outreach.social.platforms.base import BaseClient, PublishResult


class Client(BaseClient):
    platform = "development"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        from outreach.social.models import DevelopmentOutboxEntry

        entry, _ = DevelopmentOutboxEntry.objects.get_or_create(
            delivery=delivery,
            defaults={
                "channel": self.channel,
                "text": text,
                "media": [{"name": i.name, "alt": i.alt} for i in images],
            },
        )
        return PublishResult(remote_id=f"dev-{entry.pk}", url="")
