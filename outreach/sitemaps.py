from django.conf import settings
from django.urls import reverse

from jcr.core.sitemaps import StaticPagesSitemap
from outreach.dialogues.models import DialogueSeries, Recommendation
from outreach.media.models import JournalEpisode, NewsItem, PodcastEpisode, PodcastShow
from outreach.models import Event, Program


class OutreachSitemap(StaticPagesSitemap):
    names = (
        "outreach:landing",
        "outreach:program_list",
        "outreach:presentation_request",
        "outreach:event_list",
        "outreach:event_month",
        "outreach:dialogue_list",
    )


class _TranslatedSitemap(StaticPagesSitemap):
    """Pages of rows written in English with their Spanish in `*_es` fields: the Spanish page
    (and so the hreflang alternates) is listed only for a row whose Spanish is written
    (`has_spanish`); the others are listed in English alone."""

    url_name = ""

    def languages_of(self, item):
        return None if item.has_spanish else (settings.LANGUAGE_CODE,)

    def location(self, item):
        return reverse(self.url_name, kwargs={"slug": item.slug})


class ProgramSitemap(_TranslatedSitemap):
    changefreq = "monthly"
    url_name = "outreach:program_detail"

    def items(self):
        programs = Program.objects.filter(is_active=True).order_by("order", "slug")
        return list(programs.only("slug", "title_es", "summary_es"))


class EventSitemap(_TranslatedSitemap):
    """Public event pages (upcoming and past, never drafts)."""

    changefreq = "daily"
    url_name = "outreach:event_detail"

    def items(self):
        fields = [name for field in Event.TRANSLATED_FIELDS for name in (field, f"{field}_es")]
        return list(Event.objects.published().order_by("starts_at", "slug").only("slug", *fields))


class DialogueSitemap(StaticPagesSitemap):
    """Each published dialogue series: its page, draw record, application form and follow-up.
    Personal pages (an application's confirmation, a response link) are never listed."""

    changefreq = "daily"
    pages = (
        "outreach:dialogue_detail",
        "outreach:dialogue_apply",
        "outreach:dialogue_draw_record",
        "outreach:dialogue_recommendation_list",
    )

    def items(self):
        series = DialogueSeries.objects.exclude(status=DialogueSeries.Status.DRAFT).order_by("slug")
        return [
            (name, slug, title_es) for slug, title_es in series.values_list("slug", "title_es") for name in self.pages
        ]

    def location(self, item):
        name, slug, _title_es = item
        return reverse(name, kwargs={"slug": slug})

    def languages_of(self, item):
        return None if item[2] else ("en",)  # no Spanish title: the series is in English


class RecommendationSitemap(StaticPagesSitemap):
    changefreq = "weekly"

    def items(self):
        return list(
            Recommendation.objects.exclude(subcommittee__series__status=DialogueSeries.Status.DRAFT)
            .order_by("pk")
            .values_list("subcommittee__series__slug", "public_id", "title_es")
        )

    def location(self, item):
        slug, public_id, _title_es = item
        return reverse("outreach:dialogue_recommendation_detail", kwargs={"slug": slug, "public_id": public_id})

    def languages_of(self, item):
        return None if item[2] else ("en",)

    names = ("outreach:landing",)


# Media
class MediaPagesSitemap(StaticPagesSitemap):
    names = (
        "outreach:news_list",
        "outreach:inquiry_form",
        "outreach:journal_list",
        "outreach:podcast_list",
        "outreach:newsletter_subscribe",
    )


class _PublishedSitemap(StaticPagesSitemap):
    """Published rows of a model, by slug."""

    changefreq = "monthly"
    url_name = ""

    def rows(self):
        raise NotImplementedError

    def items(self):
        return list(self.rows())

    def location(self, item):
        from django.urls import reverse

        return reverse(self.url_name, kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def languages_of(self, item):
        return (item.language,)  # each item is written in one language


class NewsSitemap(_PublishedSitemap):
    """Each edition is its own page, listed in its own language: an English item's Spanish
    edition has its own address (and an English item without one has no Spanish page)."""

    url_name = "outreach:news_detail"

    def rows(self):
        return NewsItem.objects.published().only("slug", "updated_at", "language").order_by("-published_at")[:5000]


class JournalSitemap(_PublishedSitemap):
    url_name = "outreach:journal_episode"

    def rows(self):
        return JournalEpisode.objects.published().only("slug", "updated_at", "language").order_by("-published_at")


class PodcastSitemap(_PublishedSitemap):
    """Shows and their published episodes."""

    def items(self):
        shows = list(PodcastShow.objects.filter(is_active=True).only("slug", "updated_at", "language"))
        episodes = list(
            PodcastEpisode.objects.published()
            .filter(show__is_active=True)
            .select_related("show")
            .only("slug", "updated_at", "show__slug", "show__language")
        )
        return shows + episodes

    def location(self, item):
        from django.urls import reverse

        if hasattr(item, "show"):
            return reverse("outreach:podcast_episode", kwargs={"show_slug": item.show.slug, "slug": item.slug})
        return reverse("outreach:podcast_show", kwargs={"slug": item.slug})

    def languages_of(self, item):
        return (item.show.language if hasattr(item, "show") else item.language,)  # a show's episodes share its language
