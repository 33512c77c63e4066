"""Reads of the shared platform."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jcr.core.audit import audit_entries_visible_to
from jcr.core.models import Area, AreaAssignment, AuditEntry, OutboundEmail


@dataclass(frozen=True)
class Unit:
    label: str
    name: str
    short_name: str
    summary: str
    public_url: str
    staff_url: str
    permission: str


def units() -> list[Unit]:
    """The bureau's four units, in the order the bureau presents them."""
    result = []
    for config in apps.get_app_configs():
        if getattr(config, "is_bureau_unit", False):
            result.append(
                Unit(
                    label=config.label,
                    name=str(config.verbose_name),
                    short_name=str(config.short_name),
                    summary=str(config.summary),
                    public_url=reverse(config.public_url_name),
                    staff_url=reverse(config.staff_url_name),
                    permission=config.access_permission,
                )
            )
    return sorted(result, key=lambda u: apps.get_app_config(u.label).order)


def police_districts_with_prosecutors() -> list[Area]:
    """Police districts with their assigned community prosecutors (two queries)."""
    assignments = AreaAssignment.objects.filter(
        role=AreaAssignment.Role.COMMUNITY_PROSECUTOR, user__is_active=True
    ).select_related("user")
    return list(
        Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT)
        .order_by("name")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="prosecutor_assignments"))
    )


def platform_panel(*, user) -> dict:
    """Platform items for the dashboard: the person's areas, recent history (without entries
    about confidential objects they may no longer read, such as a claim they were walled off
    from), and for administrators the e-mails that failed."""
    panel = {
        "areas": list(Area.objects.filter(assignments__user=user).distinct().order_by("kind", "name")),
        "recent": list(
            audit_entries_visible_to(user=user, queryset=AuditEntry.objects.filter(actor_id=user.pk)).order_by("-at")[
                :5
            ]
        ),
        "failed_emails": None,
        "health": None,
    }
    if user.has_perm("core.view_outboundemail"):
        panel["failed_emails"] = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).count()
    if user.is_superuser or user.has_perm("accounts.access_admin_site"):
        panel["health"] = background_health()
    return panel


HEALTH_LABELS = {
    "cache": _("Cache"),
    "broker": _("Message broker"),
    "worker": _("Background worker"),
    "beat": _("Scheduler (beat)"),
}


def background_health() -> dict:
    """What /healthz/ready reports, for administrators (the database answered this page)."""
    from jcr.core import health

    seen, heartbeats = health.read_heartbeats()
    healthy, results = health.run_checks({"cache": health.check_cache, "broker": health.check_broker} | heartbeats)
    return {
        "healthy": healthy,
        "rows": [
            {"label": HEALTH_LABELS[name], "up": r["up"], "detail": r["detail"], "seen": seen.get(name)}
            for name, r in results.items()
        ],
    }
