"""Thin Celery tasks of bills; each calls a service. Names are pinned (`govrelations.bills.<fn>`)."""

from __future__ import annotations

import logging

from celery import shared_task

from govrelations.bills import services
from govrelations.bills.models import BillAlert
from govrelations.bills.openstates import OpenStatesClient, OpenStatesNotConfigured
from govrelations.bills.sync import SyncBusy, sync_runs_sweep, sync_targets_run
from govrelations.hearings.models import HearingReminder
from govrelations.hearings.services import hearing_reminders_skip_stale
from jcr.core import work

log = logging.getLogger(__name__)


@shared_task(name="govrelations.bills.bill_alert_send", acks_late=True)
def bill_alert_send(*, alert_id: int) -> str | None:
    """Send one new-action alert. A second delivery is a no-op (the claim); the row's own
    retry schedule, driven by the minute dispatcher, replaces Celery retries."""
    return services.bill_alert_send(alert_id=alert_id)


@shared_task(name="govrelations.bills.govrel_dispatch", acks_late=True)
def govrel_dispatch() -> dict[str, dict[str, int]]:
    """Every minute: skip reminders whose time passed long ago, then enqueue due reminders
    and alerts that were never handed to the broker or were lost."""
    skipped = hearing_reminders_skip_stale()
    swept = sync_runs_sweep()
    if swept:
        log.warning("Open States: %d sync run(s) past the time limit marked failed", swept)
    return {
        "reminders": work.dispatch_due(
            HearingReminder, "govrelations.hearings.hearing_reminder_send", id_kwarg="reminder_id"
        )
        | {"skipped": skipped},
        "alerts": work.dispatch_due(BillAlert, "govrelations.bills.bill_alert_send", id_kwarg="alert_id"),
    }


@shared_task(name="govrelations.bills.openstates_sync_nightly", acks_late=True)
def openstates_sync_nightly() -> list[dict] | None:
    """Every night: import what changed at Open States for each active sync target. Without
    an API key it logs that and does nothing; while another sync runs it does nothing either.
    Running it twice is harmless (idempotent)."""
    try:
        client = OpenStatesClient()
    except OpenStatesNotConfigured:
        log.warning("Open States sync skipped: OPENSTATES_API_KEY is not set")
        return None
    try:
        runs = sync_targets_run(client=client)
    except SyncBusy:
        log.warning("Open States sync skipped: another sync is running")
        return None
    return [
        {"run": r.pk, "status": r.status, "created": r.created, "updated": r.updated, "skipped": r.skipped}
        for r in runs
    ]


@shared_task(name="govrelations.bills.weekly_digest_send", acks_late=True)
def weekly_digest_send() -> int:
    """Monday morning: queue the weekly digest of followed bills (once per subscriber a week)."""
    return services.weekly_digest_send()
