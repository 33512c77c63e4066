"""Thin Celery tasks of the community dialogues (scheduled by migration 0002_dialogues)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def dialogue_offers_lapse() -> int:
    """Every 15 minutes: offers past their deadline lapse and the wait list moves up.
    Safe to run twice at once: each offer is claimed under a row lock with a status guard."""
    from outreach.services_dialogues import dialogue_offers_lapse as lapse

    return lapse()


@shared_task(acks_late=True)
def dialogue_draws_due() -> int:
    """Every 5 minutes: draw the series set to draw automatically once their window closed.
    Safe to run twice at once: the draw locks the series and refuses a second draw."""
    from outreach.services_dialogues import dialogue_draws_due as draws_due

    return draws_due()
