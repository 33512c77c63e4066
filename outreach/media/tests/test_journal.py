"""Justice Journal: publishing needs a transcript and captions (service and admin), the episode
page loads YouTube only on click, its policy allows that one frame, structured data."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from outreach.media import services as services_media
from outreach.media.admin import JournalEpisodeForm
from outreach.media.models import JournalEpisode
from outreach.media.tests.factories import VTT, journal_episode
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs or None)


def _csp(response) -> dict[str, list[str]]:
    return {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }


def test_publishing_without_transcript_or_captions_is_refused(outreach_supervisor):
    no_captions = journal_episode(published=False, captions=False)
    with pytest.raises(ValidationError, match="captions"):
        services_media.content_publish(obj=no_captions, actor=outreach_supervisor)
    no_transcript = journal_episode(published=False, transcript="  ")
    with pytest.raises(ValidationError, match="transcript"):
        services_media.content_publish(obj=no_transcript, actor=outreach_supervisor)
    assert not JournalEpisode.objects.published().exists()
    ready = journal_episode(published=False)
    assert services_media.content_publish(obj=ready, actor=outreach_supervisor).status == "published"


def test_saving_a_published_episode_without_captions_is_refused():
    episode = journal_episode()
    episode.captions = None
    with pytest.raises(ValidationError):
        services_media.journal_episode_save(episode=episode, actor=None)


def test_database_refuses_a_published_episode_without_captions():
    episode = journal_episode(published=False, captions=False)
    with pytest.raises(IntegrityError), transaction.atomic():  # even code that skips the services
        JournalEpisode.objects.filter(pk=episode.pk).update(status="published", published_at=timezone.now())


def _admin_data(**overrides):
    data = {
        "slug": "admin-episode",
        "language": "en",
        "title": "From admin",
        "summary": "Summary",
        "youtube_id": "abcdefghijk",
        "transcript": "Words.",
        "status": "published",
        "published_at": "2026-01-01 10:00",
    }
    data.update(overrides)
    return data


def test_admin_form_refuses_publishing_without_captions():
    form = JournalEpisodeForm(data=_admin_data())
    assert not form.is_valid()
    assert "captions" in str(form.errors)
    with_captions = JournalEpisodeForm(
        data=_admin_data(), files={"captions": SimpleUploadedFile("c.vtt", VTT, content_type="text/vtt")}
    )
    assert with_captions.is_valid(), with_captions.errors


def test_admin_form_refuses_a_file_that_is_not_webvtt():
    form = JournalEpisodeForm(
        data=_admin_data(status="draft"),
        files={"captions": SimpleUploadedFile("c.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n")},
    )
    assert not form.is_valid()
    assert "WEBVTT" in str(form.errors["captions"])


def test_episode_page_loads_youtube_only_on_click(client):
    episode = journal_episode(youtube_id="dQw4w9WgXcQ", transcript="Line one.\n\nLine two.")
    response = client.get(_url("journal_episode", slug=episode.slug))
    body = response.content.decode()
    assert "<iframe" not in body
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0"' in body
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body  # the no-JS way to the video
    assert "js/video-embed.js" in body
    assert "Line one." in body
    assert "Line two." in body
    assert _url("journal_captions", slug=episode.slug) in body


def test_only_the_episode_page_may_frame_youtube_nocookie(client):
    episode = journal_episode()
    page = client.get(_url("journal_episode", slug=episode.slug))
    assert _csp(page)["frame-src"] == ["https://www.youtube-nocookie.com"]
    cached = client.get(_url("journal_episode", slug=episode.slug))  # served from the page cache
    assert _csp(cached)["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert _csp(client.get(_url("journal_list")))["frame-src"] == ["'none'"]
    assert _csp(page)["script-src"] == ["'self'"]


def test_episode_page_has_video_structured_data(client):
    episode = journal_episode(title="Courts </script><b>", duration_seconds=125)
    body = client.get(_url("journal_episode", slug=episode.slug)).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    assert "</script><b>" not in blocks[0]
    data = json.loads(blocks[0])
    assert data["@type"] == "VideoObject"
    assert data["name"] == "Courts </script><b>"
    assert data["embedUrl"] == "https://www.youtube-nocookie.com/embed/abcdefghijk"
    assert data["thumbnailUrl"]
    assert data["uploadDate"].startswith(str(episode.published_at.year))
    assert data["duration"] == "PT2M5S"
    assert data["transcript"] == episode.transcript


def test_spanish_edition_is_linked_both_ways(client):
    english = journal_episode()
    spanish = journal_episode(language="es", translation_of=english)
    assert (
        _url("journal_episode", slug=spanish.slug)
        in client.get(_url("journal_episode", slug=english.slug)).content.decode()
    )
    assert (
        _url("journal_episode", slug=english.slug)
        in client.get(_url("journal_episode", slug=spanish.slug)).content.decode()
    )
    es_list = client.get(_url("journal_list", "es")).content.decode()
    assert spanish.title in es_list
    assert english.title not in es_list


def test_captions_are_served_as_webvtt(client):
    episode = journal_episode()
    response = client.get(_url("journal_captions", slug=episode.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content == VTT


def test_draft_episode_and_its_captions_are_404(client):
    episode = journal_episode(published=False)
    assert client.get(_url("journal_episode", slug=episode.slug)).status_code == 404
    assert client.get(_url("journal_captions", slug=episode.slug)).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client):
    journal_episode()
    client.get(_url("journal_list"))
    with assert_max_queries(8) as few:
        client.get(_url("journal_list") + "?a=1")
    for _ in range(15):
        journal_episode()
    with assert_max_queries(8) as many:
        client.get(_url("journal_list") + "?a=2")
    assert len(many) == len(few)


def test_episode_page_query_budget(client):
    episode = journal_episode()
    journal_episode(language="es", translation_of=episode)
    with assert_max_queries(8):
        assert client.get(_url("journal_episode", slug=episode.slug)).status_code == 200


def test_staff_media_page_publishes_only_complete_episodes(client_for, outreach_staff, outreach_supervisor):
    incomplete = journal_episode(published=False, captions=False, title="Needs captions")
    ready = journal_episode(published=False, title="Ready to go")
    staff_page = client_for(outreach_staff).get(_url("staff_media")).content.decode()
    assert "Needs captions" in staff_page
    assert "Add the captions (WebVTT file) before publishing." in staff_page
    assert "staff_media_publish" not in staff_page
    assert _url("staff_media_publish", kind="journal", pk=ready.pk) not in staff_page  # no publish right
    supervisor = client_for(outreach_supervisor)
    page = supervisor.get(_url("staff_media")).content.decode()
    assert _url("staff_media_publish", kind="journal", pk=ready.pk) in page
    assert _url("staff_media_publish", kind="journal", pk=incomplete.pk) not in page
    assert supervisor.post(_url("staff_media_publish", kind="journal", pk=incomplete.pk)).status_code == 302
    incomplete.refresh_from_db()
    assert incomplete.status == "draft"
    supervisor.post(_url("staff_media_publish", kind="journal", pk=ready.pk))
    ready.refresh_from_db()
    assert ready.status == "published"
    assert client_for(outreach_staff).post(_url("staff_media_publish", kind="journal", pk=ready.pk)).status_code == 403
    assert supervisor.post(_url("staff_media_publish", kind="other", pk=ready.pk)).status_code == 404
