from jcr.core.sitemaps import StaticPagesSitemap


class IntegritySitemap(StaticPagesSitemap):
    names = ("integrity:landing",)
