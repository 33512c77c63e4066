"""What other parts of the portal may read of the Community Prosecution Unit.

Read-only helpers; nothing here writes. Other units and the platform (through a setting)
use this module, never the unit's models or services."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jcr.core.submissions import SECTION_MAX_ROWS, Row, Section, email_q
from prosecution.concerns.models import Concern
from prosecution.concerns.models_follow import AreaAlert, ConcernFollow, OptInStatus


def my_submissions(emails: list[str]) -> list[Section]:
    """A resident's concerns (by the address they gave), the concerns they follow and their
    area alerts, for "My submissions". Concerns open their tracking page, where the reporter
    adds information or says it is not fixed; follows and alerts link to their one-click stop."""
    concerns = (
        Concern.objects.filter(email_q(["contact_email"], emails))
        .select_related("category")
        .order_by("-created_at", "-id")[:SECTION_MAX_ROWS]
    )
    concern_rows = [
        Row(
            label=_("%(category)s, tracking code %(code)s") % {"category": c.category.label, "code": c.tracking_code},
            status=c.get_status_display(),
            url=reverse("prosecution:concern_track", kwargs={"tracking_code": c.tracking_code}),
            when=c.created_at,
        )
        for c in concerns
    ]
    follows = (
        ConcernFollow.objects.filter(email_q(["email"], emails))
        .exclude(status=OptInStatus.UNSUBSCRIBED)
        .select_related("concern__category")
        .order_by("-created_at", "-id")[:SECTION_MAX_ROWS]
    )
    follow_rows = [
        Row(
            label=_("Report %(code)s: %(category)s")
            % {"code": f.concern.public_ref, "category": f.concern.category.label},
            status=f.get_status_display(),
            url=reverse("prosecution:concern_public", kwargs={"public_ref": f.concern.public_ref}),
            action_label=_("Stop following"),
            action_url=reverse("prosecution:concern_unfollow", kwargs={"token": f.token}),
            when=f.created_at,
        )
        for f in follows
    ]
    alerts = (
        AreaAlert.objects.filter(email_q(["email"], emails))
        .exclude(status=OptInStatus.UNSUBSCRIBED)
        .select_related("area")
        .order_by("-created_at", "-id")[:SECTION_MAX_ROWS]
    )
    alert_rows = [
        Row(
            label=_("New concerns in %(area)s") % {"area": a.area.name},
            status=a.get_status_display(),
            url=reverse("prosecution:area_detail", kwargs={"slug": a.area.slug}),
            action_label=_("Unsubscribe"),
            action_url=reverse("prosecution:area_alert_unsubscribe", kwargs={"token": a.token}),
            when=a.created_at,
        )
        for a in alerts
    ]
    return [
        Section(key="prosecution.concerns", title=_("Neighborhood concerns you reported"), rows=concern_rows),
        Section(key="prosecution.follows", title=_("Concerns you follow"), rows=follow_rows),
        Section(key="prosecution.area_alerts", title=_("Area alerts"), rows=alert_rows),
    ]
