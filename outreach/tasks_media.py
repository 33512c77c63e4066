"""Thin Celery tasks of the newsletter (the sweep is scheduled by migration 0007_newsletter_sending)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def newsletter_issue_deliver(*, issue_id: int) -> int | None:
    """Queue the messages of an issue marked as sending. Safe to deliver twice: the issue is
    locked and a sent issue is skipped."""
    from outreach.services_media import newsletter_issue_deliver as deliver

    return deliver(issue_id=issue_id)


@shared_task(acks_late=True)
def newsletter_issues_sweep() -> int:
    """Every 5 minutes: deliver issues marked as sending that no worker took (broker down)."""
    from outreach.services_media import newsletter_issues_sweep as sweep

    return sweep()
