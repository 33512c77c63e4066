"""Thin Celery tasks of the newsletter (the sweep is scheduled by migration 0007_newsletter_sending).
Names are pinned: beat rows and `jcr.core.work.task_named` find them by name."""

from __future__ import annotations

from celery import shared_task

from outreach.media import services


@shared_task(name="outreach.media.newsletter_issue_deliver", acks_late=True)
def newsletter_issue_deliver(*, issue_id: int) -> int | None:
    """Queue the messages of an issue marked as sending. Safe to deliver twice: the issue is
    locked and a sent issue is skipped."""
    return services.newsletter_issue_deliver(issue_id=issue_id)


@shared_task(name="outreach.media.newsletter_issues_sweep", acks_late=True)
def newsletter_issues_sweep() -> int:
    """Every 5 minutes: deliver issues marked as sending that no worker took (broker down)."""
    return services.newsletter_issues_sweep()
