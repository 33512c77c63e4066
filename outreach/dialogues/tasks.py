"""Thin Celery tasks of the community dialogues (scheduled by migration 0002_dialogues)."""

from __future__ import annotations

from celery import shared_task

from outreach.dialogues import services


@shared_task(name="outreach.dialogues.offers_lapse", acks_late=True)
def offers_lapse() -> int:
    """Every 15 minutes: offers past their deadline lapse and the wait list moves up.
    Safe to run twice at once: each offer is claimed under a row lock with a status guard."""
    return services.dialogue_offers_lapse()


@shared_task(name="outreach.dialogues.draws_due", acks_late=True)
def draws_due() -> int:
    """Every 5 minutes: draw the series set to draw automatically once their window closed.
    Safe to run twice at once: the draw locks the series and refuses a second draw."""
    return services.dialogue_draws_due()
