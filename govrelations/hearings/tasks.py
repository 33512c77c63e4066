"""Thin Celery tasks of hearings; each calls a service. Names are pinned (`govrelations.hearings.<fn>`)."""

from __future__ import annotations

from celery import shared_task

from govrelations.hearings import services


@shared_task(name="govrelations.hearings.hearing_reminder_send", acks_late=True)
def hearing_reminder_send(*, reminder_id: int) -> str | None:
    """Send one hearing reminder. A second delivery is a no-op (the claim); the row's own
    retry schedule, driven by the minute dispatcher, replaces Celery retries."""
    return services.hearing_reminder_send(reminder_id=reminder_id)
