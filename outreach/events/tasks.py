"""Thin Celery tasks of events (the reminder pass is scheduled by migration 0001_initial)."""

from __future__ import annotations

from celery import shared_task

from outreach.events import services


@shared_task(name="outreach.events.reminders_dispatch", acks_late=True)
def reminders_dispatch() -> dict[str, int]:
    """Every minute (django-celery-beat): send or skip the due event and presentation
    reminders. Safe to run twice at once or to redeliver: each row is claimed with a
    conditional UPDATE, so a reminder is queued at most once."""
    return services.reminders_dispatch()
