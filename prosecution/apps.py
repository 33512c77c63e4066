from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionConfig(AppConfig):
    name = "prosecution"
    verbose_name = _("Community Prosecution Unit")
    short_name = _("Community Prosecution")
    summary = _(
        "Community prosecutors work in neighborhoods with residents, police, code enforcement, "
        "community groups and businesses to solve quality-of-life problems."
    )
    is_bureau_unit = True
    order = 1
    search_sources = "prosecution.search.sources"
    public_url_name = "prosecution:landing"
    staff_url_name = "prosecution:staff_landing"
    access_permission = "accounts.access_prosecution"
    dashboard_panel = "prosecution.dashboard.panel"
    sitemaps = {
        "prosecution": "prosecution.sitemaps.ProsecutionSitemap",
        "prosecution-report": "prosecution.sitemaps.ReportFormSitemap",
        "prosecution-areas": "prosecution.sitemaps.AreaPageSitemap",
        "prosecution-projects": "prosecution.sitemaps.ProjectPageSitemap",
    }
