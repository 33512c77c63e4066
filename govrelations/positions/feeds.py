"""RSS feed of the office's newly approved positions."""

from __future__ import annotations

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from govrelations.positions import selectors
from jcr.core.feeds import Feed


class PositionsFeed(Feed):
    title = _("District Attorney: positions on legislation")
    description = _("The office's positions on bills, as the District Attorney approves them.")
    link = reverse_lazy("govrelations:landing")

    def items(self):
        return selectors.position_list_for_feed()

    def item_title(self, item):
        return f"{item.bill.identifier}: {item.get_stance_display()} — {item.bill.title}"

    def item_description(self, item):
        return item.reasons_label

    def item_link(self, item):
        return reverse("govrelations:bill_detail", kwargs={"public_id": item.bill.public_id})

    def item_guid(self, item):
        return str(item.public_id)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.decided_at
