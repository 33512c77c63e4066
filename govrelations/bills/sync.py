"""Import of bills from Open States: parse each record, then upsert it in its own transaction.

- **Idempotent.** Each bill keeps a fingerprint (SHA-256 of the record as received). A record
  whose fingerprint is unchanged is not written at all, so running a sync twice changes
  nothing. A changed record replaces the bill's imported rows (abstracts, sponsorships,
  actions, versions, documents, votes, related bills) whole; the unit's own rows are untouched.
- **Never half-written.** A record is parsed completely before anything is written; a
  malformed or partial one (no id, identifier, title, session or jurisdiction; a bad date) is
  skipped and recorded as a SyncError with its reason. The write of one bill is one
  transaction, so a database error leaves that bill as it was.
- **New actions** on an existing bill become a BillAlert for each follower; a bill that
  reaches "chaptered" gets its implementation tasks (see services).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from govrelations.bills import services
from govrelations.bills.models import (
    Bill,
    BillAbstract,
    BillAction,
    BillDocument,
    BillSponsorship,
    Jurisdiction,
    LegislativeSession,
    RelatedBill,
    Subject,
    SyncCursor,
    SyncError,
    SyncRun,
    SyncTarget,
    VoteSummary,
)
from govrelations.bills.openstates import OpenStatesBudgetSpent, OpenStatesClient, OpenStatesError
from govrelations.bills.records import MalformedRecord, ParsedBill, bill_record_parse
from govrelations.bills.selectors import action_key
from jcr.core.audit import audit_record

log = logging.getLogger(__name__)

FIRST_SYNC_DAYS = 14  # a target's first run looks this far back unless told otherwise
OVERLAP = timedelta(hours=1)  # re-read a little before the last run: clocks and slow commits
LAW = {"became-law", "executive-signature"}
LOCK_KEY = 0x4A434F53  # pg_advisory_lock key of the Open States sync ("JCOS")


class SyncBusy(Exception):
    """Another Open States sync holds the lock."""


class RunTimeLimit(OpenStatesError):
    pass


def status_from_actions(actions: list[dict], *, origin: str = "") -> str:
    """The bill's stage from its actions' classifications (Open States vocabulary)."""
    status = Bill.Status.INTRODUCED
    passed_in: set[str] = set()
    for action in sorted(actions, key=lambda a: (a["order"], a["date"])):
        kinds = set(action["classification"])
        if kinds & LAW:
            status = Bill.Status.CHAPTERED
        elif "executive-veto" in kinds:
            status = Bill.Status.VETOED
        elif kinds & {"failure", "withdrawal"}:
            status = Bill.Status.FAILED
        elif "passage" in kinds:
            passed_in.add(action["chamber"] or action["organization"])
            status = Bill.Status.PASSED_LEGISLATURE if len(passed_in) >= 2 else Bill.Status.PASSED_CHAMBER
        elif kinds & {"referral-committee", "committee-passage", "committee-failure"} and status in (
            Bill.Status.INTRODUCED,
            Bill.Status.IN_COMMITTEE,
        ):
            status = Bill.Status.IN_COMMITTEE
    return status


def session_name(identifier: str) -> str:
    if len(identifier) == 8 and identifier.isdigit():
        return f"{identifier[:4]}-{identifier[4:]}"
    return identifier


@transaction.atomic
def bill_upsert(*, parsed: ParsedBill) -> str:
    """Write one parsed bill. Returns "created", "updated" or "unchanged"."""
    existing = Bill.objects.select_for_update().filter(open_states_id=parsed.open_states_id).first()
    if existing is not None and existing.source_hash == parsed.fingerprint:
        return "unchanged"
    jurisdiction, _ = Jurisdiction.objects.get_or_create(
        ocd_id=parsed.jurisdiction["ocd_id"],
        defaults={"name": parsed.jurisdiction["name"], "classification": parsed.jurisdiction["classification"]},
    )
    session, _ = LegislativeSession.objects.get_or_create(
        jurisdiction=jurisdiction, identifier=parsed.session, defaults={"name": session_name(parsed.session)}
    )
    if existing is None:
        # A bill entered by hand before the import: adopt it rather than duplicate it.
        existing = Bill.objects.select_for_update().filter(session=session, identifier=parsed.identifier).first()
    status = status_from_actions(parsed.actions)
    values = {
        "jurisdiction": jurisdiction,
        "session": session,
        "identifier": parsed.identifier,
        "title": parsed.title,
        "classification": parsed.classification,
        "from_organization": parsed.from_organization,
        "status": status,
        "first_action_date": parsed.first_action_date,
        "first_action_date_precision": parsed.first_action_date_precision,
        "latest_action_date": parsed.latest_action_date,
        "latest_action_date_precision": parsed.latest_action_date_precision,
        "latest_action_description": parsed.latest_action_description,
        "open_states_id": parsed.open_states_id,
        "openstates_url": parsed.openstates_url,
        "source_created_at": parsed.source_created_at,
        "source_updated_at": parsed.source_updated_at,
        "source_hash": parsed.fingerprint,
    }
    if existing is None:
        bill = Bill.objects.create(**values)
        outcome, before_status, old_keys = "created", None, None
    else:
        bill = existing
        before_status = bill.status
        old_keys = {action_key(a) for a in bill.actions.all()}
        for name, value in values.items():
            setattr(bill, name, value)
        bill.save()
        for related_name in ("abstracts", "sponsorships", "actions", "documents", "votes", "related_bills"):
            getattr(bill, related_name).all().delete()
        outcome = "updated"
    bill.subjects.set([Subject.objects.get_or_create(name=name)[0] for name in dict.fromkeys(parsed.subjects)])
    BillAbstract.objects.bulk_create([BillAbstract(bill=bill, **a) for a in parsed.abstracts])
    BillSponsorship.objects.bulk_create([BillSponsorship(bill=bill, **s) for s in parsed.sponsorships])
    BillAction.objects.bulk_create([BillAction(bill=bill, **a) for a in parsed.actions])
    BillDocument.objects.bulk_create([BillDocument(bill=bill, **d) for d in parsed.documents])
    VoteSummary.objects.bulk_create([VoteSummary(bill=bill, **v) for v in parsed.votes])
    known = {
        (b.session.identifier, b.identifier): b
        for b in Bill.objects.filter(
            jurisdiction=jurisdiction, identifier__in=[r["identifier"] for r in parsed.related]
        ).select_related("session")
    }
    RelatedBill.objects.bulk_create(
        [
            RelatedBill(bill=bill, related=known.get((r["legislative_session"], r["identifier"])), **r)
            for r in parsed.related
        ]
    )
    audit_record(
        action=f"govrelations.bill.sync_{'create' if outcome == 'created' else 'update'}",
        obj=bill,
        actor=None,
        before={"status": before_status} if before_status else None,
        after={"status": status, "source_updated_at": parsed.source_updated_at},
    )
    if old_keys is not None:
        new_actions = [a for a in parsed.actions if action_key(a) not in old_keys]
        if new_actions:
            services.bill_alerts_create(bill=bill, actions=new_actions)
    if status == Bill.Status.CHAPTERED and before_status != Bill.Status.CHAPTERED:
        services.bill_implementation_tasks_create(bill=bill, actor=None)
    return outcome


def bill_preview(*, parsed: ParsedBill) -> str:
    """What bill_upsert would do, without writing: "created", "updated" or "unchanged"."""
    existing = Bill.objects.filter(open_states_id=parsed.open_states_id).values_list("source_hash", flat=True)
    if not existing:
        adopted = Bill.objects.filter(
            jurisdiction__ocd_id=parsed.jurisdiction["ocd_id"],
            session__identifier=parsed.session,
            identifier=parsed.identifier,
        ).exists()
        return "updated" if adopted else "created"
    return "unchanged" if existing[0] == parsed.fingerprint else "updated"


def time_limit() -> timedelta:
    return timedelta(minutes=settings.OPENSTATES_RUN_TIME_LIMIT_MINUTES)


def sync_runs_sweep(*, all_running: bool = False) -> int:
    """Mark as failed the runs still "running" past the time limit (their process died or
    hung), or every running run when `all_running` (the caller holds the lock, so none is
    alive). Returns how many."""
    stale = SyncRun.objects.filter(status=SyncRun.Status.RUNNING)
    if not all_running:
        stale = stale.filter(started_at__lt=timezone.now() - time_limit())
    return stale.update(
        status=SyncRun.Status.FAILED,
        finished_at=timezone.now(),
        error="The run did not finish: its process stopped or it passed the time limit.",
    )


@contextmanager
def sync_lock() -> Iterator[None]:
    """A PostgreSQL session advisory lock: two syncs never overlap. Re-entrant in one process
    (a nested call takes it again); released when the process's connection closes, so a
    process that dies never keeps it. Raises SyncBusy when another process holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise SyncBusy("another Open States sync is running")
    try:
        sync_runs_sweep(all_running=True)
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def cursor_key(*, jurisdiction: str, session: str, subject: str, query: str) -> str:
    return hashlib.sha256("\x1f".join([jurisdiction, session, subject, query]).encode()).hexdigest()


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _newest(records: list) -> datetime | None:
    """The latest `updated_at` of a page's records (the API sorts by it, oldest first)."""
    newest = None
    for record in records:
        value = record.get("updated_at") if isinstance(record, dict) else None
        try:
            moment = datetime.fromisoformat(str(value)) if value else None
        except ValueError:
            continue
        if moment is not None:
            moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
            newest = moment if newest is None or moment > newest else newest
    return newest


