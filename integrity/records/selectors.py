"""Reads of the confidential records. Lists apply the same rules as `integrity.records.access`:
soft-deleted rows are left out and the conflict wall holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import ExtractYear, Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import wall_exclude
from integrity.records.models import (
    Allegation,
    Claim,
    ClaimWallChange,
    DisclosureEntry,
    DisclosureLog,
    RecordDeadline,
    RecordStep,
    TestingRequest,
)
from jcr.core.submissions import email_q

SUPPRESS_BELOW = 5


# --- Staff --------------------------------------------------------------------------------


def allegation_list(*, user, status: str = "") -> QuerySet[Allegation]:
    """Allegations `user` may see: not soft-deleted, none on the case of a claim they are
    walled off from."""
    qs = wall_exclude(Allegation.active.select_related("assigned_to"), user)
    return qs.filter(status=status) if status else qs


def claim_list_visible_to(*, user, q: str = "", mine: bool = False) -> QuerySet[Claim]:
    """Claims `user` may see (not soft-deleted, not behind a wall for them); `q` matches the
    receipt number, the case number or the claimant's name; `mine`: those `user` investigates."""
    qs = Claim.active.exclude(conflicted_users=user).select_related("investigator")
    if mine:
        qs = qs.filter(investigator=user)
    q = q.strip()[:100]
    if q:
        qs = qs.filter(Q(receipt_number__iexact=q) | Q(case_number__icontains=q) | Q(claimant_name__icontains=q))
    return qs


def testing_request_list(*, user) -> QuerySet[TestingRequest]:
    """Requests `user` may see: not soft-deleted, none on the case of a claim they are walled
    off from."""
    return wall_exclude(TestingRequest.active.select_related("response_rule"), user)


def disclosure_list(*, active_only: bool = False, q: str = "") -> QuerySet[DisclosureEntry]:
    """The index for JTI staff; `q` matches the officer's name, badge number or agency."""
    qs = DisclosureEntry.active.annotate(disclosure_count=Count("disclosures"))
    q = q.strip()[:100]
    if q:
        qs = qs.filter(Q(officer_name__icontains=q) | Q(badge_number__iexact=q) | Q(agency__icontains=q))
    return qs.filter(is_active=True) if active_only else qs


def officer_name_key(name: str) -> str:
    """A name as the officer lookup compares it: case, periods, commas and runs of spaces
    do not matter ("Sgt. J.  Doe" and "sgt j doe" are the same)."""
    return " ".join(name.replace(".", " ").replace(",", " ").casefold().split())


def badge_number_key(badge: str) -> str:
    """A badge number as the officer lookup compares it: without spaces or dashes, upper case."""
    return "".join(badge.replace("-", "").split()).upper()


LOOKUP_NAME_MIN_WORDS = 2


def officer_lookup_problem(*, name: str, badge: str) -> str:
    """Why a lookup cannot be answered as asked, or "": exactly one of a full name (at least a
    first and a last name, neither an initial) or a badge number (2 to 30 letters or digits).
    Partial names and wildcards are refused, so the lookup cannot list the index."""
    name_key, badge_key = officer_name_key(name), badge_number_key(badge)
    if bool(name_key) == bool(badge_key):
        return _("Give either the officer's full name or a badge number.")
    if badge_key:
        if not (2 <= len(badge_key) <= 30 and badge_key.isalnum()):
            return _("A badge number has 2 to 30 letters or digits.")
        return ""
    words = name_key.split()
    if len(words) < LOOKUP_NAME_MIN_WORDS or len(words[0]) < 2 or len(words[-1]) < 2:
        return _("Give the officer's full name: first and last name, not initials.")
    if any(ch in name for ch in "*%?_"):
        return _("Give the officer's full name: first and last name, not initials.")
    return ""


def disclosure_entry_exists_for(*, name: str = "", badge: str = "", agency: str = "") -> bool:
    """Whether an active, standing index entry names this officer: an exact full name (as
    `officer_name_key` compares it) or an exact badge number, optionally at `agency` (exact,
    any case). Entries removed on reconsideration, inactive or soft-deleted do not count."""
    qs = DisclosureEntry.active.filter(is_active=True).exclude(reconsideration=DisclosureEntry.Reconsideration.REMOVED)
    if agency.strip():
        qs = qs.filter(agency__iexact=agency.strip())
    if badge:
        key = badge_number_key(badge)
        normalised = Upper(Replace(Replace("badge_number", Value(" "), Value("")), Value("-"), Value("")))
        return bool(key) and qs.annotate(badge_key=normalised).filter(badge_key=key).exists()
    key = officer_name_key(name)
    if not key:
        return False
    # Narrowed in the database by the last word, compared exactly here.
    candidates = qs.filter(officer_name__icontains=key.rsplit(" ", 1)[-1]).values_list("officer_name", flat=True)
    return any(officer_name_key(candidate) == key for candidate in candidates)


