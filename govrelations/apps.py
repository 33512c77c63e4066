from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovrelationsConfig(AppConfig):
    name = "govrelations"
    verbose_name = _("Government Relations")
    short_name = _("Government Relations")
    summary = _("Research on the bills that affect the criminal justice system, and the office's positions on them.")
    is_bureau_unit = True
    order = 3
    search_sources = "govrelations.search.sources"
    public_url_name = "govrelations:landing"
    staff_url_name = "govrelations:staff_landing"
    access_permission = "accounts.access_govrelations"
    dashboard_panel = "govrelations.dashboard.panel"
    sitemaps = {
        "govrelations": "govrelations.sitemaps.GovrelationsSitemap",
        "govrelations_sessions": "govrelations.sitemaps.SessionPositionsSitemap",
        "govrelations_bills": "govrelations.sitemaps.PublicBillSitemap",
    }
