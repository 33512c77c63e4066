"""Reads of bills, for the bills' staff pages (with their positions and hearings), the digest
and the public pages. Staff reads serve everyone in the unit (bills are not scoped to
people); public reads show only bills with an approved position, and never the memo,
comments or proposals."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govrelations.bills.models import (
    Bill,
    BillAction,
    BillFollow,
    DigestSubscription,
    ImplementationTask,
    LegislativeSession,
    SyncRun,
)
from govrelations.bills.openstates import budget_left_today
from govrelations.hearings.models import Hearing
from govrelations.hearings.selectors import hearing_list_upcoming
from govrelations.positions.models import Position, PositionEvent, PositionLetter
from govrelations.positions.selectors import position_list_published
from jcr.accounts import roles

_IDENTIFIER = re.compile(r"^\s*([A-Za-z]{1,4})\s*-?\s*(\d{1,5})\s*$")


def identifier_normalize(text: str) -> str | None:
    """ "ab1234", "AB-1234" and "AB 1234" all mean "AB 1234"; None when `text` is not one."""
    match = _IDENTIFIER.match(text)
    return f"{match.group(1).upper()} {match.group(2)}" if match else None


def identifier_sort_key(identifier: str) -> tuple[str, int, str]:
    """AB 99 before AB 100 (natural order of bill numbers)."""
    prefix, _sep, number = identifier.partition(" ")
    return (prefix, int(number), "") if number.isdigit() else (prefix, 0, identifier)


def action_key(action) -> str:
    """A stable name for an action across imports (they are replaced, so their pks change)."""
    if isinstance(action, dict):
        raw = f"{action['date']}|{action['description']}|{action.get('organization', '')}"
    else:
        raw = f"{action.date}|{action.description}|{action.organization}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def digest_is_noise(classification: list[str]) -> bool:
    """An action is noise when every one of its classifications is in JCR_GOVREL_DIGEST_SKIP."""
    skip = set(settings.JCR_GOVREL_DIGEST_SKIP)
    return bool(classification) and set(classification) <= skip


def _approved_stance():
    return Subquery(Position.objects.filter(bill=OuterRef("pk"), status=Position.Status.APPROVED).values("stance")[:1])


def bill_list_for_staff(*, filters: dict, user) -> QuerySet[Bill]:
    """Bills for the staff list with their approved stance and whether a proposal waits."""
    qs = (
        Bill.objects.select_related("session", "analyst")
        .prefetch_related("subjects")
        .annotate(
            approved_stance=_approved_stance(),
            pending=Exists(Position.objects.filter(bill=OuterRef("pk"), status=Position.Status.PROPOSED)),
        )
    )
    if q := (filters.get("q") or "").strip():
        identifier = identifier_normalize(q)
        qs = qs.filter(Q(identifier=identifier) if identifier else Q(title__icontains=q) | Q(identifier__icontains=q))
    if filters.get("session"):
        qs = qs.filter(session=filters["session"])
    if filters.get("subject"):
        qs = qs.filter(subjects=filters["subject"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("priority"):
        qs = qs.filter(priority=filters["priority"])
    if filters.get("watched"):
        qs = qs.filter(is_watched=True)
    analyst = filters.get("analyst")
    if analyst == "mine":
        qs = qs.filter(analyst=user)
    elif analyst == "none":
        qs = qs.filter(analyst__isnull=True)
    elif analyst:
        qs = qs.filter(analyst__public_id=analyst)
    position = filters.get("position")
    if position == "pending":
        qs = qs.filter(pending=True)
    elif position == "none":
        qs = qs.filter(approved_stance__isnull=True)
    elif position:
        qs = qs.filter(approved_stance=position)
    return qs.order_by("-latest_action_date", "-id")


def analyst_list() -> QuerySet:
    """The people bills can be assigned to: the unit's analysts and supervisors."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=[roles.GR_ANALYST, roles.GR_SUPERVISOR])
        .distinct()
        .order_by("full_name", "email")
    )


def bill_get_for_staff(*, public_id) -> Bill:
    """Any bill, for unit staff (the unit's bills are not divided among people)."""
    return get_object_or_404(Bill.objects.select_related("session__jurisdiction", "analyst"), public_id=public_id)


def bill_overview(*, bill: Bill, user) -> dict:
    """The overview tab: abstracts, sponsors, subjects, hearings, tasks, following."""
    bill = (
        Bill.objects.select_related("session__jurisdiction", "analyst")
        .prefetch_related(
            "subjects",
            "abstracts",
            "sponsorships",
            Prefetch("tasks", queryset=ImplementationTask.objects.select_related("owner")),
        )
        .annotate(
            approved_stance=_approved_stance(),
            is_followed=Exists(BillFollow.objects.filter(bill=OuterRef("pk"), user=user)),
        )
        .get(pk=bill.pk)
    )
    return {
        "bill": bill,
        "hearings": list(bill.hearings.order_by("starts_at")),
        "tasks": list(bill.tasks.all()),
    }


def bill_analysis(*, bill: Bill) -> dict:
    """The analysis tab: memo, comments, positions with their history and letters."""
    positions = list(
        bill.positions.select_related("proposed_by", "decided_by").prefetch_related(
            Prefetch("events", queryset=PositionEvent.objects.select_related("actor")),
            Prefetch("letters", queryset=PositionLetter.objects.order_by("-created_at")),
        )
    )
    return {
        "positions": positions,
        "pending": next((p for p in positions if p.status == Position.Status.PROPOSED), None),
        "approved": next((p for p in positions if p.status == Position.Status.APPROVED), None),
        "comments": list(bill.comments.select_related("author")),
    }


