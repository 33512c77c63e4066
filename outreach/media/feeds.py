"""Feeds: news and press releases (RSS 2.0 by django.contrib.syndication) and one podcast feed
per show (RSS 2.0 with the Apple Podcasts `itunes:` tags and the Podcasting 2.0
`podcast:transcript` tag, as podcast apps read them)."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jcr.core.feeds import Feed
from jcr.core.text import xml_text
from outreach.media import selectors
from outreach.media.models import PodcastShow

NEWS_FEED_ITEMS = 30


class NewsFeed(Feed):
    """Latest news and press releases, in the language of the URL."""

    def get_object(self, request, *args, **kwargs):
        return translation.get_language() or settings.LANGUAGE_CODE

    def title(self, language):
        return _("News and press releases — District Attorney's Justice & Community Relations Bureau")

    def link(self, language):
        return reverse("outreach:news_list")

    def description(self, language):
        return _("News and press releases of the District Attorney's office.")

    def feed_url(self, language):
        return reverse("outreach:news_feed")

    def items(self, language):
        return selectors.news_list_feed(language=language, limit=NEWS_FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("outreach:news_detail", kwargs={"slug": item.slug})

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_kind_display()]


def _duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def podcast_feed_render(*, show: PodcastShow) -> str:
    """The podcast RSS feed of `show`. Addresses are absolute (SITE_URL) and without a language
    prefix, so an app that subscribed once keeps working whatever language the site is in."""
    with translation.override(settings.LANGUAGE_CODE):
        episodes = list(selectors.podcast_episode_list_public(show=show)[:300])
        items = [
            {
                "episode": e,
                "guid": str(e.guid),
                "pub_date": format_datetime(e.published_at.astimezone(UTC)),
                "duration": _duration(e.duration_seconds),
                "link": _absolute(reverse("outreach:podcast_episode", kwargs={"show_slug": show.slug, "slug": e.slug})),
                "audio_url": _absolute(
                    reverse("outreach:podcast_audio", kwargs={"guid": e.guid, "ext": e.audio_extension})
                ),
                "transcript_url": _absolute(reverse("outreach:podcast_transcript", kwargs={"guid": e.guid})),
            }
            for e in episodes
        ]
        context = {
            "show": show,
            "items": items,
            "link": _absolute(reverse("outreach:podcast_show", kwargs={"slug": show.slug})),
            "feed_url": _absolute(reverse("outreach:podcast_feed", kwargs={"slug": show.slug})),
            "artwork_url": _absolute(
                reverse("outreach:podcast_artwork", kwargs={"slug": show.slug, "ext": show.artwork_extension})
            ),
            "last_build": format_datetime((episodes[0].published_at if episodes else show.updated_at).astimezone(UTC)),
        }
        # The template escapes markup; characters XML forbids are dropped from the whole document.
        return xml_text(render_to_string("outreach/media/podcast_feed.xml", context))


def podcast_feed_response(request: HttpRequest, show: PodcastShow) -> HttpResponse:
    return HttpResponse(podcast_feed_render(show=show), content_type="application/rss+xml; charset=utf-8")
