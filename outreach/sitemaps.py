from django.urls import reverse

from jcr.core.sitemaps import StaticPagesSitemap


class OutreachSitemap(StaticPagesSitemap):
    names = ("outreach:landing", "outreach:dialogue_list")


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
        from outreach.models_dialogues import DialogueSeries

        slugs = DialogueSeries.objects.exclude(status=DialogueSeries.Status.DRAFT).order_by("slug")
        return [(name, slug) for slug in slugs.values_list("slug", flat=True) for name in self.pages]

    def location(self, item):
        name, slug = item
        return reverse(name, kwargs={"slug": slug})


class RecommendationSitemap(StaticPagesSitemap):
    changefreq = "weekly"

    def items(self):
        from outreach.models_dialogues import DialogueSeries, Recommendation

        return list(
            Recommendation.objects.exclude(subcommittee__series__status=DialogueSeries.Status.DRAFT)
            .order_by("pk")
            .values_list("subcommittee__series__slug", "public_id")
        )

    def location(self, item):
        slug, public_id = item
        return reverse("outreach:dialogue_recommendation_detail", kwargs={"slug": slug, "public_id": public_id})