def openstates_sync(
    *,
    client: OpenStatesClient,
    jurisdiction: str,
    session: str = "",
    subject: str = "",
    query: str = "",
    updated_since: datetime | None = None,
    max_pages: int | None = None,
    target: SyncTarget | None = None,
    dry_run: bool = False,
) -> SyncRun:
    """Import the bills Open States has for these filters. Returns the SyncRun with its counts.

    Pages are read by keyset: after each page the next request asks for bills updated since
    the newest one seen (to the second, so none is missed), page 1 — or the next page when a
    whole page shares that second. A bill updated while the run goes on moves to the end and
    is read again, never skipped. An unfinished query (budget spent, API failure, time limit)
    leaves a SyncCursor and the next run for the same filters resumes from it.

    `dry_run` reads the pages (it spends requests) and counts what would change, writing no
    bill, run, error or cursor; `run.changes` lists them.
    """
    key = cursor_key(jurisdiction=jurisdiction, session=session, subject=subject, query=query)
    with sync_lock():
        cursor = SyncCursor.objects.filter(key=key).first()
        since, page = (cursor.updated_since, cursor.page) if cursor else (updated_since, 1)
        parameters = {
            "jurisdiction": jurisdiction,
            "session": session,
            "subject": subject,
            "query": query,
            "updated_since": since.isoformat() if since else None,
            "page": page,
            "resumed": cursor is not None,
            "max_pages": max_pages,
            "dry_run": dry_run,
        }
        run = SyncRun(target=target, parameters=parameters, started_at=timezone.now())
        run.changes = []
        if not dry_run:
            run.save()
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "pages": 0}
        requests_before, throttled_before = client.requests, client.throttled
        filters = {"jurisdiction": jurisdiction, "session": session, "subject": subject, "query": query}

        def progress(**extra) -> None:
            counts.update(requests=client.requests - requests_before, throttled=client.throttled - throttled_before)
            for name, value in (counts | extra).items():
                setattr(run, name, value)
            if not dry_run:
                SyncRun.objects.filter(pk=run.pk).update(**counts, **extra)

        try:
            while not (max_pages and counts["pages"] >= max_pages):
                if timezone.now() - run.started_at > time_limit():
                    raise RunTimeLimit("the run passed its time limit")
                data = client.bills_page(page=page, updated_since=since, **filters)
                counts["pages"] += 1
                for record in data["results"]:
                    _record_import(record, run=run, counts=counts, dry_run=dry_run)
                progress()
                pagination = data.get("pagination") or {}
                if (pagination.get("page") or page) >= (pagination.get("max_page") or 1):
                    break
                newest = _newest(data["results"])
                if newest is not None and (since is None or _second(newest) > _second(since)):
                    since, page = _second(newest), 1
                else:
                    page += 1
            else:
                _cursor_keep(key, run, target, filters, since, page, dry_run=dry_run)
        except OpenStatesBudgetSpent as exc:
            _cursor_keep(key, run, target, filters, since, page, dry_run=dry_run)
            progress(status=SyncRun.Status.STOPPED_BUDGET, finished_at=timezone.now(), error=str(exc)[:2000])
            return run
        except OpenStatesError as exc:
            _cursor_keep(key, run, target, filters, since, page, dry_run=dry_run)
            progress(status=SyncRun.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000])
            return run
        except BaseException as exc:  # a bug or a database failure: never leave the run "running"
            progress(status=SyncRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:2000])
            raise
        if not (max_pages and counts["pages"] >= max_pages) and not dry_run:
            SyncCursor.objects.filter(key=key).delete()
            if target is not None:
                SyncTarget.objects.filter(pk=target.pk).update(last_synced_at=run.started_at)
        progress(status=SyncRun.Status.DONE, finished_at=timezone.now())
    return run


