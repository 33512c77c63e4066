"""Rows of the confidential records for tests (plain functions calling the models)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfWriter

from integrity.records.models import (
    Allegation,
    Claim,
    DeadlineRule,
    DisclosureEntry,
    DisclosureLog,
    EligibilityCriterion,
    TestingRequest,
    receipt_number_new,
)


def pdf_bytes() -> bytes:
    """A small, well-formed one-page PDF (written by pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def allegation(**kwargs) -> Allegation:
    values = {
        "receipt_number": receipt_number_new("MA"),
        "description": "A prosecutor withheld a report.",
        "complainant_name": "Sam Doe",
        "complainant_email": "sam@example.org",
    }
    return Allegation.objects.create(**(values | kwargs))


def claim(**kwargs) -> Claim:
    values = {
        "receipt_number": receipt_number_new("WC"),
        "claimant_name": "Alex Roe",
        "case_number": "98F01234",
        "summary": "An alibi witness was never called.",
        "consent_records": True,
    }
    return Claim.objects.create(**(values | kwargs))


def rule(**kwargs) -> DeadlineRule:
    code = kwargs.pop("code", "pc1405-response")
    defaults = {"label": "PC 1405 response", "days": 60, "remind_days_before": 14} | kwargs
    obj, _created = DeadlineRule.objects.get_or_create(code=code, defaults=defaults)
    return obj


def testing_request(**kwargs) -> TestingRequest:
    """A request as the registry computes it when the rules are seeded (integrity migration
    0010); the dates are given as is otherwise."""
    served = kwargs.pop("served_on", date(2026, 3, 2))
    values = {
        "petitioner": "Chris Poe",
        "case_number": "05F09876",
        "court": "Sacramento Superior Court",
        "served_on": served,
        "served_ag_on": served,
        "served_da_on": served,
        "response_due": served + timedelta(days=90),
    }
    return TestingRequest.objects.create(**(values | kwargs))


def disclosure_entry(**kwargs) -> DisclosureEntry:
    values = {"officer_name": "Officer Pat Vega", "agency": "City Police", "basis": DisclosureEntry.Basis.DISHONESTY}
    return DisclosureEntry.objects.create(**(values | kwargs))


def disclosure_log(entry: DisclosureEntry, **kwargs) -> DisclosureLog:
    values = {"case_number": "24F00001", "disclosed_on": date(2026, 4, 1), "disclosed_to": "Public Defender"}
    return DisclosureLog.objects.create(entry=entry, **(values | kwargs))


def criteria() -> list[EligibilityCriterion]:
    rows = [
        ("county-conviction", "The conviction was obtained by this office."),
        ("new-evidence", "The claim rests on new evidence or information."),
        ("factual-innocence", "The claim is of factual innocence, not a legal error alone."),
    ]
    return [
        EligibilityCriterion.objects.get_or_create(code=code, defaults={"text": text, "order": i})[0]
        for i, (code, text) in enumerate(rows)
    ]
