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
