"""Thin Celery tasks of public records requests."""

from __future__ import annotations

from celery import shared_task

from integrity.publicrecords import services


@shared_task(name="integrity.publicrecords.reminders_send", acks_late=True)
def reminders_send() -> int:
    """Hourly (beat): reminders of determination due dates that are due. Redelivery is
    harmless: each reminder is claimed by a conditional UPDATE."""
    return services.reminders_send()
