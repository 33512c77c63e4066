"""Thin Celery tasks of the shared platform; each calls a service."""

from __future__ import annotations

from celery import shared_task

from jcr.core import work
from jcr.core.models import OutboundEmail


@shared_task(acks_late=True)
def outbound_email_send(*, email_id: int) -> str | None:
    """Send one e-mail row. Safe to deliver twice: the claim makes the second a no-op.
    Retries are the row's own schedule (the sweep re-enqueues), not Celery retries."""
    from jcr.core.services import outbound_email_send as send

    return send(email_id=email_id)


@shared_task(acks_late=True)
def outbound_email_dispatch() -> dict[str, int]:
    """Every minute: enqueue due e-mails that were never handed to the broker or were lost."""
    return work.dispatch_due(OutboundEmail, outbound_email_send, id_kwarg="email_id")


@shared_task(acks_late=True)
def ping() -> str:
    """A real task for health checks and the embedded-default smoke test."""
    return "pong"
