"""Mastodon: POST /api/v2/media (description = alt text), then POST /api/v1/statuses,
Bearer token; the Idempotency-Key makes a repeated call return the same status."""

from __future__ import annotations

from outreach.social.platforms.base import BaseClient, PublishResult


class Client(BaseClient):
    platform = "mastodon"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        headers = self.bearer()
        media_ids = []
        for image in images:
            response = self.request(
                "POST",
                f"{self.base}/api/v2/media",
                headers=headers,
                files={"file": (image.name, image.data, image.content_type)},
                data={"description": image.alt},
            )
            media_ids.append(str(response.json()["id"]))
        payload = {"status": text, "visibility": "public"}
        if media_ids:
            payload["media_ids"] = media_ids
        key = f"jcr-delivery-{delivery.pk}" if delivery is not None else None
        response = self.request(
            "POST",
            f"{self.base}/api/v1/statuses",
            headers=headers | ({"Idempotency-Key": key} if key else {}),
            json=payload,
        )
        data = response.json()
        return PublishResult(remote_id=str(data["id"]), url=data.get("url") or "")
