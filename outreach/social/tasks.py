"""Thin Celery tasks of social publishing (the logic is in the services_* modules beside this
one). Names are pinned: beat rows and `jcr.core.work.task_named` find them by name."""

from __future__ import annotations

from celery import shared_task

from outreach.social import services_delivery, services_recurring


@shared_task(name="outreach.social.delivery_publish", acks_late=True, ignore_result=True)
def delivery_publish(*, delivery_id: int) -> str | None:
    """Publish one delivery. Redelivery is a no-op (the claim); transient errors are retried
    by the dispatcher from `next_attempt_at`, not by the broker."""
    return services_delivery.delivery_publish(delivery_id=delivery_id)


@shared_task(name="outreach.social.deliveries_dispatch", acks_late=True)
def deliveries_dispatch() -> dict[str, int]:
    """Every minute: enqueue the due deliveries (none while publishing is paused)."""
    return services_delivery.deliveries_dispatch()


@shared_task(name="outreach.social.deliveries_sweep_stuck", acks_late=True)
def deliveries_sweep_stuck() -> int:
    """Every 5 minutes: deliveries stuck in publishing go to the "check on the platform" queue."""
    return services_delivery.deliveries_sweep_stuck()


@shared_task(name="outreach.social.tokens_check", acks_late=True)
def tokens_check() -> int:
    """Every 6 hours: tell outreach staff about channel tokens that expire soon."""
    return services_delivery.tokens_check()


@shared_task(name="outreach.social.occurrences_create", acks_late=True)
def occurrences_create() -> dict[str, int]:
    """Every 5 minutes: the next occurrence of each repeating post that has fallen due (none
    while publishing is paused)."""
    return services_recurring.occurrences_create()
