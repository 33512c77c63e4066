"""Thin Celery tasks of the Community Outreach & Media Relations Unit."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def reminders_dispatch() -> dict[str, int]:
    """Every minute (django-celery-beat): send or skip the due event and presentation
    reminders. Safe to run twice at once or to redeliver: each row is claimed with a
    conditional UPDATE, so a reminder is queued at most once."""
    from outreach.services import reminders_dispatch as dispatch

    return dispatch()


from outreach.media.tasks import newsletter_issue_deliver, newsletter_issues_sweep  # noqa: E402
from outreach.social.tasks import deliveries_dispatch as social_deliveries_dispatch  # noqa: E402
from outreach.social.tasks import deliveries_sweep_stuck as social_deliveries_sweep_stuck  # noqa: E402
from outreach.social.tasks import delivery_publish as social_delivery_publish  # noqa: E402
from outreach.social.tasks import tokens_check as social_tokens_check  # noqa: E402
from outreach.tasks_dialogues import dialogue_draws_due, dialogue_offers_lapse  # noqa: E402

__all__ = [
    "dialogue_draws_due",
    "dialogue_offers_lapse",
    "newsletter_issue_deliver",
    "newsletter_issues_sweep",
    "reminders_dispatch",
    "social_deliveries_dispatch",
    "social_deliveries_sweep_stuck",
    "social_delivery_publish",
    "social_tokens_check",
]
