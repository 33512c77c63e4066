"""Bluesky (AT Protocol): com.atproto.server.createSession (handle + app password), then
com.atproto.repo.uploadBlob per image, then com.atproto.repo.createRecord of an
app.bsky.feed.post with link facets (UTF-8 byte offsets) and an images embed with alt text."""

from __future__ import annotations

from django.utils import timezone

from outreach.social.platforms.base import BaseClient, PublishResult
from outreach.social.validation import URL_RE


def link_facets(text: str) -> list[dict]:
    facets = []
    for match in URL_RE.finditer(text):
        uri = match.group(0).rstrip(".,;:!?)")
        start = len(text[: match.start()].encode())
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": start + len(uri.encode())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
            }
        )
    return facets


class Client(BaseClient):
    platform = "bluesky"

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        session = self.request(
            "POST",
            f"{self.base}/xrpc/com.atproto.server.createSession",
            json={"identifier": self.token("identifier"), "password": self.token("app_password")},
        ).json()
        headers = {"Authorization": f"Bearer {session['accessJwt']}"}
        did = session["did"]
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": timezone.now().isoformat()}
        facets = link_facets(text)
        if facets:
            record["facets"] = facets
        if images:
            embedded = []
            for image in images:
                blob = self.request(
                    "POST",
                    f"{self.base}/xrpc/com.atproto.repo.uploadBlob",
                    headers=headers | {"Content-Type": image.content_type},
                    content=image.data,
                ).json()["blob"]
                embedded.append({"alt": image.alt, "image": blob})
            record["embed"] = {"$type": "app.bsky.embed.images", "images": embedded}
        data = self.request(
            "POST",
            f"{self.base}/xrpc/com.atproto.repo.createRecord",
            headers=headers,
            json={"repo": did, "collection": "app.bsky.feed.post", "record": record},
        ).json()
        uri = data["uri"]
        handle = session.get("handle") or self.credentials.get("identifier", "")
        return PublishResult(remote_id=uri, url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}")
