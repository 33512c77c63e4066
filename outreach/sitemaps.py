from jcr.core.sitemaps import StaticPagesSitemap


class OutreachSitemap(StaticPagesSitemap):
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


class NewsSitemap(_PublishedSitemap):
    url_name = "outreach:news_detail"

    def rows(self):
        from outreach.models_media import NewsItem

        return NewsItem.objects.published().only("slug", "updated_at").order_by("-published_at")[:5000]


class JournalSitemap(_PublishedSitemap):
    url_name = "outreach:journal_episode"

    def rows(self):
        from outreach.models_media import JournalEpisode

        return JournalEpisode.objects.published().only("slug", "updated_at").order_by("-published_at")


class PodcastSitemap(_PublishedSitemap):
    """Shows and their published episodes."""

    def items(self):
        from outreach.models_media import PodcastEpisode, PodcastShow

        shows = list(PodcastShow.objects.filter(is_active=True).only("slug", "updated_at"))
        episodes = list(
            PodcastEpisode.objects.published()
            .filter(show__is_active=True)
            .select_related("show")
            .only("slug", "updated_at", "show__slug")
        )
        return shows + episodes

    def location(self, item):
        from django.urls import reverse

        if hasattr(item, "show"):
            return reverse("outreach:podcast_episode", kwargs={"show_slug": item.show.slug, "slug": item.slug})
        return reverse("outreach:podcast_show", kwargs={"slug": item.slug})
