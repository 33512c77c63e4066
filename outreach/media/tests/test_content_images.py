"""Images of public content (news, events, programs): alt text required, verified upload,
renditions made on save, responsive markup, and the link-preview (Open Graph) tags."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from jcr.core.media_debug import media_debug_view
from outreach.events.tests.factories import EventFactory
from outreach.media.models import NewsItem
from outreach.media.tests import factories as f
from outreach.programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SITE = "https://jcr.example.gov"
NEWS = {"title": "Scam alert", "slug": "scam-alert", "language": "en", "kind": "news",
        "summary": "A new scam.", "body": "Never pay by gift card."}  # fmt: skip


def _upload(width=2000, height=1000, fmt="JPEG", name="photo.jpg"):
    return SimpleUploadedFile(name, f.png(width, height, fmt=fmt), content_type="image/jpeg")


def _with_image(kind: str, **fields):
    image = ContentFile(f.png(2000, 1000, fmt="JPEG"), name="a1b2.jpg")
    values = {"image": image, "image_alt": "Volunteers at a resource fair", **fields}
    if kind == "news":
        return f.news_item(**values)
    if kind == "event":
        return EventFactory(**values)
    return ProgramFactory(**values)


def _detail(obj) -> str:
    name = {NewsItem: "outreach:news_detail"}.get(type(obj)) or f"outreach:{type(obj).__name__.lower()}_detail"
    return reverse(name, kwargs={"slug": obj.slug})


def test_an_image_without_alt_text_is_refused(client_for, outreach_staff):
    response = client_for(outreach_staff).post(reverse("outreach:content_news_create"), NEWS | {"image": _upload()})
    assert response.status_code == 400
    assert "Describe the image (alt text)" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client_for, outreach_staff):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    data = NEWS | {"image": fake, "image_alt": "A photo"}
    response = client_for(outreach_staff).post(reverse("outreach:content_news_create"), data)
    assert response.status_code == 400
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(
    ("size", "widths"),
    [((2400, 1200), [480, 960, 1600]), ((700, 500), [480, 700])],
    ids=["large", "small-never-enlarged"],
)
def test_staff_upload_makes_renditions_of_the_expected_widths(client_for, outreach_staff, size, widths):
    data = NEWS | {"image": _upload(*size), "image_alt": "Volunteers at a resource fair"}
    assert client_for(outreach_staff).post(reverse("outreach:content_news_create"), data).status_code == 302
    item = NewsItem.objects.get(slug="scam-alert")
    assert re.fullmatch(r"content/images/[0-9a-f]{32}\.jpg", item.image.name)  # the client's name is not kept
    renditions = item.image_renditions["srcset"]
    assert [r["width"] for r in renditions] == widths
    assert all(r["name"].endswith(".webp") and default_storage.exists(r["name"]) for r in renditions)
    assert renditions[0]["height"] == round(size[1] * 480 / size[0])
    assert default_storage.exists(item.image_renditions["preview"]["name"])


@pytest.mark.parametrize("kind", ["news", "event", "program"])
def test_detail_page_has_srcset_size_and_absolute_open_graph_image(client, settings, kind):
    settings.SITE_URL = SITE
    obj = _with_image(kind)
    body = client.get(_detail(obj)).content.decode()
    img = re.search(r"<img [^>]*srcset=[^>]*>", body).group(0)
    assert re.search(r'srcset="[^"]+_w480\.webp 480w, [^"]+_w960\.webp 960w, [^"]+_w1600\.webp 1600w"', img)
    assert 'sizes="' in img
    assert 'width="960" height="480"' in img
    assert 'alt="Volunteers at a resource fair"' in img
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', body).group(1)
    assert og_image.startswith(f"{SITE}/media/content/images/")
    assert og_image.endswith("_preview.jpg")
    assert '<meta property="og:image:alt" content="Volunteers at a resource fair">' in body
    assert f'<meta property="og:url" content="{SITE}{_detail(obj)}">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    if kind == "event":  # and in the event's structured data
        assert f'"image": ["{og_image}"]' in body


@pytest.mark.parametrize("kind", ["news", "event", "program"])
def test_a_page_without_image_has_no_og_image(client, kind):
    obj = {"news": f.news_item, "event": EventFactory, "program": ProgramFactory}[kind]()
    body = client.get(_detail(obj)).content.decode()
    assert '<meta property="og:title"' in body
    assert "og:image" not in body
    assert "srcset=" not in body
    assert '<meta name="twitter:card" content="summary">' in body


def test_list_images_load_lazily_and_the_detail_image_at_once(client):
    item = _with_image("news")
    listed = re.search(r"<img [^>]*>", client.get(reverse("outreach:news_list")).content.decode()).group(0)
    assert 'loading="lazy"' in listed
    detail = re.search(r"<img [^>]*srcset[^>]*>", client.get(_detail(item)).content.decode()).group(0)
    assert 'loading="lazy"' not in detail
    assert 'fetchpriority="high"' in detail


@pytest.mark.parametrize(("title_es", "alternate"), [("Feria de recursos", True), ("", False)])
def test_og_locale_alternate_only_when_the_spanish_is_written(client, title_es, alternate):
    event = EventFactory(title_es=title_es, summary_es="Resumen" if title_es else "")
    body = client.get(_detail(event)).content.decode()
    assert '<meta property="og:locale" content="en_US">' in body
    assert ('<meta property="og:locale:alternate" content="es_US">' in body) is alternate


def test_renditions_are_served_by_the_development_media_route():
    name = _with_image("news").image_renditions["srcset"][0]["name"]
    response = media_debug_view(RequestFactory().get(f"/media/{name}"), name)
    assert response.status_code == 200


def test_a_replaced_image_and_its_renditions_are_deleted(
    client_for, outreach_staff, django_capture_on_commit_callbacks
):
    item = _with_image("news")
    old = [item.image.name, *(r["name"] for r in item.image_renditions["srcset"])]
    edit = reverse("outreach:content_news_edit", kwargs={"pk": item.pk})
    data = NEWS | {"slug": item.slug, "image": _upload(1000, 500), "image_alt": "A new photo"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(outreach_staff).post(edit, data).status_code == 302
    item.refresh_from_db()
    assert item.image.name not in old
    assert default_storage.exists(item.image.name)
    assert not any(default_storage.exists(name) for name in old)
