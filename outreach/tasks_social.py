"""Thin Celery tasks of social publishing (the logic is in outreach/services_social.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def social_delivery_publish(*, delivery_id: int) -> str | None:
    """Publish one delivery. Redelivery is a no-op (the claim); transient errors are retried
    by the dispatcher from `next_attempt_at`, not by the broker."""
    from outreach.services_social import delivery_publish

    return delivery_publish(delivery_id=delivery_id)


@shared_task(acks_late=True)
def social_deliveries_dispatch() -> dict[str, int]:
    """Every minute: enqueue the due deliveries (none while publishing is paused)."""
    from outreach.services_social import deliveries_dispatch

    return deliveries_dispatch()


@shared_task(acks_late=True)
def social_deliveries_sweep_stuck() -> int:
    """Every 5 minutes: deliveries stuck in publishing go to the "check on the platform" queue."""
    from outreach.services_social import deliveries_sweep_stuck

    return deliveries_sweep_stuck()


@shared_task(acks_late=True)
def social_tokens_check() -> int:
    """Every 6 hours: tell outreach staff about channel tokens that expire soon."""
    from outreach.services_social import tokens_check

    return tokens_check()


@shared_task(acks_late=True)
def social_occurrences_create() -> dict[str, int]:
    """Every 5 minutes: the next occurrence of each repeating post that has fallen due (none
    while publishing is paused)."""
    from outreach.services_social import occurrences_create

    return occurrences_create()