def disclosure_log_for_case(*, case_number: str) -> QuerySet[DisclosureLog]:
    """Every disclosure made in one case (the per-case disclosure log), whatever the index
    entry; entries soft-deleted are left out."""
    return (
        DisclosureLog.objects.filter(case_number__iexact=case_number.strip(), entry__is_deleted=False)
        .select_related("entry")
        .order_by("-disclosed_on", "-id")
    )


def record_steps(*, record) -> QuerySet[RecordStep]:
    return RecordStep.objects.filter(record_type=record._meta.label_lower, record_id=record.pk).select_related("actor")


def record_deadlines(*, record) -> QuerySet[RecordDeadline]:
    return RecordDeadline.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)


def deadlines_visible_to(*, user) -> QuerySet[RecordDeadline]:
    """Deadlines of records `user` may see: not soft-deleted, not behind a conflict wall (one
    query, with a subquery per kind of record)."""
    visible = {
        "integrity.allegation": allegation_list(user=user).values("pk"),
        "integrity.claim": claim_list_visible_to(user=user).values("pk"),
        "integrity.testingrequest": testing_request_list(user=user).values("pk"),
        "integrity.disclosureentry": DisclosureEntry.active.values("pk"),
    }
    q = Q(pk__in=[])
    for record_type, pks in visible.items():
        q |= Q(record_type=record_type, record_id__in=pks)
    return RecordDeadline.objects.filter(q)


def deadlines_upcoming(*, user, limit: int = 20) -> QuerySet[RecordDeadline]:
    """Open deadlines, one line per record and due date (a PC 1405 response has a row per
    reminder: the first one stands for them)."""
    earlier_same = RecordDeadline.objects.filter(
        record_type=OuterRef("record_type"),
        record_id=OuterRef("record_id"),
        due_on=OuterRef("due_on"),
        met_at__isnull=True,
        pk__lt=OuterRef("pk"),
    )
    return (
        deadlines_visible_to(user=user)
        .filter(met_at__isnull=True)
        .exclude(Exists(earlier_same))
        .order_by("due_on", "id")[:limit]
    )


RETENTION_DUE, RETENTION_HOLD = "due", "hold"

# (kind as in the record routes, model, the field that names the row)
RECORD_KINDS = (
    ("allegation", Allegation, "receipt_number"),
    ("claim", Claim, "receipt_number"),
    ("testing", TestingRequest, "case_number"),
    ("disclosure", DisclosureEntry, "officer_name"),
)


