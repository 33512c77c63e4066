"""Each platform client against a local fake server: the exact requests (method, path, auth,
payload, upload steps) and the handling of 401, 429 with Retry-After, 5xx and validation
errors."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from outreach.social.platforms import PlatformRejected, PlatformUnavailable, TokenExpired, client_for
from outreach.social.platforms.base import Image
from outreach.social.platforms.bluesky import link_facets
from outreach.social.tests import factories as f

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG fake image bytes"


def _image(url=""):
    return Image(name="photo.png", data=PNG, alt="Two volunteers at the fair", url=url, content_type="image/png")


def _post(**kwargs):
    class P:
        title = "Community fair"
        link = ""
        video_url = ""

    p = P()
    for k, v in kwargs.items():
        setattr(p, k, v)
    return p


def _channel(httpserver, platform, credentials=None, account_id=""):
    return f.channel(
        platform,
        base_url=httpserver.url_for("/").rstrip("/"),
        credentials=credentials or {"access_token": "tok-123"},
        account_id=account_id,
    )


def test_mastodon_uploads_media_with_description_then_posts_status(httpserver):
    httpserver.expect_ordered_request(
        "/api/v2/media", method="POST", headers={"Authorization": "Bearer tok-123"}
    ).respond_with_json({"id": "m1"}, status=202)
    httpserver.expect_ordered_request(
        "/api/v1/statuses",
        method="POST",
        headers={"Authorization": "Bearer tok-123"},
        json={"status": "Fair Saturday", "visibility": "public", "media_ids": ["m1"]},
    ).respond_with_json({"id": "109", "url": "https://m.example/@da/109"})
    client = client_for(_channel(httpserver, "mastodon"))
    result = client.publish(text="Fair Saturday", images=[_image()], post=_post())
    assert (result.remote_id, result.url) == ("109", "https://m.example/@da/109")
    upload = httpserver.log[0][0]
    assert b'name="description"' in upload.data
    assert b"Two volunteers at the fair" in upload.data
    assert PNG in upload.data
    httpserver.check_assertions()


def test_bluesky_session_blob_and_record_with_link_facets(httpserver):
    httpserver.expect_ordered_request(
        "/xrpc/com.atproto.server.createSession",
        method="POST",
        json={"identifier": "da.bsky.social", "password": "app-pass"},
    ).respond_with_json({"accessJwt": "jwt-1", "did": "did:plc:abc", "handle": "da.bsky.social"})
    blob = {"$type": "blob", "ref": {"$link": "bafk"}, "mimeType": "image/png", "size": len(PNG)}
    httpserver.expect_ordered_request(
        "/xrpc/com.atproto.repo.uploadBlob",
        method="POST",
        headers={"Authorization": "Bearer jwt-1", "Content-Type": "image/png"},
        data=PNG,
    ).respond_with_json({"blob": blob})
    httpserver.expect_ordered_request(
        "/xrpc/com.atproto.repo.createRecord", method="POST", headers={"Authorization": "Bearer jwt-1"}
    ).respond_with_json({"uri": "at://did:plc:abc/app.bsky.feed.post/3kxyz", "cid": "bafy"})
    channel = _channel(httpserver, "bluesky", {"identifier": "da.bsky.social", "app_password": "app-pass"})
    text = "Café fair: https://da.example.gov/fair"
    result = client_for(channel).publish(text=text, images=[_image()], post=_post())
    assert result.remote_id == "at://did:plc:abc/app.bsky.feed.post/3kxyz"
    assert result.url == "https://bsky.app/profile/da.bsky.social/post/3kxyz"
    body = json.loads(httpserver.log[2][0].data)
    assert body["repo"] == "did:plc:abc"
    assert body["collection"] == "app.bsky.feed.post"
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == text
    start = len("Café fair: ".encode())  # byte offsets, not characters
    assert record["facets"] == [
        {
            "index": {"byteStart": start, "byteEnd": start + len("https://da.example.gov/fair")},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://da.example.gov/fair"}],
        }
    ]
    assert record["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [{"alt": "Two volunteers at the fair", "image": blob}],
    }


def test_bluesky_facets_strip_trailing_punctuation():
    assert link_facets("See https://a.example/x.")[0]["features"][0]["uri"] == "https://a.example/x"


def test_x_posts_tweet_with_user_bearer_and_media_alt_text(httpserver):
    httpserver.expect_ordered_request(
        "/2/media/upload", method="POST", headers={"Authorization": "Bearer tok-123"}
    ).respond_with_json({"data": {"id": "77"}})
    httpserver.expect_ordered_request(
        "/2/media/metadata",
        method="POST",
        json={"id": "77", "metadata": {"alt_text": {"text": "Two volunteers at the fair"}}},
    ).respond_with_json({"data": {"id": "77"}})
    httpserver.expect_ordered_request(
        "/2/tweets",
        method="POST",
        headers={"Authorization": "Bearer tok-123"},
        json={"text": "Fair", "media": {"media_ids": ["77"]}},
    ).respond_with_json({"data": {"id": "1850", "text": "Fair"}}, status=201)
    result = client_for(_channel(httpserver, "x")).publish(text="Fair", images=[_image()], post=_post())
    assert (result.remote_id, result.url) == ("1850", "https://x.com/i/web/status/1850")
    httpserver.check_assertions()


def test_facebook_feed_and_photo_with_page_token(httpserver):
    httpserver.expect_ordered_request(
        "/555/feed",
        method="POST",
        data="message=Fair&access_token=tok-123&link=https%3A%2F%2Fda.example.gov%2Ffair",
    ).respond_with_json({"id": "555_1"})
    httpserver.expect_ordered_request("/555/photos", method="POST").respond_with_json({"id": "9", "post_id": "555_2"})
    client = client_for(_channel(httpserver, "facebook", account_id="555"))
    assert client.publish(text="Fair", images=[], post=_post(link="https://da.example.gov/fair")).remote_id == "555_1"
    result = client.publish(text="Fair", images=[_image()], post=_post())
    assert (result.remote_id, result.url) == ("555_2", "https://www.facebook.com/555_2")
    photo = httpserver.log[1][0].data
    assert b'name="alt_text_custom"' in photo
    assert b"tok-123" in photo
    assert PNG in photo


def test_instagram_container_then_publish(httpserver):
    httpserver.expect_ordered_request(
        "/1789/media",
        method="POST",
        data="image_url=https%3A%2F%2Fda.example.gov%2Fm%2Fp.png&caption=Fair&alt_text=Two+volunteers+at+the+fair"
        "&access_token=tok-123",
    ).respond_with_json({"id": "c1"})
    httpserver.expect_ordered_request(
        "/1789/media_publish", method="POST", data="creation_id=c1&access_token=tok-123"
    ).respond_with_json({"id": "ig9"})
    httpserver.expect_ordered_request("/ig9", method="GET").respond_with_json({"permalink": "https://instagr.am/p/x"})
    client = client_for(_channel(httpserver, "instagram", account_id="1789"))
    result = client.publish(text="Fair", images=[_image("https://da.example.gov/m/p.png")], post=_post())
    assert (result.remote_id, result.url) == ("ig9", "https://instagr.am/p/x")
    httpserver.check_assertions()
    with pytest.raises(PlatformRejected, match="needs an image"):
        client.publish(text="Fair", images=[], post=_post())


def test_youtube_resumable_upload(httpserver):
    video = b"\x00\x00\x00\x18ftypmp42 fake video"
    httpserver.expect_ordered_request("/files/journal.mp4", method="GET").respond_with_data(video)
    httpserver.expect_ordered_request(
        "/upload/youtube/v3/videos",
        method="POST",
        query_string={"uploadType": "resumable", "part": "snippet,status"},
        headers={"Authorization": "Bearer tok-123", "X-Upload-Content-Length": str(len(video))},
    ).respond_with_response(Response(status=200, headers={"Location": httpserver.url_for("/upload/session/abc")}))
    httpserver.expect_ordered_request(
        "/upload/session/abc", method="PUT", headers={"Authorization": "Bearer tok-123"}, data=video
    ).respond_with_json({"id": "vid42"})
    post = _post(video_url=httpserver.url_for("/files/journal.mp4"))
    result = client_for(_channel(httpserver, "youtube")).publish(text="Episode 4", images=[], post=post)
    assert (result.remote_id, result.url) == ("vid42", "https://www.youtube.com/watch?v=vid42")
    meta = json.loads(httpserver.log[1][0].data)
    assert meta["snippet"] == {"title": "Community fair", "description": "Episode 4"}
    assert meta["status"]["privacyStatus"] == "public"


def test_nextdoor_agency_post(httpserver):
    httpserver.expect_request(
        "/post/create",
        method="POST",
        headers={"Authorization": "Bearer tok-123"},
        json={"body_text": "Fair", "media_attachments": ["https://da.example.gov/m/p.png"]},
    ).respond_with_json({"id": "nd1", "share_link": "https://nextdoor.com/p/nd1"})
    result = client_for(_channel(httpserver, "nextdoor")).publish(
        text="Fair", images=[_image("https://da.example.gov/m/p.png")], post=_post()
    )
    assert (result.remote_id, result.url) == ("nd1", "https://nextdoor.com/p/nd1")


@pytest.mark.parametrize(
    ("platform", "path"), [("mastodon", "/api/v1/statuses"), ("x", "/2/tweets"), ("nextdoor", "/post/create")]
)
def test_401_is_token_expired(httpserver, platform, path):
    httpserver.expect_request(path, method="POST").respond_with_json({"error": "The access token expired"}, status=401)
    with pytest.raises(TokenExpired, match="HTTP 401: The access token expired"):
        client_for(_channel(httpserver, platform)).publish(text="Fair", images=[], post=_post())


def test_429_retry_after_is_transient(httpserver):
    httpserver.expect_request("/api/v1/statuses").respond_with_json(
        {"error": "Too many requests"}, status=429, headers={"Retry-After": "120"}
    )
    with pytest.raises(PlatformUnavailable) as err:
        client_for(_channel(httpserver, "mastodon")).publish(text="Fair", images=[], post=_post())
    assert err.value.retry_after == 120
    assert "Too many requests" in str(err.value)


def test_5xx_is_transient(httpserver):
    httpserver.expect_request("/2/tweets").respond_with_data("upstream down", status=503)
    with pytest.raises(PlatformUnavailable, match="HTTP 503"):
        client_for(_channel(httpserver, "x")).publish(text="Fair", images=[], post=_post())


def test_validation_error_is_permanent_with_the_platforms_message(httpserver):
    httpserver.expect_request("/api/v1/statuses").respond_with_json(
        {"error": "Validation failed: Text character limit of 500 exceeded"}, status=422
    )
    with pytest.raises(PlatformRejected, match="character limit of 500 exceeded") as err:
        client_for(_channel(httpserver, "mastodon")).publish(text="Fair", images=[], post=_post())
    assert not isinstance(err.value, TokenExpired)


def test_connection_refused_is_transient():
    channel = f.channel("mastodon", base_url="http://127.0.0.1:9", credentials={"access_token": "t"})
    with pytest.raises(PlatformUnavailable):
        client_for(channel).publish(text="Fair", images=[], post=_post())


def test_missing_credentials_is_token_expired():
    channel = f.channel("x", base_url="http://127.0.0.1:9")
    with pytest.raises(TokenExpired):
        client_for(channel).publish(text="Fair", images=[], post=_post())
