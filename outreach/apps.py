from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Community Outreach & Media Relations Unit")
    short_name = _("Community Outreach & Media")
    summary = _(
        "Education and prevention programs for adults and youth, community events and dialogues, "
        "the Justice Journal, podcasts and news from the office."
    )
    is_bureau_unit = True
    order = 2
    search_sources = "outreach.search.sources"
    public_url_name = "outreach:landing"
    staff_url_name = "outreach:staff_landing"
    access_permission = "accounts.access_outreach"
    dashboard_panel = "outreach.dashboard.panel"
    sitemaps = {
        "outreach": "outreach.sitemaps.OutreachSitemap",
        "outreach-programs": "outreach.sitemaps.ProgramSitemap",
        "outreach-events": "outreach.sitemaps.EventSitemap",
        "outreach_dialogues": "outreach.sitemaps.DialogueSitemap",
        "outreach_recommendations": "outreach.sitemaps.RecommendationSitemap",
        # Media
        "outreach_media": "outreach.sitemaps.MediaPagesSitemap",
        "outreach_news": "outreach.sitemaps.NewsSitemap",
        "outreach_journal": "outreach.sitemaps.JournalSitemap",
        "outreach_podcasts": "outreach.sitemaps.PodcastSitemap",
    }

    def ready(self):
        from django.core import checks

        from outreach.checks import social_credentials_key

        checks.register(social_credentials_key, checks.Tags.security, deploy=True)
