"""Nextdoor public agency posts: POST /post/create with the agency's Bearer token, the text
and the public addresses of the images."""

from __future__ import annotations

from outreach.social.platforms.base import BaseClient, PublishResult


class Client(BaseClient):
    platform = "nextdoor"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        payload: dict = {"body_text": text}
        if images:
            payload["media_attachments"] = [i.url for i in images if i.url]
        if post.link:
            payload["hyperlink"] = post.link
        data = self.request("POST", f"{self.base}/post/create", headers=self.bearer(), json=payload).json()
        remote_id = str(data.get("id") or data.get("post_id"))
        return PublishResult(remote_id=remote_id, url=data.get("share_link") or data.get("url") or "")
