from django.urls import reverse

from jcr.core.sitemaps import StaticPagesSitemap
from prosecution.areas.selectors import area_public_list
from prosecution.concerns.models_categories import Category
from prosecution.projects.selectors import project_public_queryset


class ProsecutionSitemap(StaticPagesSitemap):
    names = (
        "prosecution:landing",
        "prosecution:report",
        "prosecution:concern_track_find",
        "prosecution:my_prosecutor",
        "prosecution:transparency",
        "prosecution:concern_map",
    )


class ReportFormSitemap(StaticPagesSitemap):
    """The report form of each active category. Tracking pages are personal: never listed."""

    changefreq = "monthly"

    def items(self):
        return list(Category.objects.filter(is_active=True).order_by("order", "code").values_list("code", flat=True))

    def location(self, item):
        return reverse("prosecution:report_form", kwargs={"code": item})


class AreaPageSitemap(StaticPagesSitemap):
    """The page of each area with a public page (police districts, neighborhoods, beats)."""

    changefreq = "daily"

    def items(self):
        return [area.slug for area in area_public_list()]

    def location(self, item):
        return reverse("prosecution:area_detail", kwargs={"slug": item})


class ProjectPageSitemap(StaticPagesSitemap):
    """The page of each public, non-sensitive problem-solving project."""

    changefreq = "weekly"

    def items(self):
        return list(project_public_queryset().order_by("created_at", "id").values_list("public_id", flat=True))

    def location(self, item):
        return reverse("prosecution:project_public", kwargs={"public_id": item})

    def languages_of(self, item):
        return ("en",)  # a project's title and summary are written in English only
