"""Per-request facts (request id, client IP, user) that the audit helper records.

Set by RequestContextMiddleware; empty in workers and management commands.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user_id: int | None = None
    user_label: str = ""


current: ContextVar[RequestContext] = ContextVar("jcr_request_context", default=RequestContext())  # noqa: B039 - frozen dataclass
