"""Thin Celery tasks of the confidential records."""

from __future__ import annotations

from celery import shared_task

from integrity.records import services


@shared_task(name="integrity.records.record_deadline_reminders_send", acks_late=True)
def record_deadline_reminders_send() -> int:
    """Hourly (beat): reminders of confidential-record deadlines that are due. Redelivery is
    harmless: each reminder is claimed by a conditional UPDATE."""
    return services.record_deadline_reminders_send()
