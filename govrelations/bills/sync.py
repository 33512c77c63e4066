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
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, transaction
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
    SyncError,
    SyncRun,
    SyncTarget,
    VoteSummary,
)
from govrelations.bills.openstates import OpenStatesClient, OpenStatesError
from govrelations.bills.selectors import action_key
from jcr.core.audit import audit_record

log = logging.getLogger(__name__)

FIRST_SYNC_DAYS = 14  # a target's first run looks this far back unless told otherwise
OVERLAP = timedelta(hours=1)  # re-read a little before the last run: clocks and slow commits
LAW = {"became-law", "executive-signature"}


class MalformedRecord(ValueError):
    pass


@dataclass
class ParsedBill:
    open_states_id: str
    jurisdiction: dict
    session: str
    identifier: str
    title: str
    classification: list[str]
    subjects: list[str]
    from_organization: str
    openstates_url: str
    first_action_date: date | None
    latest_action_date: date | None
    latest_action_description: str
    source_created_at: datetime | None
    source_updated_at: datetime | None
    abstracts: list[dict] = field(default_factory=list)
    sponsorships: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    votes: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    fingerprint: str = ""


def _text(value, name: str, *, required: bool = False, limit: int | None = None) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise MalformedRecord(f"{name} is not text")
    value = value.strip()
    if required and not value:
        raise MalformedRecord(f"{name} is missing")
    if limit and len(value) > limit:
        raise MalformedRecord(f"{name} is longer than {limit} characters")
    return value


def _date(value, name: str, *, required: bool = False) -> date | None:
    if not value:
        if required:
            raise MalformedRecord(f"{name} is missing")
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise MalformedRecord(f"{name} is not a date: {value!r}") from exc


