from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from outreach.events.selectors import event_dashboard_items
from outreach.programs.selectors import presentation_dashboard_items
from outreach.social.selectors import social_dashboard_items


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard, or None for people outside the unit."""
    config = apps.get_app_config("outreach")
    if not user.has_perm(config.access_permission):
        return None
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": (
            presentation_dashboard_items(user=user)
            + event_dashboard_items(user=user)
            + social_dashboard_items(user=user)
        ),
        "empty": _(
            "Nothing is waiting for you in Outreach. Presentation requests, event registrations and "
            "posts awaiting approval will appear here."
        ),
    }
