"""Facebook Page (Graph API): POST /{page-id}/feed (text and link) or /{page-id}/photos
(an image with its caption and alt text), with the Page access token."""

from __future__ import annotations

from outreach.social.platforms.base import BaseClient, PublishResult


class Client(BaseClient):
    platform = "facebook"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        page = self.channel.account_id
        token = self.token()
        if images:
            image = images[0]
            data = self.request(
                "POST",
                f"{self.base}/{page}/photos",
                data={"caption": text, "alt_text_custom": image.alt, "access_token": token},
                files={"source": (image.name, image.data, image.content_type)},
            ).json()
            remote_id = str(data.get("post_id") or data["id"])
        else:
            form = {"message": text, "access_token": token}
            if post.link:
                form["link"] = post.link
            remote_id = str(self.request("POST", f"{self.base}/{page}/feed", data=form).json()["id"])
        return PublishResult(remote_id=remote_id, url=f"https://www.facebook.com/{remote_id}")