def _record_import(record, *, run: SyncRun, counts: dict, dry_run: bool) -> None:
    ident = record.get("identifier", "") if isinstance(record, dict) else ""
    os_id = record.get("id", "") if isinstance(record, dict) else ""
    try:
        parsed = bill_record_parse(record)
        outcome = bill_preview(parsed=parsed) if dry_run else bill_upsert(parsed=parsed)
    except MalformedRecord as exc:
        reason = str(exc)
    except DatabaseError as exc:
        reason = f"could not be saved: {exc}"
    else:
        counts[outcome] += 1
        if outcome != "unchanged":
            run.changes.append((outcome, parsed.identifier, parsed.title))
        return
    counts["skipped"] += 1
    run.changes.append(("skipped", str(ident), reason))
    log.warning("Open States record %s (%s) skipped: %s", os_id, ident, reason)
    if not dry_run:
        SyncError.objects.create(run=run, open_states_id=str(os_id)[:120], identifier=str(ident)[:40], reason=reason)


def _cursor_keep(key, run, target, filters, since, page, *, dry_run: bool) -> None:
    """Record where the next run of this query resumes."""
    if dry_run:
        return
    SyncCursor.objects.update_or_create(
        key=key,
        defaults={**filters, "target": target, "updated_since": since, "page": page, "run": run},
    )


def sync_targets_run(
    *, client: OpenStatesClient | None = None, since: datetime | None = None, dry_run: bool = False
) -> list[SyncRun]:
    """The nightly sync: every active target, from where its last run stopped (its cursor),
    else from its last finished run (less an overlap), or FIRST_SYNC_DAYS back the first time.
    Once the day's budget is spent, each remaining target is stopped at its start, without a
    request."""
    client = client or OpenStatesClient()
    runs = []
    with sync_lock():
        for target in SyncTarget.objects.filter(is_active=True).order_by("pk"):
            start = since or (
                target.last_synced_at - OVERLAP
                if target.last_synced_at
                else timezone.now() - timedelta(days=FIRST_SYNC_DAYS)
            )
            runs.append(
                openstates_sync(
                    client=client,
                    jurisdiction=target.jurisdiction,
                    session=target.session,
                    subject=target.subject,
                    query=target.query,
                    updated_since=start,
                    target=target,
                    dry_run=dry_run,
                )
            )
    return runs
