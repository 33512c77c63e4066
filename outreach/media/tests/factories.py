"""Rows of the unit's media for tests, made through the services where they have rules."""

from __future__ import annotations

import io
import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from outreach.media import services as services_media
from outreach.media.files import mp3_silence
from outreach.media.models import (
    JournalEpisode,
    MediaInquiry,
    NewsItem,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
)

_numbers = itertools.count(1)
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.500\nHello.\n\n00:02.500 --> 00:05.000\nWelcome.\n"


def png(side: int = 1400, height: int | None = None, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, height or side), (20, 40, 60)).save(out, format=fmt)
    return out.getvalue()


def news_item(*, published: bool = True, days_ago: float = 1, **fields) -> NewsItem:
    n = next(_numbers)
    values = {
        "slug": f"news-{n}",
        "title": f"News item {n}",
        "summary": f"Summary {n}",
        "body": f"Body **{n}**",
        "language": "en",
    }
    values.update(fields)
    item = services_media.news_item_save(item=NewsItem(**values), actor=None)
    if published:
        item = services_media.content_publish(obj=item, actor=None, at=timezone.now() - timedelta(days=days_ago))
    return item


def journal_episode(*, published: bool = True, captions: bool = True, days_ago: float = 1, **fields) -> JournalEpisode:
    n = next(_numbers)
    values = {
        "slug": f"journal-{n}",
        "title": f"Episode {n}",
        "summary": f"What episode {n} is about.",
        "youtube_id": "abcdefghijk",
        "transcript": f"Transcript of episode {n}.",
        "language": "en",
    }
    values.update(fields)
    episode = JournalEpisode(**values)
    if captions:
        episode.captions = ContentFile(VTT, name="c.vtt")
    episode = services_media.journal_episode_save(episode=episode, actor=None)
    if published:
        episode = services_media.content_publish(obj=episode, actor=None, at=timezone.now() - timedelta(days=days_ago))
    return episode


def podcast_show(**fields) -> PodcastShow:
    n = next(_numbers)
    values = {
        "slug": f"show-{n}",
        "title": f"Show {n}",
        "description": "A show about justice.",
        "author": "The Office",
        "owner_name": "Media Unit",
        "owner_email": "podcast@da.example.gov",
    }
    values.update(fields)
    show = PodcastShow(**values)
    show.artwork = ContentFile(png(), name="art.png")
    show.full_clean()
    show.save()
    return show


def podcast_episode(*, show: PodcastShow | None = None, published: bool = True, days_ago: float = 1, **fields):
    n = next(_numbers)
    values = {
        "show": show or podcast_show(),
        "slug": f"episode-{n}",
        "title": f"Episode {n}",
        "description": f"Episode {n} description.",
        "transcript": f"Transcript {n}.",
        "episode_number": n,
    }
    values.update(fields)
    episode = PodcastEpisode(**values)
    episode.audio = ContentFile(mp3_silence(seconds=2), name="a.mp3")
    episode = services_media.podcast_episode_save(episode=episode, actor=None)
    if published:
        episode = services_media.content_publish(obj=episode, actor=None, at=timezone.now() - timedelta(days=days_ago))
    return episode


def media_inquiry(**fields) -> MediaInquiry:
    values = {
        "outlet": "Valley Times",
        "name": "Reporter",
        "email": "reporter@news.example",
        "topic": "A topic",
        "question": "A question?",
    }
    values.update(fields)
    return MediaInquiry.objects.create(**values)


def subscription(*, email="reader@example.org", language="en", status=NewsletterSubscription.Status.CONFIRMED):
    import secrets

    return NewsletterSubscription.objects.create(
        email=email, language=language, status=status, token=secrets.token_urlsafe(32)
    )
