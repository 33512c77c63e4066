"""Thin Celery task of the "is it fixed?" follow-up."""

from __future__ import annotations

from celery import shared_task

from prosecution.partners.services import followup_send_due as send_due


@shared_task(name="prosecution.partners.followup_send_due", acks_late=True)
def followup_send_due() -> int:
    """Hourly: create and e-mail the "is it fixed?" follow-ups that are due. Safe to run twice
    or at once on two workers: the service sends each one exactly once (unique per resolution)."""
    return send_due()
