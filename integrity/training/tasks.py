"""Thin Celery tasks of training and MCLE (the daily pass is scheduled by migration 0001_initial)."""

from __future__ import annotations

from celery import shared_task

from integrity.training import services_mcle


@shared_task(name="integrity.training.mcle_reminders_send", acks_late=True)
def mcle_reminders_send() -> dict[str, int]:
    """Daily: plan the reminders 90, 30 and 7 days before a group's deadline (attorneys short of
    a requirement; at 30 and 7 days a summary to the coordinators), then hand the due rows to
    `mcle_reminder_send` through the work dispatcher, which also puts back rows a worker left
    in flight. Safe to run twice: each row is unique per person, period, threshold and kind."""
    planned = services_mcle.mcle_reminders_plan()
    return {"planned": planned, **services_mcle.mcle_reminders_dispatch()}


@shared_task(name="integrity.training.mcle_reminder_send", acks_late=True)
def mcle_reminder_send(*, reminder_id: int) -> str | None:
    """Send one planned reminder. A second delivery is a no-op (the claim)."""
    return services_mcle.mcle_reminder_send(reminder_id=reminder_id)
