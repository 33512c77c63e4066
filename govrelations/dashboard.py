from datetime import timedelta

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govrelations.bills.models import Bill
from govrelations.bills.selectors import sync_overview
from govrelations.positions.models import Position

SYNC_OVERVIEW_KEY = "govrelations:sync_overview"
SYNC_OVERVIEW_SECONDS = 60  # the sync line is read at most once a minute (four small queries)


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
    overview = cache.get_or_set(SYNC_OVERVIEW_KEY, sync_overview, SYNC_OVERVIEW_SECONDS)
    items.append({"label": sync_label(overview), "url": bills})
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": items,
        "empty": _(
            "Nothing is waiting for you in Government Relations. Bills assigned to you, positions "
            "awaiting sign-off and upcoming hearings will appear here."
        ),
    }


def sync_label(overview: dict) -> str:
    """One line on the Open States sync: last synced, next run, requests left today."""

    def when(moment):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else _("not yet")

    label = _("Open States: last synced %(last)s; next run %(next)s; %(left)d requests left today") % {
        "last": when(overview["last_synced_at"]),
        "next": when(overview["next_run_at"]) if overview["next_run_at"] else _("not scheduled"),
        "left": overview["budget_left"],
    }
    if overview["latest_status"]:
        label += " " + _("(latest run: %(status)s)") % {"status": overview["latest_status"]}
    return label
