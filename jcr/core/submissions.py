"""A resident's own submissions across the units ("My submissions"), without the platform
importing any unit: each unit's `api.my_submissions(emails)` returns its sections, and
settings.JCR_MY_SUBMISSIONS lists those functions by dotted path (loaded on first use).

A section is a list of rows: what the resident sent, its status and where to see it or act on
it (withdraw, unfollow, cancel, unsubscribe) on the unit's existing pages. Confidential
records give their receipt number and status only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

# At most this many rows per section (the newest first).
SECTION_MAX_ROWS = 50


@dataclass(frozen=True)
class Row:
    label: str
    status: str
    url: str = ""
    action_label: str = ""
    action_url: str = ""
    when: object = None  # a date or datetime, shown as a date


@dataclass(frozen=True)
class Section:
    key: str  # stable, for anchors and tests: "prosecution.concerns"
    title: str
    rows: list[Row] = field(default_factory=list)


@lru_cache(maxsize=1)
def _providers() -> tuple[Callable[[list[str]], list[Section]], ...]:
    return tuple(import_string(path) for path in settings.JCR_MY_SUBMISSIONS)


def email_q(fields: Iterable[str], emails: Iterable[str]) -> Q:
    """Rows whose address in any of `fields` is one of `emails` (case-insensitive)."""
    query = Q(pk__in=[])
    for name in fields:
        for email in emails:
            query |= Q(**{f"{name}__iexact": email})
    return query


def my_submissions(*, emails: Iterable[str]) -> list[Section]:
    """The non-empty sections of every unit for these (verified) addresses, in setting order."""
    emails = sorted({e.strip().lower() for e in emails if e and e.strip()})
    if not emails:
        return []
    sections: list[Section] = []
    for provider in _providers():
        sections.extend(section for section in provider(emails) if section.rows)
    return sections
