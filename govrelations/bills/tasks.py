"""Thin Celery tasks of Government Relations; each calls a service."""

from __future__ import annotations

import logging

from celery import shared_task

from jcr.core import work

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def hearing_reminder_send(*, reminder_id: int) -> str | None:
    """Send one hearing reminder. A second delivery is a no-op (the claim); the row's own
    retry schedule, driven by the minute dispatcher, replaces Celery retries."""
    from govrelations.services import hearing_reminder_send as send

    return send(reminder_id=reminder_id)


@shared_task(acks_late=True)
def bill_alert_send(*, alert_id: int) -> str | None:
    """Send one new-action alert (same guarantees as hearing_reminder_send)."""
    from govrelations.services import bill_alert_send as send

    return send(alert_id=alert_id)


@shared_task(acks_late=True)
def govrel_dispatch() -> dict[str, dict[str, int]]:
    """Every minute: skip reminders whose time passed long ago, then enqueue due reminders
    and alerts that were never handed to the broker or were lost."""
    from govrelations.models import BillAlert, HearingReminder
    from govrelations.services import hearing_reminders_skip_stale

    skipped = hearing_reminders_skip_stale()
    return {
        "reminders": work.dispatch_due(HearingReminder, hearing_reminder_send, id_kwarg="reminder_id")
        | {"skipped": skipped},
        "alerts": work.dispatch_due(BillAlert, bill_alert_send, id_kwarg="alert_id"),
    }


@shared_task(acks_late=True)
def openstates_sync_nightly() -> list[dict] | None:
    """Every night: import what changed at Open States for each active sync target. Without
    an API key it logs that and does nothing. Running it twice is harmless (idempotent)."""
    from govrelations.openstates import OpenStatesClient, OpenStatesNotConfigured
    from govrelations.sync import sync_targets_run

    try:
        client = OpenStatesClient(pause_seconds=1.0)
    except OpenStatesNotConfigured:
        log.warning("Open States sync skipped: OPENSTATES_API_KEY is not set")
        return None
    runs = sync_targets_run(client=client)
    return [
        {"run": r.pk, "status": r.status, "created": r.created, "updated": r.updated, "skipped": r.skipped}
        for r in runs
    ]


@shared_task(acks_late=True)
def weekly_digest_send() -> int:
    """Monday morning: queue the weekly digest of followed bills (once per subscriber a week)."""
    from govrelations.services import weekly_digest_send as send

    return send()
