"""Instagram (Graph API, business account): POST /{ig-user-id}/media (image_url, caption,
alt_text) creates a container, POST /{ig-user-id}/media_publish publishes it. The image must
be at a public address (the site's media URL)."""

from __future__ import annotations

import contextlib

from outreach.social.platforms.base import BaseClient, PlatformError, PlatformRejected, PublishResult


class Client(BaseClient):
    platform = "instagram"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        if not images or not images[0].url:
            raise PlatformRejected("Instagram needs an image at a public address.")
        user = self.channel.account_id
        token = self.token()
        image = images[0]
        container = self.request(
            "POST",
            f"{self.base}/{user}/media",
            data={"image_url": image.url, "caption": text, "alt_text": image.alt, "access_token": token},
        ).json()["id"]
        remote_id = str(
            self.request(
                "POST", f"{self.base}/{user}/media_publish", data={"creation_id": container, "access_token": token}
            ).json()["id"]
        )
        url = ""
        # A read after publishing: its failure must not make the post look unpublished.
        with contextlib.suppress(PlatformError):
            url = (
                self.request("GET", f"{self.base}/{remote_id}", params={"fields": "permalink", "access_token": token})
                .json()
                .get("permalink", "")
            )
        return PublishResult(remote_id=remote_id, url=url)
