"""Thin Celery tasks of legal update bulletins."""

from __future__ import annotations

from celery import shared_task

from integrity.policies import services


@shared_task(name="integrity.policies.bulletin_reminders_send", acks_late=True)
def bulletin_reminders_send() -> int:
    """Daily at 07:30 (beat, created by migration 0002_policies): remind those who have not
    acknowledged a bulletin. A redelivered run sends nothing twice (see the service)."""
    return services.bulletin_reminders_send()
