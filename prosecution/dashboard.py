from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prosecution.concerns import triage


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard, or None for people outside the unit: the
    neighborhood concerns waiting for `user` (one query), each linking to the filtered queue."""

    config = apps.get_app_config("prosecution")
    if not user.has_perm(config.access_permission):
        return None
    items = []
    if user.has_perm("prosecution.view_concern"):
        counts = triage.staff_counts(user=user)
        queue = reverse("prosecution:staff_concern_list")
        if counts["mine"]:
            label = ngettext(
                "%(n)d open concern assigned to you", "%(n)d open concerns assigned to you", counts["mine"]
            )
            items.append({"label": label % {"n": counts["mine"]}, "url": f"{queue}?assignee=mine"})
        if counts["unplaced"]:
            label = ngettext(
                "%(n)d open concern placed in no area", "%(n)d open concerns placed in no area", counts["unplaced"]
            )
            items.append({"label": label % {"n": counts["unplaced"]}, "url": f"{queue}?area=none"})
        if counts["unassigned"]:
            label = ngettext("%(n)d unassigned open concern", "%(n)d unassigned open concerns", counts["unassigned"])
            items.append({"label": label % {"n": counts["unassigned"]}, "url": f"{queue}?assignee=unassigned"})
        if counts["overdue"]:
            label = ngettext("%(n)d overdue concern", "%(n)d overdue concerns", counts["overdue"])
            items.append({"label": label % {"n": counts["overdue"]}, "url": f"{queue}?overdue=on"})
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": items,
        "empty": _(
            "Nothing is waiting for you in Community Prosecution. Neighborhood concerns routed to your "
            "areas will appear here."
        ),
    }
