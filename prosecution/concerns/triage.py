"""Reads of the staff side of neighborhood concerns: the triage queue, its keyset pages, the
counts on the landing page and the dashboard, and who a concern may be assigned to."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from jcr.accounts import roles
from jcr.accounts.models import User
from jcr.core.models import AreaAssignment
from prosecution.concerns import service_levels
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.concerns.permissions import concern_list_visible_to

PAGE_SIZE = 50
# Age buckets of the queue filter: key -> (younger than, at least) in days; None is open-ended.
AGE_BUCKETS: dict[str, tuple[int | None, int | None]] = {
    "day": (1, None),
    "week": (7, 1),
    "month": (30, 7),
    "older": (None, 30),
}
CPU_ROLES = (roles.COMMUNITY_PROSECUTOR, roles.CPU_SUPERVISOR)


def overdue_q(now: datetime | None = None) -> Q:
    """Open concerns past a deadline of their service level (prosecution.concerns.service_levels): not
    acknowledged by `acknowledge_by`, or not resolved by `resolve_by`. Written so that each
    half matches one of the two partial indexes of Concern.Meta (same status list, same
    IS NULL), which the database combines with a bitmap OR."""
    now = now or timezone.now()
    still_open = Q(status__in=Concern.OPEN_STATUSES)
    return still_open & (Q(acknowledged_at__isnull=True, acknowledge_by__lt=now) | Q(resolve_by__lt=now))


def concern_queue(*, user, filters: dict) -> QuerySet[Concern]:
    """The concerns `user` may see, narrowed by the cleaned filters of the queue form.

    Filters: area (an Area, or "none" for concerns placed in no area), category, status
    ("" open, "all", or a status), priority, age (a key of AGE_BUCKETS), assignee ("mine",
    "unassigned" or a User), overdue (bool), text_review (bool).
    """
    qs = concern_list_visible_to(user=user)
    now = timezone.now()
    area = filters.get("area")
    if area == "none":
        qs = qs.filter(areas__isnull=True)
    elif area is not None:
        qs = qs.filter(pk__in=Concern.areas.through.objects.filter(area=area).values("concern_id"))
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    status = filters.get("status") or ""
    if status == "":
        qs = qs.open()
    elif status != "all":
        qs = qs.filter(status=status)
    if filters.get("priority"):
        qs = qs.filter(priority=filters["priority"])
    if filters.get("age") in AGE_BUCKETS:
        younger, older = AGE_BUCKETS[filters["age"]]
        if younger is not None:
            qs = qs.filter(created_at__gt=now - timedelta(days=younger))
        if older is not None:
            qs = qs.filter(created_at__lte=now - timedelta(days=older))
    assignee = filters.get("assignee")
    if assignee == "mine":
        qs = qs.filter(assignee=user)
    elif assignee == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif assignee is not None:
        qs = qs.filter(assignee=assignee)
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(now))
    if filters.get("text_review"):
        qs = qs.filter(text_review_q())
    return qs


def text_review_q() -> Q:
    """Concerns whose text waits for staff before it can be public."""
    return Q(
        public_text_state=Concern.TextState.PENDING, category__text_publication=Category.TextPublication.AFTER_REVIEW
    )


# --- Keyset pages ----------------------------------------------------------------------------
def cursor_encode(concern: Concern) -> str:
    raw = f"{concern.created_at.isoformat()}|{concern.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(value: str) -> tuple[datetime, int] | None:
    """(created_at, id) from a cursor, or None for anything that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = datetime.fromisoformat(stamp)
        if timezone.is_naive(moment):
            return None
        return moment, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class Page:
    rows: list[Concern]
    next_cursor: str | None
    previous_cursor: str | None


def _older(created_at: datetime, pk: int) -> Q:
    # The plain `created_at__lte` bound lets the database walk the (created_at, id) index from
    # the cursor on instead of filtering the whole index with the OR that follows.
    return Q(created_at__lte=created_at) & (Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))


def _newer(created_at: datetime, pk: int) -> Q:
    return Q(created_at__gte=created_at) & (Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk))


def keyset_page(qs: QuerySet[Concern], *, oldest_first: bool = False, after: str = "", before: str = "") -> Page:
    """One page of PAGE_SIZE concerns in (created_at, id) order, newest first unless
    `oldest_first`. `after` continues past a row (the "next" link), `before` goes back from
    one ("previous"). No OFFSET: every page costs the same, the last one too."""
    forward = ("created_at", "pk") if oldest_first else ("-created_at", "-pk")
    backward = ("-created_at", "-pk") if oldest_first else ("created_at", "pk")
    past, toward = (_newer, _older) if oldest_first else (_older, _newer)
    after_key, before_key = cursor_decode(after) if after else None, cursor_decode(before) if before else None
    if before_key is not None:
        rows = list(qs.filter(toward(*before_key)).order_by(*backward)[: PAGE_SIZE + 1])
        more_before = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        return Page(
            rows=rows,
            next_cursor=cursor_encode(rows[-1]) if rows else None,
            previous_cursor=cursor_encode(rows[0]) if rows and more_before else None,
        )
    if after_key is not None:
        qs = qs.filter(past(*after_key))
    rows = list(qs.order_by(*forward)[: PAGE_SIZE + 1])
    more_after = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(
        rows=rows,
        next_cursor=cursor_encode(rows[-1]) if rows and more_after else None,
        previous_cursor=cursor_encode(rows[0]) if rows and after_key is not None else None,
    )


