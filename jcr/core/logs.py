"""Log lines that can be followed across processes: every line of the web and the worker
carries the request id (and, in the worker, the task's id and name).

The web's id comes from RequestContextMiddleware (jcr.core.context.current). A task handed to
the broker during a request carries that id in a message header (`before_task_publish`); the
worker puts it back in the context while the task runs (`task_prerun` / `task_postrun`), so
its lines, and the audit entries the task writes, name the request that caused them.
Signals are connected in jcr/celery.py.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.utils import timezone

from jcr.core.context import RequestContext, current

REQUEST_ID_HEADER = "jcr_request_id"
SENT_AT_HEADER = "jcr_sent_at"
# Tasks whose publish time is stamped into the message (the heartbeat proves beat sent it).
STAMPED_TASKS = frozenset({"jcr.core.heartbeat"})

task_current: ContextVar[tuple[str, str]] = ContextVar("jcr_task", default=("", ""))  # (id, name)
_tokens: dict[str, tuple] = {}

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(task_label)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s"


class RequestIdFilter(logging.Filter):
    """Adds request_id, task_id and task_name to every record (empty strings when none).
    Installed on the handler, so records propagated from any logger pass through it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get().request_id or "-"
        task_id, task_name = task_current.get()
        record.task_id = task_id
        record.task_name = task_name
        record.task_label = f" {task_name}[{task_id}]" if task_id else ""
        return True


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: one console handler, `json` (one object a line) or `plain`."""
    if fmt not in ("json", "plain"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"JCR_LOG_FORMAT must be json or plain, not {fmt!r}")
    from pythonjsonlogger.core import RESERVED_ATTRS

    formatters = {
        "plain": {"format": PLAIN_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # task_label only serves the plain format; taskName is Python 3.12's own (empty here).
            "reserved_attrs": [*RESERVED_ATTRS, "task_label", "taskName"],
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "jcr.core.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }


def header_of(request, name: str) -> str | None:
    """A custom message header as the worker sees it (Celery puts custom headers on the task
    request, and keeps them in `request.headers` too in some versions)."""
    value = getattr(request, name, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(name)
    return value if isinstance(value, str) else None


def on_before_task_publish(sender=None, headers=None, **kwargs) -> None:
    """In the publishing process: the current request id (and, for the heartbeat, the time)."""
    if headers is None:
        return
    request_id = current.get().request_id
    if request_id:
        headers.setdefault(REQUEST_ID_HEADER, request_id)
    if sender in STAMPED_TASKS:
        headers.setdefault(SENT_AT_HEADER, timezone.now().isoformat())


def on_task_prerun(task_id=None, task=None, **kwargs) -> None:
    """In the worker, before the task: its id and name, and the request id it was sent with.
    A task run eagerly inside a request keeps that request's context."""
    request_id = header_of(getattr(task, "request", None), REQUEST_ID_HEADER) if task is not None else None
    tokens = [task_current.set((task_id or "", getattr(task, "name", "") or ""))]
    if request_id:
        tokens.append(current.set(RequestContext(request_id=request_id)))
    _tokens[task_id or ""] = tuple(tokens)


def on_task_postrun(task_id=None, **kwargs) -> None:
    tokens = _tokens.pop(task_id or "", ())
    for token in reversed(tokens):
        try:
            token.var.reset(token)
        except ValueError:  # set in another context (a pool that switched threads)
            token.var.set(token.old_value if token.old_value is not token.MISSING else token.var.get())


def sent_at_of(request) -> datetime | None:
    """The publish time stamped on a message of STAMPED_TASKS, or None."""
    raw = header_of(request, SENT_AT_HEADER)
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
