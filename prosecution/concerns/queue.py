"""Reads of the triage queue beyond its filters: the "what next" order (due date, overdue first,
then priority) with its keyset pages, the full-text search and each person's saved filters."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection
from django.db.models import Case, DateTimeField, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_queue import SavedQueueFilter
from prosecution.concerns.triage import PAGE_SIZE, Page

# The search matches these columns of the concern and the text of its internal notes, with the
# 'simple' configuration (no stemming: residents write in English and in Spanish, and tracking
# codes must match as written). Migration 0015 indexes exactly this expression (GIN).
SEARCH_CONFIG = "simple"
SEARCH_FIELDS = ("description", "address", "tracking_code")
SEARCH_MAX_LENGTH = 200
SNIPPET_LENGTH = 140
# Concerns with no deadline (closed ones) come after every dated one.
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)
PRIORITY_RANK = {Concern.Priority.HIGH: 0, Concern.Priority.NORMAL: 1, Concern.Priority.LOW: 2}
SORTS = ("due", "newest", "oldest")


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def search_q(text: str) -> Q:
    """Concerns whose description, address, tracking code or an internal note matches `text`.
    PostgreSQL: full-text search (websearch syntax: "quoted phrase", or, -word); elsewhere
    (SQLite for `make run`) every word must appear in one of them (icontains)."""
    text = " ".join(text.split())[:SEARCH_MAX_LENGTH]
    if not text:
        return Q()
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    if _postgres():
        # One UNION of three indexed reads (the two GIN indexes of migration 0015 and the
        # unique tracking code) rather than an OR, which would scan every concern.
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        vector = SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)
        note_vector = SearchVector("text", config=SEARCH_CONFIG)
        in_text = Concern.objects.filter(SearchVectorExact(vector, query)).order_by().values("pk")
        in_notes = (
            ConcernUpdate.objects.filter(SearchVectorExact(note_vector, query), kind=ConcernUpdate.Kind.INTERNAL_NOTE)
            .order_by()
            .values("concern_id")
        )
        by_code = Concern.objects.filter(tracking_code=code).order_by().values("pk")
        return Q(pk__in=in_text.union(in_notes, by_code, all=True))
    notes = ConcernUpdate.objects.filter(concern=OuterRef("pk"), kind=ConcernUpdate.Kind.INTERNAL_NOTE)
    condition = Q()
    for word in text.split():
        condition &= Q(*[Q(**{f"{f}__icontains": word}) for f in SEARCH_FIELDS], _connector=Q.OR) | Q(
            Exists(notes.filter(text__icontains=word))
        )
    return condition | Q(tracking_code=code)


# --- The "what next" order: due date (overdue first), then priority, then id -----------------
def due_expression():
    """The next deadline of a concern: acknowledging while unacknowledged, then resolving;
    none (NO_DUE) once it is resolved or closed."""
    return Coalesce(
        Case(
            When(status__in=Concern.CLOSED_STATUSES, then=Value(None)),
            When(acknowledged_at__isnull=True, acknowledge_by__isnull=False, then="acknowledge_by"),
            default="resolve_by",
            output_field=DateTimeField(),
        ),
        Value(NO_DUE),
        output_field=DateTimeField(),
    )


def priority_rank_expression():
    return Case(
        *[When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()],
        default=Value(len(PRIORITY_RANK)),
        output_field=IntegerField(),
    )


def with_queue_columns(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    """The computed columns of a queue row: next deadline, priority rank, description snippet."""
    return qs.annotate(
        due_at=due_expression(),
        priority_rank=priority_rank_expression(),
        snippet=Substr("description", 1, SNIPPET_LENGTH + 1),
    )


def due_cursor_encode(concern: Concern) -> str:
    raw = f"{concern.due_at.isoformat()}|{concern.priority_rank}|{concern.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def due_cursor_decode(value: str) -> tuple[datetime, int, int] | None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        stamp, rank, pk = raw.split("|")
        moment = datetime.fromisoformat(stamp)
        if timezone.is_naive(moment):
            return None
        return moment, int(rank), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def _past(due: datetime, rank: int, pk: int) -> Q:
    return Q(due_at__gte=due) & (
        Q(due_at__gt=due) | Q(due_at=due, priority_rank__gt=rank) | Q(due_at=due, priority_rank=rank, pk__gt=pk)
    )


def _before(due: datetime, rank: int, pk: int) -> Q:
    return Q(due_at__lte=due) & (
        Q(due_at__lt=due) | Q(due_at=due, priority_rank__lt=rank) | Q(due_at=due, priority_rank=rank, pk__lt=pk)
    )


def due_page(qs: QuerySet[Concern], *, after: str = "", before: str = "") -> Page:
    """One page of PAGE_SIZE concerns in "what next" order (`qs` from with_queue_columns):
    the earliest deadline first (so the overdue ones lead), then high priority before normal
    before low, then the oldest id. Keyset pages like triage.keyset_page: no OFFSET."""
    forward, backward = ("due_at", "priority_rank", "pk"), ("-due_at", "-priority_rank", "-pk")
    before_key = due_cursor_decode(before) if before else None
    after_key = due_cursor_decode(after) if after else None
    if before_key is not None:
        rows = list(qs.filter(_before(*before_key)).order_by(*backward)[: PAGE_SIZE + 1])
        more_before = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        return Page(
            rows=rows,
            next_cursor=due_cursor_encode(rows[-1]) if rows else None,
            previous_cursor=due_cursor_encode(rows[0]) if rows and more_before else None,
        )
    if after_key is not None:
        qs = qs.filter(_past(*after_key))
    rows = list(qs.order_by(*forward)[: PAGE_SIZE + 1])
    more_after = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(
        rows=rows,
        next_cursor=due_cursor_encode(rows[-1]) if rows and more_after else None,
        previous_cursor=due_cursor_encode(rows[0]) if rows and after_key is not None else None,
    )


# --- Saved filters ---------------------------------------------------------------------------
# Query parameters that are filters (the page cursors and the form's buttons are not).
FILTER_PARAMS = ("q", "area", "category", "status", "priority", "age", "assignee", "overdue", "text_review", "sort")


def filter_params(data) -> dict[str, str]:
    """The filter parameters of a query string (or a POST of the same names), non-empty only."""
    return {key: str(data.get(key)) for key in FILTER_PARAMS if data.get(key)}


def saved_filters_for(*, user) -> dict[str, str] | None:
    """The filters `user` saved, or None."""
    row = SavedQueueFilter.objects.filter(user=user).only("params").first()
    if row is None or not isinstance(row.params, dict):
        return None
    return {k: str(v) for k, v in row.params.items() if k in FILTER_PARAMS and v}
