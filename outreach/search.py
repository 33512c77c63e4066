"""What the public may find of the unit in the site search (jcr.core.search)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jcr.core.search import Source
from outreach.dialogues.models import DialogueSeries
from outreach.media.models import JournalEpisode, NewsItem, PodcastEpisode
from outreach.models import Event, Program


def _programs():
    return Program.objects.filter(is_active=True)


def _events():
    return Event.objects.published()


def _news():
    return NewsItem.objects.published()


def _journal():
    return JournalEpisode.objects.published()


def _podcast():
    return PodcastEpisode.objects.published().filter(show__is_active=True)


def _dialogues():
    return DialogueSeries.objects.exclude(status=DialogueSeries.Status.DRAFT)


def sources() -> list[Source]:
    bilingual_title = {"en": "title", "es": "title_es"}
    return [
        Source(
            key="program",
            label=_("Program"),
            queryset=_programs,
            text={"en": ("title", "summary"), "es": ("title_es", "summary_es")},
            title=bilingual_title,
            summary={"en": "summary", "es": "summary_es"},
            url=lambda slug: reverse("outreach:program_detail", kwargs={"slug": slug}),
            url_fields=("slug",),
        ),
        Source(
            key="event",
            label=_("Event"),
            queryset=_events,
            text={"en": ("title", "summary", "description"), "es": ("title_es", "summary_es", "description_es")},
            title=bilingual_title,
            summary={"en": "summary", "es": "summary_es"},
            url=lambda slug: reverse("outreach:event_detail", kwargs={"slug": slug}),
            url_fields=("slug",),
            date_field="starts_at",
        ),
        Source(
            key="news",
            label=_("News"),
            queryset=_news,
            text={"en": ("title", "summary", "body"), "es": ("title", "summary", "body")},
            title={"en": "title"},
            summary={"en": "summary"},
            url=lambda slug: reverse("outreach:news_detail", kwargs={"slug": slug}),
            url_fields=("slug",),
            language_field="language",
            date_field="published_at",
        ),
        Source(
            key="journal",
            label=_("Justice Journal"),
            queryset=_journal,
            text={"en": ("title", "summary", "transcript"), "es": ("title", "summary", "transcript")},
            title={"en": "title"},
            summary={"en": "summary"},
            url=lambda slug: reverse("outreach:journal_episode", kwargs={"slug": slug}),
            url_fields=("slug",),
            language_field="language",
            date_field="published_at",
        ),
        Source(
            key="podcast",
            label=_("Podcast episode"),
            queryset=_podcast,
            text={"en": ("title", "description", "transcript"), "es": ("title", "description", "transcript")},
            title={"en": "title"},
            summary={"en": "description"},
            url=lambda show, slug: reverse("outreach:podcast_episode", kwargs={"show_slug": show, "slug": slug}),
            url_fields=("show__slug", "slug"),
            language_field="show__language",
            date_field="published_at",
        ),
        Source(
            key="dialogue",
            label=_("Community dialogue"),
            queryset=_dialogues,
            text={"en": ("title", "description"), "es": ("title_es", "description_es")},
            title=bilingual_title,
            summary={"en": "description", "es": "description_es"},
            url=lambda slug: reverse("outreach:dialogue_detail", kwargs={"slug": slug}),
            url_fields=("slug",),
            date_field="applications_open_at",
        ),
    ]
