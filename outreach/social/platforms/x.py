"""X: POST /2/tweets with an OAuth 2.0 user-context Bearer token; images first through
POST /2/media/upload and their alt text through POST /2/media/metadata."""

from __future__ import annotations

from outreach.social.platforms.base import BaseClient, PublishResult


class Client(BaseClient):
    platform = "x"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        headers = self.bearer()
        media_ids = []
        for image in images:
            media_id = self.request(
                "POST",
                f"{self.base}/2/media/upload",
                headers=headers,
                files={"media": (image.name, image.data, image.content_type)},
                data={"media_category": "tweet_image"},
            ).json()["data"]["id"]
            self.request(
                "POST",
                f"{self.base}/2/media/metadata",
                headers=headers,
                json={"id": media_id, "metadata": {"alt_text": {"text": image.alt}}},
            )
            media_ids.append(str(media_id))
        payload: dict = {"text": text}
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        data = self.request("POST", f"{self.base}/2/tweets", headers=headers, json=payload).json()["data"]
        return PublishResult(remote_id=str(data["id"]), url=f"https://x.com/i/web/status/{data['id']}")
