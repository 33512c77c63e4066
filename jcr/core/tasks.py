"""Thin Celery tasks of the shared platform; each calls a service."""

from __future__ import annotations

from celery import shared_task

from jcr.core import services, work
from jcr.core.models import OutboundEmail


@shared_task(name="jcr.core.outbound_email_send", acks_late=True)
def outbound_email_send(*, email_id: int) -> str | None:
    """Send one e-mail row. Safe to deliver twice: the claim makes the second a no-op.
    Retries are the row's own schedule (the sweep re-enqueues), not Celery retries."""
    return services.outbound_email_send(email_id=email_id)


@shared_task(name="jcr.core.outbound_email_dispatch", acks_late=True)
def outbound_email_dispatch() -> dict[str, int]:
    """Every minute: enqueue due e-mails that were never handed to the broker or were lost."""
    return work.dispatch_due(OutboundEmail, "jcr.core.outbound_email_send", id_kwarg="email_id")


@shared_task(name="jcr.core.ping", acks_late=True)
def ping() -> str:
    """A real task for health checks and the embedded-default smoke test."""
    return "pong"


@shared_task(name="jcr.core.heartbeat", bind=True, acks_late=True)
def heartbeat(self) -> None:
    """Every minute from beat: the worker and beat are alive (read by /healthz/ready)."""
    from jcr.core import health, logs

    health.heartbeat_record(sent_at=logs.sent_at_of(self.request))
