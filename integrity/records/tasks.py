"""Thin Celery tasks of the confidential records."""

from __future__ import annotations

from celery import shared_task

from integrity.records import services, services_retention


@shared_task(name="integrity.records.record_deadline_reminders_send", acks_late=True)
def record_deadline_reminders_send() -> int:
    """Hourly (beat): reminders of confidential-record deadlines that are due. Redelivery is
    harmless: each reminder is claimed by a conditional UPDATE."""
    return services.record_deadline_reminders_send()


@shared_task(name="integrity.records.disposition_run_create", acks_late=True)
def disposition_run_create() -> int:
    """Monthly (beat, the 1st): list the records due for disposition for a records officer to
    approve. Redelivery is harmless: one run a month (a unique month)."""
    run = services_retention.disposition_run_create()
    return run.items.count() if run else 0
