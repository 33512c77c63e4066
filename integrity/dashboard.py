from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard, or None for people outside the unit."""
    config = apps.get_app_config("integrity")
    if not user.has_perm(config.access_permission):
        return None
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": [],
        "empty": _(
            "Nothing is waiting for you in Justice, Training & Integrity. Assigned claims, statutory "
            "deadlines and training due will appear here."
        ),
    }
