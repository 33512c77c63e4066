from jcr.core.sitemaps import StaticPagesSitemap


class IntegritySitemap(StaticPagesSitemap):
    names = (
        "integrity:landing",
        "integrity:records_transparency",
        "integrity:allegation_report",
        "integrity:claim_submit",
    )
