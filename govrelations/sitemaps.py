from django.conf import settings
from django.urls import reverse

from govrelations.bills.selectors import session_list_public
from govrelations.positions.models import Position
from jcr.core.sitemaps import StaticPagesSitemap


class GovrelationsSitemap(StaticPagesSitemap):
    names = ("govrelations:landing",)


class SessionPositionsSitemap(StaticPagesSitemap):
    """The positions page of each session with a published position."""

    changefreq = "daily"

    def items(self):
        return sorted({s.identifier for s in session_list_public()}, reverse=True)

    def location(self, item):
        return reverse("govrelations:session_positions", kwargs={"session": item})


class PublicBillSitemap(StaticPagesSitemap):
    """The public page of each bill with an approved position (titles as published)."""

    changefreq = "daily"

    def items(self):
        return list(
            Position.objects.filter(status=Position.Status.APPROVED)
            .select_related("bill")
            .only("reasons_es", "bill__public_id")
            .order_by("bill__session__identifier", "bill__identifier")
        )

    def languages_of(self, item):
        # The Spanish page (and its hreflang alternates) only once the reasons are in Spanish.
        return None if item.has_spanish else (settings.LANGUAGE_CODE,)

    def location(self, item):
        return reverse("govrelations:bill_detail", kwargs={"public_id": item.bill.public_id})
