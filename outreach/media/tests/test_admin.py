"""Media in the administration: audio read on upload, publishing refused without what it needs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jcr.core.models import AuditEntry
from outreach.media.files import mp3_silence
from outreach.media.models import JournalEpisode, PodcastEpisode
from outreach.media.tests.factories import podcast_show

pytestmark = pytest.mark.django_db


def test_admin_upload_reads_the_audio(client_for, administrator):
    show = podcast_show()
    response = client_for(administrator).post(
        "/admin/outreach/podcastepisode/add/",
        {
            "show": show.pk,
            "slug": "from-admin",
            "title": "From admin",
            "description": "Uploaded in admin.",
            "episode_number": "7",
            "duration_seconds": "",
            "transcript": "Words.",
            "status": "published",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "audio": SimpleUploadedFile("talk.mp3", mp3_silence(seconds=3), content_type="audio/mpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    episode = PodcastEpisode.objects.get(slug="from-admin")
    assert episode.audio_type == "audio/mpeg"
    assert episode.duration_seconds == 3
    assert episode.audio_size == len(mp3_silence(seconds=3))
    assert episode.audio.name.startswith("outreach/audio/")
    assert episode.audio.name.endswith(".mp3")
    assert AuditEntry.objects.filter(action="admin.add", object_type="outreach.podcastepisode").exists()


def test_admin_refuses_audio_that_is_not_audio(client_for, administrator):
    show = podcast_show()
    response = client_for(administrator).post(
        "/admin/outreach/podcastepisode/add/",
        {
            "show": show.pk,
            "slug": "fake",
            "title": "Fake",
            "description": "x",
            "transcript": "Words.",
            "status": "draft",
            "audio": SimpleUploadedFile("fake.mp3", b"<html></html>" * 100, content_type="audio/mpeg"),
        },
    )
    assert response.status_code == 200
    assert "not MP3 or M4A" in response.content.decode()
    assert not PodcastEpisode.objects.exists()


def test_admin_refuses_publishing_a_journal_episode_without_captions(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/outreach/journalepisode/add/",
        {
            "slug": "no-captions",
            "language": "en",
            "title": "No captions",
            "summary": "x",
            "youtube_id": "abcdefghijk",
            "transcript": "Words.",
            "status": "published",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Add the captions (WebVTT file) before publishing." in response.content.decode()
    assert not JournalEpisode.objects.exists()


def test_outreach_staff_cannot_open_the_administration(client_for, outreach_staff):
    assert client_for(outreach_staff).get("/admin/outreach/newsitem/").status_code == 403
