"""Podcasts: the RSS feed podcast apps read (parsed back with its namespaces), audio served with
HTTP ranges, validation of artwork and audio, publishing rules, stable GUIDs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC
from email.utils import parsedate_to_datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from outreach.media import services as services_media
from outreach.media.files import mp3_silence
from outreach.media.models import PodcastShow
from outreach.media.tests.factories import png, podcast_episode, podcast_show
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs or None)


def _feed(client, show):
    response = client.get(_url("podcast_feed", slug=show.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def test_feed_has_what_podcast_apps_require(client, settings):
    settings.SITE_URL = "https://jcr.example.gov"
    show = podcast_show(title="Justice & Matters", category=PodcastShow.Category.SOCIETY, explicit=False)
    older = podcast_episode(show=show, days_ago=5, title="First")
    newer = podcast_episode(show=show, days_ago=1, title="Second")
    podcast_episode(show=show, published=False, title="Draft")
    channel = _feed(client, show)
    assert channel.findtext("title") == "Justice & Matters"
    assert channel.findtext("language") == "en"
    assert channel.findtext("itunes:author", namespaces=NS) == "The Office"
    image = channel.find("itunes:image", NS).get("href")
    assert image == f"https://jcr.example.gov/podcasts/{show.slug}/artwork.png"
    assert channel.find("itunes:category", NS).get("text") == "Society & Culture"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    owner = channel.find("itunes:owner", NS)
    assert owner.findtext("itunes:email", namespaces=NS) == "podcast@da.example.gov"
    assert owner.findtext("itunes:name", namespaces=NS) == "Media Unit"
    assert channel.find("atom:link", NS).get("href") == f"https://jcr.example.gov/podcasts/{show.slug}/feed.xml"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Second", "First"]
    item = items[0]
    guid = item.find("guid")
    assert guid.text == str(newer.guid)
    assert guid.get("isPermaLink") == "false"
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "audio/mpeg"
    assert int(enclosure.get("length")) == len(mp3_silence(seconds=2)) == newer.audio_size
    assert enclosure.get("url") == f"https://jcr.example.gov/podcasts/audio/{newer.guid}.mp3"
    assert item.findtext("itunes:duration", namespaces=NS) == "00:00:02"
    pub_date = item.findtext("pubDate")
    assert re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", pub_date)
    assert parsedate_to_datetime(pub_date) == newer.published_at.astimezone(UTC).replace(microsecond=0)
    transcript = item.find("podcast:transcript", NS)
    assert transcript.get("url") == f"https://jcr.example.gov/podcasts/transcripts/{newer.guid}.txt"
    assert transcript.get("type") == "text/plain"
    assert items[1].find("guid").text == str(older.guid)


def test_guid_stays_when_an_episode_is_edited(client):
    episode = podcast_episode(title="Before")
    guid = episode.guid
    episode.title = "After"
    episode.slug = "renamed"
    services_media.podcast_episode_save(episode=episode, actor=None)
    channel = _feed(client, episode.show)
    assert channel.find("item").findtext("title") == "After"
    assert channel.find("item").findtext("guid") == str(guid)


def test_pages_advertise_the_feed(client):
    episode = podcast_episode()
    feed = _url("podcast_feed", slug=episode.show.slug)
    link = f'<link rel="alternate" type="application/rss+xml" title="{episode.show.title} (podcast RSS)" href="{feed}">'
    for url in (
        _url("podcast_list"),
        _url("podcast_show", slug=episode.show.slug),
        _url("podcast_episode", show_slug=episode.show.slug, slug=episode.slug),
    ):
        assert link in client.get(url).content.decode(), url


def test_show_page_lists_episodes_with_players_and_transcripts(client):
    episode = podcast_episode(transcript="Full words of the episode.")
    body = client.get(_url("podcast_show", slug=episode.show.slug)).content.decode()
    assert f'src="{_url("podcast_audio", guid=episode.guid, ext="mp3")}"' in body
    page = client.get(_url("podcast_episode", show_slug=episode.show.slug, slug=episode.slug)).content.decode()
    assert "Full words of the episode." in page
    transcript = client.get(_url("podcast_transcript", guid=episode.guid))
    assert transcript["Content-Type"] == "text/plain; charset=utf-8"
    assert transcript.content.decode() == "Full words of the episode."


def _audio(client, episode, **headers):
    return client.get(_url("podcast_audio", guid=episode.guid, ext="mp3"), headers=headers)


def test_audio_whole_file(client):
    episode = podcast_episode()
    data = mp3_silence(seconds=2)
    response = _audio(client, episode)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/mpeg"
    assert int(response["Content-Length"]) == len(data)
    assert response.content == data


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None), ("bytes=1000-999999999", 1000, None)],
)
def test_audio_ranges(client, header, first, last):
    episode = podcast_episode()
    data = mp3_silence(seconds=2)
    size = len(data)
    response = _audio(client, episode, Range=header)
    assert response.status_code == 206
    start = first if first >= 0 else size + first
    end = last if last is not None else size - 1
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert int(response["Content-Length"]) == end - start + 1
    assert response.content == data[start : end + 1]


def test_audio_range_past_the_end_is_416(client):
    episode = podcast_episode()
    size = len(mp3_silence(seconds=2))
    response = _audio(client, episode, Range=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["bytes=0-10,20-30", "items=0-10", "bytes=50-10", "bytes=abc"])
def test_audio_ranges_we_do_not_serve_get_the_whole_file(client, header):
    episode = podcast_episode()
    response = _audio(client, episode, Range=header)
    assert response.status_code == 200
    assert len(response.content) == len(mp3_silence(seconds=2))


def test_audio_head_and_wrong_extension(client):
    episode = podcast_episode()
    head = client.head(_url("podcast_audio", guid=episode.guid, ext="mp3"))
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(mp3_silence(seconds=2)))
    assert head.content == b""
    assert client.get(_url("podcast_audio", guid=episode.guid, ext="m4a")).status_code == 404
    assert client.post(_url("podcast_audio", guid=episode.guid, ext="mp3")).status_code == 405


def test_draft_episode_audio_and_page_are_404(client):
    episode = podcast_episode(published=False)
    assert _audio(client, episode).status_code == 404
    assert client.get(_url("podcast_transcript", guid=episode.guid)).status_code == 404
    assert client.get(_url("podcast_episode", show_slug=episode.show.slug, slug=episode.slug)).status_code == 404


def test_duration_and_type_are_read_from_the_file():
    episode = podcast_episode(published=False)
    assert episode.audio_type == "audio/mpeg"
    assert episode.duration_seconds == 2
    assert episode.audio_size == len(mp3_silence(seconds=2))


def test_audio_that_is_not_mp3_or_m4a_is_refused():
    episode = podcast_episode(published=False)
    episode.audio = ContentFile(b"<html>not audio</html>" * 100, name="fake.mp3")
    with pytest.raises(ValidationError, match="not MP3 or M4A"):
        services_media.podcast_episode_save(episode=episode, actor=None)
    episode.refresh_from_db()
    assert episode.audio_type == "audio/mpeg"


def test_artwork_must_be_square_and_large_enough():
    show = podcast_show()
    show.artwork = ContentFile(png(1000), name="small.png")
    with pytest.raises(ValidationError, match="1400"):
        show.full_clean()
    show.artwork = ContentFile(png(1500, 1400), name="wide.png")
    with pytest.raises(ValidationError, match="square"):
        show.full_clean()


def test_an_episode_needs_a_transcript(outreach_supervisor):
    with pytest.raises(ValidationError, match="transcript"):
        podcast_episode(published=False, transcript="")
    episode = podcast_episode(published=False)
    episode.transcript = " "
    assert services_media.podcast_episode_problems(episode) == ["Add the transcript before publishing."]


def test_artwork_is_served(client):
    show = podcast_show()
    response = client.get(_url("podcast_artwork", slug=show.slug, ext="png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == png()
    assert client.get(_url("podcast_artwork", slug=show.slug, ext="jpg")).status_code == 404


@pytest.mark.parametrize("name", ["podcast_show", "podcast_feed"])
def test_query_count_does_not_grow_with_episodes(client, name):
    show = podcast_show()
    podcast_episode(show=show)
    url = _url(name, slug=show.slug)
    client.get(url)
    with assert_max_queries(8) as few:
        client.get(url + "?a=1")
    for _ in range(12):
        podcast_episode(show=show)
    with assert_max_queries(8) as many:
        client.get(url + "?a=2")
    assert len(many) == len(few)


def test_list_query_count_does_not_grow_with_shows(client):
    podcast_episode()
    client.get(_url("podcast_list"))
    with assert_max_queries(8) as few:
        client.get(_url("podcast_list") + "?a=1")
    for _ in range(5):
        podcast_episode()
    with assert_max_queries(8) as many:
        client.get(_url("podcast_list") + "?a=2")
    assert len(many) == len(few)


def test_feed_reads_back_with_a_feed_parser(client):
    import feedparser

    show = podcast_show(title="Justice & Matters")
    episode = podcast_episode(show=show, days_ago=1, title="Second")
    parsed = feedparser.parse(client.get(_url("podcast_feed", slug=show.slug)).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Justice & Matters"
    [entry] = parsed.entries
    assert entry.title == episode.title
    assert entry.id == str(episode.guid)
    [enclosure] = entry.enclosures
    assert enclosure.type in ("audio/mpeg", "audio/mp4", "audio/x-m4a")
    assert int(enclosure.length) > 0
    assert entry.itunes_duration
