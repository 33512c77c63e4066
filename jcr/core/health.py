"""What the health endpoints and the administrators' dashboard report.

Liveness: the process answers (no dependency). Readiness: the database, the cache and the
broker answer, and the worker and beat have shown a heartbeat within
JCR_HEARTBEAT_MAX_AGE_SECONDS (the minute task `jcr.core.heartbeat`, see heartbeat_record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Value
from django.utils import timezone

from jcr.core.models import Heartbeat

HEARTBEAT_TASK = "jcr.core.heartbeat"
WORKER, BEAT = "worker", "beat"


class Stale(Exception):
    """A heartbeat that is missing or too old."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.set("jcr:healthz", "1", 10)
    if cache.get("jcr:healthz") != "1":
        raise RuntimeError("cache did not return the value")


def check_broker() -> None:
    from celery import current_app  # the portal's app (jcr.celery), without importing it here

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def last_seen() -> dict[str, datetime | None]:
    """The newest heartbeat of the worker and of beat, in one query. Beat's is also read from
    its own schedule row (last_run_at, saved every few minutes), so a stopped worker does not
    hide a running beat."""
    from django_celery_beat.models import PeriodicTask

    rows = Heartbeat.objects.filter(name__in=(WORKER, BEAT)).values_list("name", "at")
    scheduled = (
        PeriodicTask.objects.filter(task=HEARTBEAT_TASK, last_run_at__isnull=False)
        .annotate(process=Value(BEAT, output_field=CharField()))
        .values_list("process", "last_run_at")
    )
    seen: dict[str, datetime | None] = {WORKER: None, BEAT: None}
    for name, at in rows.union(scheduled, all=True):
        if seen[name] is None or at > seen[name]:
            seen[name] = at
    return seen


def _fresh(at: datetime | None) -> None:
    if at is None:
        raise Stale("never seen")
    age = (timezone.now() - at).total_seconds()
    if age > settings.JCR_HEARTBEAT_MAX_AGE_SECONDS:
        raise Stale(f"last seen {int(age)} s ago")


def heartbeat_checks(seen: dict[str, datetime | None]) -> dict[str, Callable[[], None]]:
    """Each check raises Stale with the age when the heartbeat is missing or too old."""
    return {WORKER: lambda: _fresh(seen[WORKER]), BEAT: lambda: _fresh(seen[BEAT])}


def run_checks(checks: dict[str, Callable[[], None]]) -> tuple[bool, dict[str, dict]]:
    """(all up, {name: {"up": bool, "detail": "ok" | the error's kind or a Stale message}})."""
    results = {}
    for name, fn in checks.items():
        try:
            fn()
        except Stale as exc:
            results[name] = {"up": False, "detail": str(exc)}
        except Exception as exc:
            results[name] = {"up": False, "detail": type(exc).__name__}
        else:
            results[name] = {"up": True, "detail": "ok"}
    return all(r["up"] for r in results.values()), results


def read_heartbeats() -> tuple[dict[str, datetime | None], dict[str, Callable[[], None]]]:
    """(last seen, the heartbeat checks); two failing checks when the database cannot be read."""
    try:
        seen = last_seen()
    except Exception as exc:
        reason = f"unreadable ({type(exc).__name__})"

        def down() -> None:
            raise Stale(reason)

        return {}, {WORKER: down, BEAT: down}
    return seen, heartbeat_checks(seen)


def heartbeats_or_down() -> dict[str, Callable[[], None]]:
    return read_heartbeats()[1]


def readiness() -> tuple[bool, dict[str, dict]]:
    checks = {"database": check_database, "cache": check_cache, "broker": check_broker}
    return run_checks(checks | heartbeats_or_down())


def heartbeat_record(*, sent_at: datetime | None) -> None:
    """The worker runs the heartbeat task now; beat sent it at `sent_at` (when stamped)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"at": now})
    if sent_at is not None and now - timedelta(days=1) < sent_at <= now + timedelta(minutes=1):
        Heartbeat.objects.update_or_create(name=BEAT, defaults={"at": sent_at})
