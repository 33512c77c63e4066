"""The unit's front pages (the public landing page and the staff landing page) and its part of
the staff dashboard; each feature says what it shows there."""

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from integrity.policies.dashboard import items as policy_items
from integrity.records.dashboard import items as record_items
from integrity.training import selectors as training_selectors
from jcr.core.access import public, staff
from jcr.core.caching import cache_public_page


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "integrity/landing.html", {})


@staff("accounts.access_integrity")
@require_GET
def staff_landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "integrity/staff_landing.html", {})


def _training_items(*, user) -> list[dict]:
    """Links every deputy has: the training calendar and their own MCLE transcript (not for staff
    recorded as not attorneys: they have no MCLE obligation)."""
    items = [{"label": _("Training sessions"), "url": reverse("integrity:training_sessions")}]
    if training_selectors.has_obligation(user):
        items.append({"label": _("My MCLE transcript"), "url": reverse("integrity:training_my_transcript")})
    if user.has_perm("integrity.view_compliance"):
        items.append({"label": _("MCLE compliance across the office"), "url": reverse("integrity:training_compliance")})
    return items


def panel(*, user) -> dict | None:
    """This unit's part of the staff dashboard. Staff outside the unit see what every deputy
    has here: legal updates and policies waiting for their acknowledgement, and training (every
    deputy registers for courses and follows their own MCLE standing)."""
    config = apps.get_app_config("integrity")
    acknowledgements = policy_items(user=user)
    if not user.has_perm(config.access_permission):
        if not (user.is_active and user.is_staff):
            return None
        return {
            "title": config.verbose_name,
            "url": reverse("integrity:my_acknowledgements")
            if acknowledgements
            else reverse("integrity:training_sessions"),
            "items": [*acknowledgements, *_training_items(user=user)],
            "empty": "",
        }
    return {
        "title": config.verbose_name,
        "url": reverse(config.staff_url_name),
        "items": [*record_items(user=user), *acknowledgements, *_training_items(user=user)],
        "empty": _(
            "Nothing is waiting for you in Justice, Training & Integrity. Assigned claims, statutory "
            "deadlines and training due will appear here."
        ),
    }
