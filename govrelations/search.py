"""What the public may find of Government Relations in the site search (jcr.core.search): the
bills on which the office has an approved position (never memos, comments or proposals)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govrelations.bills.models import Bill
from govrelations.positions.models import Position
from jcr.core.search import Source


def _bills():
    approved = Position.objects.filter(status=Position.Status.APPROVED).values("bill_id")
    return Bill.objects.filter(pk__in=approved)


def sources() -> list[Source]:
    return [
        Source(
            key="bill",
            label=_("Bill"),
            queryset=_bills,
            text={"en": ("identifier", "title", "latest_action_description")},
            title={"en": "title"},
            summary={"en": "latest_action_description"},
            url=lambda public_id: reverse("govrelations:bill_detail", kwargs={"public_id": public_id}),
            url_fields=("public_id",),
            date_field="latest_action_date",
        )
    ]
