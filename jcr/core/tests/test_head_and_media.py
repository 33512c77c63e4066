"""HEAD is answered wherever GET is, and the development /media/ route serves only files that
are public by design."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import path, resolve

from jcr.core.media_debug import media_debug_view

pytestmark = pytest.mark.django_db


def test_head_answers_like_get_without_a_body(client):
    get = client.get("/")
    head = client.head("/")
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize("url", ["/about/accessibility/", "/healthz", "/es/"])
def test_head_answers_200_on_public_pages(client, url):
    assert client.head(url).status_code == 200


def test_head_is_still_refused_where_get_is(personas, client_for):
    """A POST-only route answers HEAD as it answers GET: 405, never the action."""
    client = client_for(personas["administrator"])
    assert client.get("/admin/logout/").status_code == client.head("/admin/logout/").status_code == 405


def test_head_of_a_staff_page_still_asks_for_sign_in(client):
    response = client.head("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The route jcr.urls adds when DEBUG is on (`make run`). Served from this module's URLconf so
# the project's own URLconf is never rebuilt mid-run (other tests hold its view functions).
urlpatterns = [path("media/<path:path>", media_debug_view, name="media_debug")]


@pytest.fixture
def debug_urls(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize(
    "name",
    [
        "concerns/2026/01/original.jpg",  # a concern photo as sent (hidden or not yet blurred)
        "concerns/public/2026/01/blurred.jpg",  # served through the photo view, with its checks
        "outreach/audio/draft.mp3",  # an episode before publication
        "outreach/social/../../concerns/2026/01/original.jpg",
    ],
)
def test_debug_media_route_serves_no_private_original(debug_urls, client, name):
    default_storage.save(name.replace("outreach/social/../../", ""), ContentFile(b"\xff\xd8secret"))
    assert resolve(f"/media/{name}").func is media_debug_view
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    assert b"secret" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_debug_media_route_serves_a_social_post_image(debug_urls, client):
    default_storage.save("outreach/social/post.png", ContentFile(b"\x89PNGpublic"))
    response = client.get("/media/outreach/social/post.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNGpublic"
