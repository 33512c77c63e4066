"""What other parts of the portal may read of Outreach.

Read-only helpers; nothing here writes. Other units and the platform (through a setting)
use this module, never the unit's models or services."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jcr.core.submissions import SECTION_MAX_ROWS, Row, Section, email_q
from outreach.dialogues.models import DialogueApplication, DialogueSeries
from outreach.events.models import Registration
from outreach.media.models import NewsletterSubscription


def my_submissions(emails: list[str]) -> list[Section]:
    """A resident's event registrations (their page has the cancel button), dialogue
    applications (the answer page while an offer is open) and newsletter subscriptions (the
    one-click unsubscribe), for "My submissions"."""
    registrations = (
        Registration.objects.filter(email_q(["email"], emails))
        .select_related("event")
        .order_by("-event__starts_at", "-id")[:SECTION_MAX_ROWS]
    )
    registration_rows = [
        Row(
            label=r.event.title_label,
            status=r.get_status_display(),
            url=reverse("outreach:registration_detail", kwargs={"token": r.token}),
            action_label=_("Cancel the registration") if r.status != Registration.Status.CANCELLED else "",
            action_url=reverse("outreach:registration_detail", kwargs={"token": r.token})
            if r.status != Registration.Status.CANCELLED
            else "",
            when=r.event.starts_at,
        )
        for r in registrations
    ]
    applications = (
        DialogueApplication.objects.filter(email_q(["email"], emails))
        .select_related("series")
        .order_by("-created_at", "-id")[:SECTION_MAX_ROWS]
    )
    application_rows = []
    for a in applications:
        offer_open = a.status == DialogueApplication.Status.SELECTED and a.response_token
        public = a.series.status != DialogueSeries.Status.DRAFT
        application_rows.append(
            Row(
                label=a.series.title_label,
                status=a.get_status_display(),
                url=reverse("outreach:dialogue_detail", kwargs={"slug": a.series.slug}) if public else "",
                action_label=_("Answer the offer of a seat") if offer_open else "",
                action_url=reverse("outreach:dialogue_respond", kwargs={"token": a.response_token})
                if offer_open
                else "",
                when=a.created_at,
            )
        )
    subscriptions = (
        NewsletterSubscription.objects.filter(email_q(["email"], emails))
        .exclude(status=NewsletterSubscription.Status.UNSUBSCRIBED)
        .order_by("-created_at", "-id")[:SECTION_MAX_ROWS]
    )
    subscription_rows = [
        Row(
            label=_("Newsletter (%(language)s)") % {"language": s.get_language_display()},
            status=s.get_status_display(),
            action_label=_("Unsubscribe"),
            action_url=reverse("outreach:newsletter_unsubscribe", kwargs={"token": s.token}),
            when=s.created_at,
        )
        for s in subscriptions
    ]
    return [
        Section(key="outreach.registrations", title=_("Event registrations"), rows=registration_rows),
        Section(key="outreach.dialogues", title=_("Dialogue applications"), rows=application_rows),
        Section(key="outreach.newsletter", title=_("Newsletter"), rows=subscription_rows),
    ]
