"""What other units may read of Government Relations: bills and the office's approved positions.

Read-only helpers; nothing here writes. Other units import this module, never govrelations'
models or services.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govrelations.bills.models import Bill
from govrelations.positions.models import Position


def bill_list_by_identifier(*, identifier: str, session: str = "") -> QuerySet[Bill]:
    """Bills with this identifier ("SB 1234"), newest session first; `session` narrows them to
    a session whose identifier is, or contains, it."""
    qs = Bill.objects.filter(identifier__iexact=identifier).select_related("session")
    if session:
        qs = qs.filter(Q(session__identifier__iexact=session) | Q(session__identifier__contains=session))
    return qs.order_by("-session__identifier")


def bill_list_none() -> QuerySet[Bill]:
    return Bill.objects.none()


def bill_list_watched(*, limit: int) -> list[Bill]:
    """The watch list, most recently active first (one query)."""
    return list(
        Bill.objects.filter(is_watched=True).select_related("session").order_by("-latest_action_date", "-id")[:limit]
    )


def bill_has_approved_position(*, bill: Bill) -> bool:
    return Position.objects.filter(bill=bill, status=Position.Status.APPROVED).exists()
