"""News and press releases: sanitised Markdown, language editions, public pages, RSS, sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from jcr.core.models import AuditEntry
from outreach.media import services as services_media
from outreach.media.models import MediaContact, NewsItem
from outreach.media.tests.factories import news_item
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs or None)


def test_markdown_is_rendered_and_sanitised():
    html = services_media.markdown_render(
        "# Title\n\n**bold** [ok](https://example.org) [bad](javascript:alert(1))\n\n<script>alert(1)</script>\n"
        '<img src=x onerror="alert(1)">'
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'href="javascript' not in html  # left as plain text, never a link
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html


def test_news_item_save_renders_body_and_audits():
    item = news_item(published=False, body="Hello *world*")
    assert item.body_html.strip() == "<p>Hello <em>world</em></p>"
    assert AuditEntry.objects.filter(action="outreach.news_item.create", object_id=str(item.pk)).exists()


def test_publish_needs_the_permission(outreach_staff, outreach_supervisor):
    item = news_item(published=False)
    with pytest.raises(PermissionDenied):
        services_media.content_publish(obj=item, actor=outreach_staff)
    published = services_media.content_publish(obj=item, actor=outreach_supervisor)
    assert published.status == "published"
    assert published.published_at is not None
    assert AuditEntry.objects.filter(action="outreach.newsitem.publish", actor=outreach_supervisor).exists()


def test_list_shows_published_only_in_the_page_language(client):
    english = news_item(title="English only")
    original = news_item(title="Original in English")
    news_item(title="Edición en español", language="es", translation_of=original)
    news_item(title="Draft item", published=False)
    news_item(title="Scheduled item", days_ago=-2)
    en = client.get(_url("news_list")).content.decode()
    assert english.title in en
    assert original.title in en
    assert "Edición en español" not in en
    assert "Draft item" not in en
    assert "Scheduled item" not in en
    es = client.get(_url("news_list", "es")).content.decode()
    assert "Edición en español" in es
    assert original.title not in es  # its Spanish edition stands for it
    assert english.title in es  # no Spanish edition: listed, marked as English
    assert 'lang="en"' in es


def test_list_filters_by_kind_and_paginates(client):
    for i in range(12):
        news_item(title=f"Release {i}", kind=NewsItem.Kind.PRESS_RELEASE, days_ago=i + 1)
    news_item(title="Plain news")
    page1 = client.get(_url("news_list") + "?kind=press_release").content.decode()
    assert "Plain news" not in page1
    assert page1.count('class="media-list-item"') == 10
    page2 = client.get(_url("news_list") + "?kind=press_release&page=2").content.decode()
    assert page2.count('class="media-list-item"') == 2
    assert "Release 11" in page2


def test_detail_shows_contacts_and_the_other_edition(client):
    contact = MediaContact.objects.create(name="Dana Press", email="press@da.example.gov", phone="916-555-0100")
    original = news_item(kind=NewsItem.Kind.PRESS_RELEASE, body="Para **one**")
    original.contacts.add(contact)
    spanish = news_item(language="es", translation_of=original)
    body = client.get(_url("news_detail", slug=original.slug)).content.decode()
    assert "<strong>one</strong>" in body
    assert "Dana Press" in body
    assert "press@da.example.gov" in body
    assert _url("news_detail", slug=spanish.slug) in body
    assert 'type="application/rss+xml"' in body
    assert _url("news_feed") in body
    back = client.get(_url("news_detail", slug=spanish.slug)).content.decode()
    assert _url("news_detail", slug=original.slug) in back


def test_detail_of_a_draft_or_scheduled_item_is_404(client):
    assert client.get(_url("news_detail", slug=news_item(published=False).slug)).status_code == 404
    assert client.get(_url("news_detail", slug=news_item(days_ago=-1).slug)).status_code == 404


def test_feed_parses_back_as_rss(client):
    first = news_item(title="Older", days_ago=3)
    second = news_item(title="Newer & better", days_ago=1, kind=NewsItem.Kind.PRESS_RELEASE)
    news_item(title="Not yet", published=False)
    response = client.get(_url("news_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
    assert channel.findtext("language") == "en"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [second.title, first.title]
    item = channel.find("item")
    assert item.findtext("link").endswith(_url("news_detail", slug=second.slug))
    assert item.findtext("category") == "Press release"
    assert item.findtext("pubDate").endswith(("+0000", "-0000", "-0800", "-0700"))


def test_list_page_advertises_the_feed(client):
    body = client.get(_url("news_list")).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="News and press releases (RSS)" '
        f'href="{_url("news_feed")}">' in body
    )


def test_sitemap_lists_published_news_only(client):
    published = news_item()
    draft = news_item(published=False)
    body = client.get("/sitemap.xml").content.decode()
    assert _url("news_detail", slug=published.slug) in body
    assert _url("news_detail", slug=draft.slug) not in body
    assert _url("news_list") in body


@pytest.mark.parametrize("name", ["news_list", "news_feed"])
def test_query_count_does_not_grow_with_rows(client, name):
    for _ in range(3):
        news_item()
    client.get(_url(name))
    with assert_max_queries(8) as few:
        client.get(_url(name) + "?x=1")
    for _ in range(25):
        news_item(days_ago=timedelta(hours=5).total_seconds() / 86400)
    with assert_max_queries(8) as many:
        client.get(_url(name) + "?x=2")
    assert len(many) == len(few)


def test_detail_query_budget(client):
    item = news_item()
    item.contacts.add(*[MediaContact.objects.create(name=f"C{i}", email=f"c{i}@da.example.gov") for i in range(5)])
    with assert_max_queries(8):
        assert client.get(_url("news_detail", slug=item.slug)).status_code == 200


def test_landing_links_to_the_media_pages(client):
    body = client.get(_url("landing")).content.decode()
    for name in ("news_list", "journal_list", "podcast_list", "newsletter_subscribe", "inquiry_form"):
        assert _url(name) in body


def test_published_item_needs_a_date():
    item = news_item(published=False)
    item.status = "published"
    item.published_at = None
    with pytest.raises(Exception, match="publication date"):
        item.full_clean()
    assert timezone.now()


def test_feed_reads_back_with_a_feed_parser(client):
    import feedparser

    first = news_item(title="Older", days_ago=3)
    second = news_item(title="Newer & better", days_ago=1)
    parsed = feedparser.parse(client.get(_url("news_feed")).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert [entry.title for entry in parsed.entries] == [second.title, first.title]
    assert parsed.entries[0].published_parsed is not None
