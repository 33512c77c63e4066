"""The demo media load, twice, without queueing e-mail, and show on the public pages."""

from __future__ import annotations

import pytest

from jcr.core.models import OutboundEmail
from outreach.media import demo as demo_media
from outreach.media.models import JournalEpisode, NewsItem, PodcastEpisode

pytestmark = pytest.mark.django_db


def test_demo_media_seed_is_idempotent_and_shows(client):
    demo_media.seed()
    counts = (NewsItem.objects.count(), JournalEpisode.objects.count(), PodcastEpisode.objects.count())
    demo_media.seed()
    assert (NewsItem.objects.count(), JournalEpisode.objects.count(), PodcastEpisode.objects.count()) == counts
    assert not OutboundEmail.objects.exists()
    assert JournalEpisode.objects.published().filter(youtube_id__startswith="demo").count() == 3
    episode = PodcastEpisode.objects.published().select_related("show").first()
    assert episode.audio_type == "audio/mpeg"
    assert episode.duration_seconds
    assert "Community prosecution expands" in client.get("/news/").content.decode()
    assert client.get(f"/podcasts/{episode.show.slug}/feed.xml").status_code == 200
    audio = client.get(f"/podcasts/audio/{episode.guid}.mp3", headers={"Range": "bytes=0-3"})
    assert audio.status_code == 206
    assert audio.content == b"\xff\xfb\x90\xc0"
