from jcr.core.sitemaps import StaticPagesSitemap


class OutreachSitemap(StaticPagesSitemap):
    names = ("outreach:landing",)
