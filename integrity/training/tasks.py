"""Thin Celery tasks of training and MCLE (scheduled by migration 0001_initial)."""

from __future__ import annotations

from celery import shared_task

from integrity.training import services


@shared_task(name="integrity.training.mcle_reminders_send", acks_late=True)
def mcle_reminders_send() -> int:
    """Daily: reminders 90, 30 and 7 days before a group's deadline to deputies short of hours.
    Safe to run twice, or to be redelivered: each reminder row is unique per deputy, period and
    threshold, and is created and sent in one transaction."""
    return services.mcle_reminders_send()
