"""One Open States bill record, checked and converted before anything is written.

A record is parsed completely first; a malformed or partial one (no id, identifier, title,
session or jurisdiction; a date that is not one) raises MalformedRecord naming the problem.
A partial date ("2025", "2025-03") is kept as its first day with its precision.

The fingerprint is a SHA-256 of the parsed record, normalized so that it does not depend on
the order Open States lists things in (actions, sponsors, documents ... are sorted by stable
keys; their list positions are left out) nor on `updated_at` alone: a record that only
changed its timestamp or its order is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from django.utils import timezone

from govrelations.bills.models import BillDocument, DatePrecision


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
    first_action_date_precision: str
    latest_action_date: date | None
    latest_action_date_precision: str
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


PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ].*)?$")


def _date(value, name: str, *, required: bool = False) -> tuple[date | None, str]:
    """A date and its precision: "2025-03-04" (day), "2025-03" (month) or "2025" (year); a
    partial date is stored as its first day."""
    if not value:
        if required:
            raise MalformedRecord(f"{name} is missing")
        return None, DatePrecision.DAY
    match = PARTIAL_DATE.match(str(value).strip())
    try:
        if not match:
            raise ValueError(value)
        year, month, day = match.groups()
        parsed = date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise MalformedRecord(f"{name} is not a date: {value!r}") from exc
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return parsed, precision


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


SORT_KEYS = {
    "abstracts": ("abstract", "note"),
    "sponsorships": ("name", "classification", "entity_type", "primary"),
    "actions": ("date", "description", "organization", "chamber"),
    "documents": ("kind", "date", "note", "links"),
    "votes": ("date", "motion_text", "organization", "result"),
    "related": ("legislative_session", "identifier", "relation_type"),
}
UNHASHED = {"fingerprint", "source_updated_at"}


def fingerprint(parsed: ParsedBill) -> str:
    """SHA-256 of the normalized record (see the module's notes)."""
    data = {name: value for name, value in asdict(parsed).items() if name not in UNHASHED}
    for name, keys in SORT_KEYS.items():
        items = [{k: v for k, v in item.items() if k != "order"} for item in data[name]]
        data[name] = sorted(items, key=lambda item: json.dumps([item.get(k) for k in keys], default=str))
    data["subjects"] = sorted(set(data["subjects"]))
    data["classification"] = sorted(data["classification"])
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def bill_record_parse(record: dict) -> ParsedBill:
    """Check and convert one Open States bill. Raises MalformedRecord naming the problem."""
    if not isinstance(record, dict):
        raise MalformedRecord("the record is not an object")
    jurisdiction = record.get("jurisdiction")
    if not isinstance(jurisdiction, dict) or not jurisdiction.get("id") or not jurisdiction.get("name"):
        raise MalformedRecord("jurisdiction is missing")
    organization = record.get("from_organization") or {}
    first_action, first_precision = _date(record.get("first_action_date"), "first_action_date")
    latest_action, latest_precision = _date(record.get("latest_action_date"), "latest_action_date")
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
        first_action_date=first_action,
        first_action_date_precision=first_precision,
        latest_action_date=latest_action,
        latest_action_date_precision=latest_precision,
        latest_action_description=_text(record.get("latest_action_description"), "latest_action_description"),
        source_created_at=_datetime(record.get("created_at"), "created_at"),
        source_updated_at=_datetime(record.get("updated_at"), "updated_at"),
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
        when, precision = _date(item.get("date"), f"action {i + 1} date", required=True)
        parsed.actions.append(
            {
                "date": when,
                "date_precision": precision,
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
            when, precision = _date(item.get("date"), f"{name} {i + 1} date")
            parsed.documents.append(
                {
                    "kind": kind,
                    "note": _text(item.get("note"), f"{name} {i + 1} note")[:300] or str(kind.label),
                    "date": when,
                    "date_precision": precision,
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
        when, precision = _date(item.get("start_date"), f"vote {i + 1} date")
        parsed.votes.append(
            {
                "motion_text": _text(item.get("motion_text"), f"vote {i + 1} motion", required=True),
                "date": when,
                "date_precision": precision,
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
    parsed.fingerprint = fingerprint(parsed)
    return parsed
