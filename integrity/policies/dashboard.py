"""Legal updates and policies on the staff dashboard: what the person still has to acknowledge."""

from django.urls import reverse
from django.utils.translation import ngettext

from integrity.policies.selectors import ACKNOWLEDGE, acknowledgements_pending


def items(*, user) -> list[dict]:
    if not user.has_perm(ACKNOWLEDGE):
        return []
    pending = acknowledgements_pending(user=user)
    if not pending["count"]:
        return []
    label = ngettext(
        "%(n)d legal update or policy to acknowledge",
        "%(n)d legal updates or policies to acknowledge",
        pending["count"],
    )
    return [{"label": label % {"n": pending["count"]}, "url": reverse("integrity:my_acknowledgements")}]