# --- Rows of the queue -----------------------------------------------------------------------
# The columns a queue row shows. Loading only these (not the description, the answers JSON or
# the contact details) and naming the areas from one query on the link table, instead of
# prefetching Area objects, keeps a page of 50 rows cheap at any size of the table.
QUEUE_FIELDS = (
    "public_id",
    "tracking_code",
    "status",
    "priority",
    "created_at",
    "acknowledged_at",
    "acknowledge_by",
    "resolve_by",
    "category",
    "assignee",
    "category__name",
    "category__name_es",
    "category__text_publication",
    "public_text_state",
    "address",
    "assignee__full_name",
    "assignee__email",
)


def queue_rows(concerns: list[Concern], *, now: datetime | None = None) -> list[dict]:
    """The rows of a queue page, ready to print: link, labels, area names, owner, received time
    and whether the concern is overdue. Worked out here rather than in the template, where
    each lookup costs several times more (the queue is the page staff load most)."""
    now = now or timezone.now()
    names: dict[int, list[str]] = {c.pk: [] for c in concerns}
    links = (
        Concern.areas.through.objects.filter(concern_id__in=names)
        .order_by("area__kind", "area__name")
        .values_list("concern_id", "area__name")
    )
    for concern_id, name in links:
        names[concern_id].append(name)
    status_labels, priority_labels = dict(Concern.Status.choices), dict(Concern.Priority.choices)
    rows = []
    for c in concerns:
        received = timezone.localtime(c.created_at)
        due = _next_deadline(c)
        rows.append(
            {
                "url": reverse("prosecution:staff_concern_detail", kwargs={"public_id": c.public_id}),
                "public_id": c.public_id,
                "tracking_code": c.tracking_code,
                "category": c.category.label,
                "status": status_labels[c.status],
                "priority": priority_labels[c.priority],
                "areas": ", ".join(names[c.pk]),
                "assignee": (c.assignee.full_name or c.assignee.email) if c.assignee else "",
                "received_iso": received.isoformat(),
                "received": formats.date_format(received, "SHORT_DATETIME_FORMAT"),
                "age_days": max((now - c.created_at).days, 0),
                "snippet": _snippet(getattr(c, "snippet", "")),
                "address": c.address,
                "due_iso": due.isoformat() if due else "",
                "due": formats.date_format(due, "SHORT_DATE_FORMAT") if due else "",
                "overdue": service_levels.is_overdue(c, now),
                "awaits_text_review": c.awaits_text_review,
            }
        )
    return rows


SNIPPET_CHARS = 120


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def _next_deadline(c: Concern) -> datetime | None:
    """Acknowledging while unacknowledged, then resolving; none once resolved or closed."""
    if not c.is_open:
        return None
    due = c.acknowledge_by if c.acknowledged_at is None and c.acknowledge_by else c.resolve_by
    return timezone.localtime(due) if due else None


# --- Counts and people -----------------------------------------------------------------------
STAFF_COUNTS_SECONDS = 60


def staff_counts(*, user) -> dict[str, int]:
    """Open concerns for `user`: theirs, unassigned ones they may see, overdue ones they may
    see, and (for supervisors) the ones placed in no area. Kept a minute in the cache: over a
    whole county's concerns the count is the costliest query of the staff pages, and the
    numbers on a landing page or dashboard may lag by a minute."""
    key = f"prosecution:staff_counts:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = _staff_counts(user=user)
        cache.set(key, counts, STAFF_COUNTS_SECONDS)
    return counts


def _staff_counts(*, user) -> dict[str, int]:
    sees_all = user.has_perm("prosecution.view_all_concerns")
    placed = Concern.areas.through.objects.filter(concern_id=OuterRef("pk"))
    aggregates = {
        "mine": Count("pk", filter=Q(assignee=user)),
        "unassigned": Count("pk", filter=Q(assignee__isnull=True)),
        "overdue": Count("pk", filter=overdue_q()),
    }
    qs = concern_list_visible_to(user=user).open().order_by()
    if sees_all:
        qs = qs.annotate(placed=Exists(placed))
        aggregates["unplaced"] = Count("pk", filter=Q(placed=False))
    counts = qs.aggregate(**aggregates)
    if not sees_all:
        counts["unplaced"] = None
    return counts


def assignable_staff(*, concern: Concern | None = None) -> QuerySet[User]:
    """Active CPU staff (community prosecutors and supervisors), those working one of the
    concern's areas first (annotated `in_area`)."""
    qs = User.objects.filter(is_active=True, is_staff=True, groups__name__in=CPU_ROLES).distinct()
    if concern is None:
        return qs.order_by("full_name", "email")
    works_here = AreaAssignment.objects.filter(
        user=OuterRef("pk"),
        role=AreaAssignment.Role.COMMUNITY_PROSECUTOR,
        area__in=concern.areas.values("pk"),
    )
    return qs.annotate(in_area=Exists(works_here)).order_by("-in_area", "full_name", "email")
