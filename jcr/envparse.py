"""Strict parsing of the settings' environment variables: a typo is an error at start-up, never a
silently different value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Parse a boolean strictly: a typo is an error, not a silent False."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    path = env.str(f"{name}_FILE", default=None)
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return env.str(name, default=default)


def parse_holidays(raw: str) -> frozenset[date]:
    days = set()
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            days.add(date.fromisoformat(item))
        except ValueError as exc:
            raise ImproperlyConfigured(f"JCR_HOLIDAYS: {item!r} is not an ISO date (YYYY-MM-DD)") from exc
    return frozenset(days)


# Seconds a PostgreSQL connection is kept for the next request when JCR_DB_CONN_MAX_AGE is unset.
DEFAULT_CONN_MAX_AGE = 60


def database_from_env(default_url: str) -> dict:
    """The default database from DATABASE_URL, with the portal's connection handling.

    Every request runs in a transaction (ATOMIC_REQUESTS), so every request uses a connection:
    PostgreSQL connections are kept JCR_DB_CONN_MAX_AGE seconds (default 60; 0 opens one per
    request, which costs more than the rest of a simple request) and checked before a request
    reuses one (CONN_HEALTH_CHECKS), so one the server dropped is replaced, not failed on.
    SQLite (`make run`) keeps 0 unless told. JCR_PGBOUNCER=true (PgBouncer in transaction
    mode) turns off server-side cursors, which do not survive a transaction boundary there.
    """
    database = env.db_url("DATABASE_URL", default=default_url)
    sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    database["ATOMIC_REQUESTS"] = True
    database["CONN_MAX_AGE"] = envint("JCR_DB_CONN_MAX_AGE", 0 if sqlite else DEFAULT_CONN_MAX_AGE)
    database["CONN_HEALTH_CHECKS"] = True
    if envbool("JCR_PGBOUNCER", False):
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    if sqlite:
        database["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return database
