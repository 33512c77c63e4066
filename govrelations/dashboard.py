from datetime import timedelta

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govrelations.bills.models import Bill
from govrelations.positions.models import Position


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard, or None for people outside the unit: bills
    assigned to `user`, positions awaiting sign-off (for supervisors) and hearings of their
    bills this week (one query)."""
    config = apps.get_app_config("govrelations")
    if not user.has_perm(config.access_permission):
        return None
    now = timezone.now()
    counts = Bill.objects.aggregate(
        mine=Count("pk", filter=Q(analyst=user), distinct=True),
        awaiting=Count("positions", filter=Q(positions__status=Position.Status.PROPOSED), distinct=True),
        hearings=Count(
            "hearings",
            filter=Q(analyst=user, hearings__starts_at__gte=now, hearings__starts_at__lt=now + timedelta(days=7)),
            distinct=True,
        ),
    )
    bills = reverse("govrelations:staff_bill_list")
    items = []
    if counts["mine"]:
        label = ngettext("%(n)d bill assigned to you", "%(n)d bills assigned to you", counts["mine"])
        items.append({"label": label % {"n": counts["mine"]}, "url": f"{bills}?analyst=mine"})
    if counts["awaiting"] and user.has_perm("govrelations.approve_position"):
        label = ngettext("%(n)d position awaiting sign-off", "%(n)d positions awaiting sign-off", counts["awaiting"])
        items.append({"label": label % {"n": counts["awaiting"]}, "url": f"{bills}?position=pending"})
    if counts["hearings"]:
        label = ngettext(
            "%(n)d hearing of your bills this week", "%(n)d hearings of your bills this week", counts["hearings"]
        )
        items.append(
            {"label": label % {"n": counts["hearings"]}, "url": reverse("govrelations:staff_hearing_calendar")}
        )
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": items,
        "empty": _(
            "Nothing is waiting for you in Government Relations. Bills assigned to you, positions "
            "awaiting sign-off and upcoming hearings will appear here."
        ),
    }