def bill_record(*, bill: Bill) -> dict:
    """The legislative record tab: actions, versions, documents, votes, related bills."""
    documents = list(bill.documents.all())
    return {
        "actions": list(bill.actions.all()),
        "versions": [d for d in documents if d.kind == "version"],
        "documents": [d for d in documents if d.kind == "document"],
        "votes": list(bill.votes.all()),
        "related": list(bill.related_bills.select_related("related__session")),
    }


def staff_landing_context(*, user) -> dict:
    if not user.has_perm("accounts.access_govrelations"):
        return {}
    counts = Bill.objects.aggregate(
        watched=Count("pk", filter=Q(is_watched=True)),
        mine=Count("pk", filter=Q(analyst=user)),
    )
    awaiting = list(
        Position.objects.filter(status=Position.Status.PROPOSED)
        .select_related("bill__session", "proposed_by")
        .order_by("created_at")[:20]
    )
    return {
        "counts": counts,
        "awaiting": awaiting,
        "can_approve": user.has_perm("govrelations.approve_position"),
        "hearings": hearing_list_upcoming(days=14)[:10],
        "digest_active": DigestSubscription.objects.filter(user=user, is_active=True).exists(),
    }


def digest_entries_for(*, user, since: datetime, until: datetime) -> dict:
    """What the weekly digest tells `user`: new actions on followed bills (noise left out)
    and the coming week's hearings of followed bills."""
    followed = Bill.objects.filter(follows__user=user)
    actions = (
        BillAction.objects.filter(bill__in=followed, date__gte=since.date(), date__lte=until.date())
        .select_related("bill__session")
        .order_by("bill__identifier", "order", "date")
    )
    by_bill: dict[int, dict] = {}
    for action in actions:
        if digest_is_noise(action.classification):
            continue
        by_bill.setdefault(action.bill_id, {"bill": action.bill, "actions": []})["actions"].append(action)
    hearings = list(
        Hearing.objects.filter(bill__in=followed, starts_at__gte=until, starts_at__lt=until + timedelta(days=7))
        .select_related("bill")
        .order_by("starts_at")
    )
    return {"bills": list(by_bill.values()), "hearings": hearings}


# --- Public -----------------------------------------------------------------------------


def session_list_public() -> list[LegislativeSession]:
    """Sessions with at least one published position, newest first."""
    return list(
        LegislativeSession.objects.filter(bills__positions__status=Position.Status.APPROVED)
        .select_related("jurisdiction")
        .distinct()
        .order_by("-identifier", "jurisdiction__name")
    )


def position_list_for_session(*, identifier: str) -> list[dict]:
    """The published positions of a session: bill, summary (first abstract), status,
    position and its latest letter."""
    positions = list(
        position_list_published()
        .filter(bill__session__identifier=identifier)
        .prefetch_related(
            Prefetch("bill__abstracts"),
            Prefetch("letters", queryset=PositionLetter.objects.order_by("-created_at")),
        )
    )
    positions.sort(key=lambda p: (p.bill.session.jurisdiction.name, *identifier_sort_key(p.bill.identifier)))
    rows = []
    for position in positions:
        abstracts = list(position.bill.abstracts.all())
        letters = list(position.letters.all())
        rows.append(
            {
                "position": position,
                "bill": position.bill,
                "summary": abstracts[0].abstract if abstracts else "",
                "letter": letters[0] if letters else None,
            }
        )
    return rows


def bill_get_public(*, public_id) -> dict:
    """A bill's public page: only a bill with an approved position (404 otherwise)."""
    position = (
        position_list_published()
        .filter(bill__public_id=public_id)
        .prefetch_related(
            "bill__abstracts",
            "bill__sponsorships",
            Prefetch("letters", queryset=PositionLetter.objects.order_by("-created_at")),
        )
        .first()
    )
    if position is None:
        raise Http404
    bill = position.bill
    return {
        "bill": bill,
        "position": position,
        "abstracts": list(bill.abstracts.all()),
        "sponsors": list(bill.sponsorships.all()),
        "letters": list(position.letters.all()),
        "actions": list(bill.actions.order_by("-order", "-date")[:10]),
    }


def landing_context() -> dict:
    sessions = session_list_public()
    current = sessions[0] if sessions else None
    return {
        "sessions": sessions,
        "current": current,
        "rows": position_list_for_session(identifier=current.identifier) if current else [],
    }


NIGHTLY_TASK = "govrelations.bills.openstates_sync_nightly"


def sync_next_run(now: datetime | None = None) -> datetime | None:
    """When beat starts the nightly sync next (its row in Admin → Periodic tasks), or None when
    it is disabled or missing."""
    from django_celery_beat.models import PeriodicTask

    now = now or timezone.now()
    task = PeriodicTask.objects.filter(task=NIGHTLY_TASK, enabled=True).select_related("crontab").first()
    if task is None or task.crontab is None:
        return None
    schedule = task.crontab.schedule
    schedule.nowfun = lambda: now
    return now + schedule.remaining_estimate(task.last_run_at or now)


def sync_overview() -> dict:
    """The Open States sync at a glance: the last finished run, whether one is running, the
    next nightly run and the requests left today."""
    last = SyncRun.objects.filter(status=SyncRun.Status.DONE).order_by("-finished_at").first()
    latest = SyncRun.objects.order_by("-started_at", "-id").first()
    return {
        "last_synced_at": last.finished_at if last else None,
        "latest_status": latest.get_status_display() if latest else "",
        "next_run_at": sync_next_run(),
        "budget_left": budget_left_today(),
    }
