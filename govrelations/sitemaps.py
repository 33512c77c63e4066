from jcr.core.sitemaps import StaticPagesSitemap


class GovrelationsSitemap(StaticPagesSitemap):
    names = ("govrelations:landing",)
