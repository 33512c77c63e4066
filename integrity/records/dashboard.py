"""The confidential records on the staff dashboard of JTI members: deadlines overdue or due
within 14 days, claims assigned to the person, allegations awaiting review. Counts and links
only, in three queries whatever the number of rows; records soft-deleted or behind a conflict
wall for the person are not counted."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from integrity.records import selectors
from integrity.records.access import user_is_jti
from integrity.records.models import Allegation, Claim

DEADLINE_WINDOW_DAYS = 14


def counts(*, user) -> dict[str, int]:
    today = timezone.localdate()
    deadlines = (
        selectors.deadlines_visible_to(user=user)
        .filter(met_at__isnull=True)
        .aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=DEADLINE_WINDOW_DAYS))),
        )
    )
    claims = (
        selectors.claim_list_visible_to(user=user)
        .filter(investigator=user)
        .exclude(status=Claim.Status.DISPOSED)
        .count()
    )
    allegations = selectors.allegation_list(user=user, status=Allegation.Status.RECEIVED).count()
    return {**deadlines, "claims_mine": claims, "allegations_received": allegations}


def items(*, user) -> list[dict]:
    if not user_is_jti(user):
        return []
    n = counts(user=user)
    home = reverse("integrity:records_home")
    out = []
    if n["overdue"]:
        label = ngettext("%(n)d record deadline overdue", "%(n)d record deadlines overdue", n["overdue"])
        out.append({"label": label % {"n": n["overdue"]}, "url": home})
    if n["soon"]:
        label = ngettext(
            "%(n)d record deadline due within 14 days", "%(n)d record deadlines due within 14 days", n["soon"]
        )
        out.append({"label": label % {"n": n["soon"]}, "url": home})
    if n["claims_mine"]:
        label = ngettext(
            "%(n)d wrongful-conviction claim assigned to you",
            "%(n)d wrongful-conviction claims assigned to you",
            n["claims_mine"],
        )
        out.append({"label": label % {"n": n["claims_mine"]}, "url": f"{reverse('integrity:claim_list')}?mine=1"})
    if n["allegations_received"]:
        label = ngettext(
            "%(n)d misconduct allegation awaiting review",
            "%(n)d misconduct allegations awaiting review",
            n["allegations_received"],
        )
        out.append(
            {
                "label": label % {"n": n["allegations_received"]},
                "url": f"{reverse('integrity:allegation_list')}?status=received",
            }
        )
    return out
