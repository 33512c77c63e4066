"""Thin Celery tasks of legal update bulletins."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def bulletin_reminders_send() -> int:
    """Daily at 07:30 (beat, created by migration 0002_policies): remind those who have not
    acknowledged a bulletin. A redelivered run sends nothing twice (see the service)."""
    from integrity.services_policies import bulletin_reminders_send as send

    return send()
