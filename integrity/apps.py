from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    verbose_name = _("Justice, Training & Integrity Unit")
    short_name = _("Justice, Training & Integrity")
    summary = _(
        "Training for prosecutors, office policies, discovery safeguards, and the review of "
        "misconduct allegations and wrongful-conviction claims."
    )
    is_bureau_unit = True
    order = 4
    search_sources = "integrity.search.sources"
    public_url_name = "integrity:landing"
    staff_url_name = "integrity:staff_landing"
    access_permission = "accounts.access_integrity"
    dashboard_panel = "integrity.dashboard.panel"
    sitemaps = {
        "integrity": "integrity.sitemaps.IntegritySitemap",
        "integrity-policies": "integrity.sitemaps.PolicySitemap",
    }

    def ready(self):
        from integrity.records import signals

        signals.connect()
