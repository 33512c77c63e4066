from jcr.core.sitemaps import StaticPagesSitemap


class ProsecutionSitemap(StaticPagesSitemap):
    names = ("prosecution:landing",)
