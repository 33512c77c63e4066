"""YouTube Data API videos.insert, resumable upload: POST the metadata to
/upload/youtube/v3/videos?uploadType=resumable (Bearer OAuth token) which answers with the
upload address in Location, then PUT the video's bytes there."""

from __future__ import annotations

from outreach.social.platforms.base import UPLOAD_TIMEOUT, BaseClient, PlatformRejected, PublishResult


class Client(BaseClient):
    platform = "youtube"

    def video_bytes(self, post) -> bytes:
        if not post.video_url:
            raise PlatformRejected("No video to upload.")
        return self.request("GET", post.video_url, timeout=UPLOAD_TIMEOUT).content

    def publish(self, *, text, images, post, delivery=None) -> PublishResult:
        video = self.video_bytes(post)
        headers = self.bearer()
        start = self.request(
            "POST",
            f"{self.base}/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            headers=headers | {"X-Upload-Content-Type": "video/mp4", "X-Upload-Content-Length": str(len(video))},
            json={
                "snippet": {"title": post.title[:100], "description": text},
                "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
            },
        )
        location = start.headers.get("Location")
        if not location:
            raise PlatformRejected("YouTube gave no upload address.")
        data = self.request(
            "PUT", location, headers=headers | {"Content-Type": "video/mp4"}, content=video, timeout=UPLOAD_TIMEOUT
        ).json()
        return PublishResult(remote_id=str(data["id"]), url=f"https://www.youtube.com/watch?v={data['id']}")
