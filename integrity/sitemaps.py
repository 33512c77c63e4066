from django.urls import reverse

from integrity.policies.selectors import policy_public_list
from jcr.core.sitemaps import StaticPagesSitemap


class IntegritySitemap(StaticPagesSitemap):
    names = (
        "integrity:landing",
        "integrity:policy_public_list",
        "integrity:records_transparency",
        "integrity:allegation_report",
        "integrity:claim_submit",
    )


class PolicySitemap(StaticPagesSitemap):
    """The page of each public policy that has a version in effect, in both languages."""

    def items(self):
        return [policy.slug for policy in policy_public_list()]

    def location(self, item):
        return reverse("integrity:policy_public_detail", kwargs={"slug": item})
