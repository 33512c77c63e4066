"""Error reports to Sentry, only when SENTRY_DSN is set, and never with a resident's data.

The SDK is told to send no personal data, no request bodies and no local variables; every
event then passes `scrub_event`, which keeps only what is needed to find the bug: the method
and path (no query string), a short list of harmless headers, the user's id, the stack
(file, function, line) and messages with e-mail addresses masked.
"""

from __future__ import annotations

import re
from typing import Any

from jcr.core.context import current

# Headers that say nothing about who the person is or what they sent.
SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "content-length",
        "content-type",
        "host",
        "user-agent",
        "x-request-id",
    }
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FRAME_KEEP = ("filename", "abs_path", "function", "module", "lineno", "colno", "in_app", "context_line")
_BREADCRUMB_KEEP = ("type", "category", "level", "timestamp", "message")
MASK = "[email]"


def _mask(text: Any) -> Any:
    return _EMAIL.sub(MASK, text) if isinstance(text, str) else text


def _scrub_request(request: dict) -> dict:
    url = str(request.get("url") or "").split("?", 1)[0].split("#", 1)[0]
    headers = request.get("headers") or {}
    if isinstance(headers, list):  # [[name, value], ...]
        headers = dict(pair for pair in headers if isinstance(pair, (list, tuple)) and len(pair) == 2)
    return {
        "method": request.get("method"),
        "url": url,
        "headers": {k: v for k, v in headers.items() if str(k).lower() in SAFE_HEADERS},
    }


def _scrub_stack(holder: dict) -> None:
    stack = holder.get("stacktrace")
    if not isinstance(stack, dict):
        return
    stack["frames"] = [{k: f[k] for k in _FRAME_KEEP if k in f} for f in stack.get("frames") or []]


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """`before_send` (and `before_send_transaction`): the event without anything a resident
    or a confidential record put in it, tagged with the request id."""
    if "request" in event:
        event["request"] = _scrub_request(event.get("request") or {})
    user = event.get("user")
    event["user"] = {"id": user["id"]} if isinstance(user, dict) and user.get("id") else {}
    for key in ("extra", "server_name"):
        event.pop(key, None)
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            _scrub_stack(value)
            if "value" in value:
                value["value"] = _mask(value["value"])
    if isinstance(event.get("logentry"), dict):
        event["logentry"] = {"message": _mask(event["logentry"].get("message"))}
    if "message" in event:
        event["message"] = _mask(event["message"])
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict):
        crumbs["values"] = [{k: _mask(c[k]) for k in _BREADCRUMB_KEEP if k in c} for c in crumbs.get("values") or []]
    for span in event.get("spans") or []:
        span.pop("data", None)
    request_id = current.get().request_id
    if request_id:  # the same id as the log lines of the request (or the task it caused)
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_configure(*, dsn: str, environment: str, release: str, traces_sample_rate: float, init=None) -> bool:
    """Start the SDK when `dsn` is set; returns whether it did."""
    if not dsn:
        return False
    if init is None:
        import sentry_sdk

        init = sentry_sdk.init
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
    return True
