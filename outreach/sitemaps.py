from django.urls import reverse

from jcr.core.sitemaps import StaticPagesSitemap


class OutreachSitemap(StaticPagesSitemap):
    names = (
        "outreach:landing",
        "outreach:program_list",
        "outreach:presentation_request",
        "outreach:event_list",
        "outreach:event_month",
    )


class ProgramSitemap(StaticPagesSitemap):
    changefreq = "monthly"

    def items(self):
        from outreach.models import Program

        return list(Program.objects.filter(is_active=True).order_by("order", "slug").values_list("slug", flat=True))

    def location(self, item):
        return reverse("outreach:program_detail", kwargs={"slug": item})


class EventSitemap(StaticPagesSitemap):
    """Public event pages (upcoming and past, never drafts)."""

    changefreq = "daily"

    def items(self):
        from outreach.models import Event

        return list(Event.objects.published().order_by("starts_at", "slug").values_list("slug", flat=True))

    def location(self, item):
        return reverse("outreach:event_detail", kwargs={"slug": item})
