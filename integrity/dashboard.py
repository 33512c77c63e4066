from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard, or None for people outside the unit who have
    nothing of the unit's waiting for them (legal updates and policies to acknowledge)."""
    from integrity.dashboard_policies import items as policy_items

    config = apps.get_app_config("integrity")
    acknowledgements = policy_items(user=user)
    if not user.has_perm(config.access_permission):
        if not acknowledgements:
            return None
        return {
            "title": config.verbose_name,
            "url": reverse("integrity:my_acknowledgements"),
            "items": acknowledgements,
        }
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": [*acknowledgements],
        "empty": _(
            "Nothing is waiting for you in Justice, Training & Integrity. Assigned claims, statutory "
            "deadlines and training due will appear here."
        ),
    }