def retention_rows(*, user, show: str = RETENTION_DUE):
    """The records of every kind, as one UNION ALL (a page costs two queries, the count and
    the rows): `due`, past their retention date and not on legal hold (for a person to review;
    nothing is deleted automatically), or `hold`, on legal hold. Soft-deleted records are left
    out and the conflict wall holds. Rows are dicts: kind, public_id, label, retention_until,
    legal_hold, created_at."""
    today = timezone.localdate()
    parts = []
    for kind, model, label in RECORD_KINDS:
        qs = wall_exclude(model.active.all(), user)
        if show == RETENTION_HOLD:
            qs = qs.filter(legal_hold=True)
        else:
            qs = qs.filter(legal_hold=False, retention_until__lt=today)
        parts.append(
            qs.annotate(kind=Value(kind, output_field=CharField()), label=F(label))
            .values("kind", "public_id", "label", "retention_until", "legal_hold", "created_at")
            .order_by()
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by(F("retention_until").asc(nulls_last=True), "created_at")


def deadline_records(deadlines: list[RecordDeadline]) -> list[dict]:
    """Each deadline with the kind, label and public id of its record (one query per kind of
    record among them, at most four, whatever the number of deadlines)."""
    by_type = {model._meta.label_lower: (kind, model, label) for kind, model, label in RECORD_KINDS}
    wanted: dict[str, set[int]] = defaultdict(set)
    for d in deadlines:
        if d.record_type in by_type:
            wanted[d.record_type].add(d.record_id)
    found: dict[tuple[str, int], dict] = {}
    for record_type, ids in wanted.items():
        kind, model, label = by_type[record_type]
        for row in model.objects.filter(pk__in=ids).values("pk", "public_id", label):
            found[(record_type, row["pk"])] = {"kind": kind, "public_id": row["public_id"], "label": row[label]}
    return [{"deadline": d, "record": found.get((d.record_type, d.record_id))} for d in deadlines]


def records_home_context(*, user) -> dict:
    return {
        "allegations_open": allegation_list(user=user).exclude(status=Allegation.Status.CLOSED).count(),
        "claims_open": claim_list_visible_to(user=user).exclude(status=Claim.Status.DISPOSED).count(),
        "testing_open": testing_request_list(user=user).exclude(status=TestingRequest.Status.CLOSED).count(),
        "disclosures_active": DisclosureEntry.active.filter(is_active=True).count(),
        "deadlines": deadline_records(list(deadlines_upcoming(user=user))),
        "today": timezone.localdate(),
    }


# --- Public aggregates --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    suppressed: bool


def _suppress(cells: list[Cell], total: int) -> list[Cell]:
    """Hide counts below SUPPRESS_BELOW; when exactly one cell is hidden and the total is
    shown, hide the next smallest too, so it cannot be worked out by subtraction."""
    hidden = [c for c in cells if c.count < SUPPRESS_BELOW]
    result = [Cell(c.label, c.count, c.count < SUPPRESS_BELOW) for c in cells]
    if len(hidden) == 1 and total >= SUPPRESS_BELOW:
        shown = sorted((c for c in result if not c.suppressed), key=lambda c: c.count)
        if shown:
            extra = shown[0]
            result = [Cell(c.label, c.count, True) if c is extra else c for c in result]
    return result


def _by_year(qs, field: str, labels: dict) -> dict[int, dict[str, int]]:
    rows = qs.annotate(year=ExtractYear("created_at")).values("year", field).annotate(n=Count("id")).order_by()
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        key = row[field] or ""
        found[row["year"]][key] = found[row["year"]].get(key, 0) + row["n"]
    return found


def _section(title: str, qs, fields: list[tuple[str, str, dict]]) -> dict:
    """Per year: the total and, for each (field, caption, labels), the cells by value."""
    per_field = {field: _by_year(qs, field, labels) for field, _caption, labels in fields}
    years = sorted({y for data in per_field.values() for y in data}, reverse=True)
    out = []
    for year in years:
        counts = per_field[fields[0][0]].get(year, {})
        total = sum(counts.values())
        groups = []
        for field, caption, labels in fields:
            values = per_field[field].get(year, {})
            cells = [Cell(str(labels.get(k) or _("Not yet decided")), n, False) for k, n in sorted(values.items())]
            groups.append({"caption": caption, "cells": _suppress(cells, total)})
        out.append({"year": year, "total": total, "total_suppressed": total < SUPPRESS_BELOW, "groups": groups})
    return {"title": title, "years": out}


def public_aggregates() -> dict:
    """Counts only, by year of receipt; soft-deleted records are left out."""
    return {
        "suppress_below": SUPPRESS_BELOW,
        "sections": [
            _section(
                _("Misconduct allegations"),
                Allegation.active.all(),
                [
                    ("status", _("By status"), dict(Allegation.Status.choices)),
                    ("finding", _("By finding"), dict(Allegation.Finding.choices)),
                ],
            ),
            _section(
                _("Wrongful-conviction claims"),
                Claim.active.all(),
                [
                    ("status", _("By status"), dict(Claim.Status.choices)),
                    ("disposition", _("By outcome"), dict(Claim.Disposition.choices)),
                ],
            ),
            _section(
                _("Requests for post-conviction testing"),
                TestingRequest.active.all(),
                [("status", _("By status"), dict(TestingRequest.Status.choices))],
            ),
        ],
    }


def claim_wall_changes_pending(*, claim: Claim) -> QuerySet[ClaimWallChange]:
    """The changes to the claim's wall waiting for a second person (shown on its page)."""
    return (
        ClaimWallChange.objects.filter(claim=claim, status=ClaimWallChange.Status.PENDING)
        .select_related("person", "proposed_by")
        .order_by("proposed_at")
    )


# --- The filer's own receipts ("My submissions") -------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What a filer may see of their own record: its receipt number and status, nothing else."""

    number: str
    status: str


def receipts_of_filer(*, emails: list[str], limit: int) -> dict[str, list[Receipt]]:
    """The filer's own claims (as the person convicted or the writer) and allegations, newest
    first, matched by address (case-insensitive): {"claims": [...], "allegations": [...]}.
    Soft-deleted records are left out; nothing of their contents is read."""

    claims = Claim.active.filter(email_q(("claimant_email", "writer_email"), emails)).order_by("-created_at", "-id")
    allegations = Allegation.active.filter(email_q(("complainant_email",), emails)).order_by("-created_at", "-id")
    return {
        "claims": [
            Receipt(number=n, status=Claim.Status(s).label)
            for n, s in claims.values_list("receipt_number", "status")[:limit]
        ],
        "allegations": [
            Receipt(number=n, status=Allegation.Status(s).label)
            for n, s in allegations.values_list("receipt_number", "status")[:limit]
        ],
    }