def _datetime(value, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise MalformedRecord(f"{name} is not a date and time: {value!r}") from exc
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def _list(record: dict, name: str) -> list:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise MalformedRecord(f"{name} is not a list")
    return value


def _links(value) -> list[dict]:
    if not isinstance(value, list):
        raise MalformedRecord("links is not a list")
    links = []
    for link in value:
        if not isinstance(link, dict) or not isinstance(link.get("url"), str):
            raise MalformedRecord("a link has no url")
        links.append({"url": link["url"], "media_type": str(link.get("media_type") or "")})
    return links


def fingerprint(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def bill_record_parse(record: dict) -> ParsedBill:
    """Check and convert one Open States bill. Raises MalformedRecord naming the problem."""
    if not isinstance(record, dict):
        raise MalformedRecord("the record is not an object")
    jurisdiction = record.get("jurisdiction")
    if not isinstance(jurisdiction, dict) or not jurisdiction.get("id") or not jurisdiction.get("name"):
        raise MalformedRecord("jurisdiction is missing")
    organization = record.get("from_organization") or {}
    parsed = ParsedBill(
        open_states_id=_text(record.get("id"), "id", required=True, limit=120),
        jurisdiction={
            "ocd_id": _text(jurisdiction["id"], "jurisdiction.id", limit=200),
            "name": _text(jurisdiction["name"], "jurisdiction.name", limit=120),
            "classification": _text(jurisdiction.get("classification"), "jurisdiction.classification") or "state",
        },
        session=_text(record.get("session"), "session", required=True, limit=40),
        identifier=_text(record.get("identifier"), "identifier", required=True, limit=40),
        title=_text(record.get("title"), "title", required=True),
        classification=[str(c) for c in _list(record, "classification")],
        subjects=[_text(s, "subject", limit=200) for s in _list(record, "subject") if s],
        from_organization=_text(
            organization.get("name") if isinstance(organization, dict) else "", "from_organization"
        ),
        openstates_url=_text(record.get("openstates_url"), "openstates_url", limit=500),
        first_action_date=_date(record.get("first_action_date"), "first_action_date"),
        latest_action_date=_date(record.get("latest_action_date"), "latest_action_date"),
        latest_action_description=_text(record.get("latest_action_description"), "latest_action_description"),
        source_created_at=_datetime(record.get("created_at"), "created_at"),
        source_updated_at=_datetime(record.get("updated_at"), "updated_at"),
        fingerprint=fingerprint(record),
    )
    for i, item in enumerate(_list(record, "abstracts")):
        if not isinstance(item, dict):
            raise MalformedRecord(f"abstract {i + 1} is not an object")
        parsed.abstracts.append(
            {
                "abstract": _text(item.get("abstract"), f"abstract {i + 1}", required=True),
                "note": _text(item.get("note"), "abstract note")[:200],
                "order": i,
            }
        )
    for i, item in enumerate(_list(record, "sponsorships")):
        if not isinstance(item, dict):
            raise MalformedRecord(f"sponsorship {i + 1} is not an object")
        parsed.sponsorships.append(
            {
                "name": _text(item.get("name"), f"sponsorship {i + 1} name", required=True, limit=200),
                "entity_type": _text(item.get("entity_type"), "entity_type")[:20],
                "primary": bool(item.get("primary")),
                "classification": _text(item.get("classification"), "sponsorship classification")[:40],
                "order": i,
            }
        )
    for i, item in enumerate(_list(record, "actions")):
        if not isinstance(item, dict):
            raise MalformedRecord(f"action {i + 1} is not an object")
        org = item.get("organization") or {}
        classification = item.get("classification") or []
        if not isinstance(classification, list):
            raise MalformedRecord(f"action {i + 1} classification is not a list")
        parsed.actions.append(
            {
                "date": _date(item.get("date"), f"action {i + 1} date", required=True),
                "description": _text(item.get("description"), f"action {i + 1} description", required=True),
                "classification": [str(c) for c in classification],
                "organization": _text(org.get("name") if isinstance(org, dict) else "", "organization")[:120],
                "chamber": _text(org.get("classification") if isinstance(org, dict) else "", "chamber")[:20],
                "order": int(item["order"]) if isinstance(item.get("order"), int) else i,
            }
        )
    for kind, name in ((BillDocument.Kind.VERSION, "versions"), (BillDocument.Kind.DOCUMENT, "documents")):
        for i, item in enumerate(_list(record, name)):
            if not isinstance(item, dict):
                raise MalformedRecord(f"{name} {i + 1} is not an object")
            parsed.documents.append(
                {
                    "kind": kind,
                    "note": _text(item.get("note"), f"{name} {i + 1} note")[:300] or str(kind.label),
                    "date": _date(item.get("date"), f"{name} {i + 1} date"),
                    "links": _links(item.get("links") or []),
                }
            )
    for i, item in enumerate(_list(record, "votes")):
        if not isinstance(item, dict):
            raise MalformedRecord(f"vote {i + 1} is not an object")
        counts = {"yes": 0, "no": 0, "other": 0}
        for count in item.get("counts") or []:
            if not isinstance(count, dict) or not isinstance(count.get("value"), int):
                raise MalformedRecord(f"vote {i + 1} has a count without a number")
            option = count.get("option")
            counts[option if option in ("yes", "no") else "other"] += count["value"]
        org = item.get("organization") or {}
        parsed.votes.append(
            {
                "motion_text": _text(item.get("motion_text"), f"vote {i + 1} motion", required=True),
                "date": _date(item.get("start_date"), f"vote {i + 1} date"),
                "result": _text(item.get("result"), "vote result")[:40],
                "organization": _text(org.get("name") if isinstance(org, dict) else "", "vote organization")[:120],
                "yes_count": counts["yes"],
                "no_count": counts["no"],
                "other_count": counts["other"],
            }
        )
    for i, item in enumerate(_list(record, "related_bills")):
        if not isinstance(item, dict):
            raise MalformedRecord(f"related bill {i + 1} is not an object")
        parsed.related.append(
            {
                "identifier": _text(
                    item.get("identifier"), f"related bill {i + 1} identifier", required=True, limit=40
                ),
                "legislative_session": _text(item.get("legislative_session"), "related session", limit=40),
                "relation_type": _text(item.get("relation_type"), "relation type")[:40],
            }
        )
    return parsed


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
        "latest_action_date": parsed.latest_action_date,
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
) -> SyncRun:
    """Import the bills Open States has for these filters. Returns the SyncRun with its counts.

    A failure of the API ends the run as FAILED (what was imported before stays, each bill
    being whole); a bad record only skips that record.
    """
    parameters = {
        "jurisdiction": jurisdiction,
        "session": session,
        "subject": subject,
        "query": query,
        "updated_since": updated_since.isoformat() if updated_since else None,
        "max_pages": max_pages,
    }
    run = SyncRun.objects.create(target=target, parameters=parameters)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "pages": 0}
    try:
        for page in client.bill_pages(
            jurisdiction=jurisdiction,
            session=session,
            subject=subject,
            query=query,
            updated_since=updated_since,
            max_pages=max_pages,
        ):
            counts["pages"] += 1
            for record in page["results"]:
                ident = record.get("identifier", "") if isinstance(record, dict) else ""
                os_id = record.get("id", "") if isinstance(record, dict) else ""
                try:
                    outcome = bill_upsert(parsed=bill_record_parse(record))
                except MalformedRecord as exc:
                    reason = str(exc)
                except DatabaseError as exc:
                    reason = f"could not be saved: {exc}"
                else:
                    counts[outcome] += 1
                    continue
                counts["skipped"] += 1
                log.warning("Open States record %s (%s) skipped: %s", os_id, ident, reason)
                SyncError.objects.create(
                    run=run, open_states_id=str(os_id)[:120], identifier=str(ident)[:40], reason=reason
                )
            SyncRun.objects.filter(pk=run.pk).update(**counts)
    except OpenStatesError as exc:
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncRun.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000], **counts
        )
        run.refresh_from_db()
        return run
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.DONE, finished_at=timezone.now(), **counts)
    run.refresh_from_db()
    if target is not None:
        SyncTarget.objects.filter(pk=target.pk).update(last_synced_at=run.started_at)
    return run


def sync_targets_run(*, client: OpenStatesClient | None = None, since: datetime | None = None) -> list[SyncRun]:
    """The nightly sync: every active target, each from its last successful run (less an
    overlap), or FIRST_SYNC_DAYS back the first time."""
    client = client or OpenStatesClient()
    runs = []
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
            )
        )
    return runs
