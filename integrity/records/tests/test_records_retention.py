"""Retention dates and legal holds of the confidential records: the form on each record's
page (JTI, recent sign-in, audited through the service) and the "Retention and holds" list
(past the retention date and not on hold, or on hold; nothing is deleted automatically)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.models import Allegation, RecordStep
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import NON_JTI_STAFF, signed_in
from jcr.core.models import AuditEntry
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

KINDS = {
    "allegation": (f.allegation, "integrity:allegation_detail"),
    "claim": (f.claim, "integrity:claim_detail"),
    "testing": (f.testing_request, "integrity:testing_detail"),
    "disclosure": (f.disclosure_entry, "integrity:disclosure_detail"),
}


def _url(kind, record):
    return reverse("integrity:record_retention", kwargs={"kind": kind, "public_id": record.public_id})


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("persona", ["jti_staff", "jti_chief"])
def test_jti_set_retention_and_hold_on_each_kind(kind, persona, personas, client_for):
    factory, detail = KINDS[kind]
    record = factory()
    client = signed_in(client_for, personas[persona])
    page = client.get(reverse(detail, kwargs={"public_id": record.public_id})).content.decode()
    assert _url(kind, record) in page
    keep = timezone.localdate() + timedelta(days=365)
    response = client.post(
        _url(kind, record), {"extended_until": keep.isoformat(), "legal_hold": "on", "reason": "Civil suit filed"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(detail, kwargs={"public_id": record.public_id})
    record.refresh_from_db()
    assert record.legal_hold
    assert record.retention_extended_until == keep
    assert record.retention_extension_reason == "Civil suit filed"
    step = RecordStep.objects.get(record_type=record._meta.label_lower, record_id=record.pk, step="legal_hold")
    assert step.actor == personas[persona]
    assert step.note == "Civil suit filed"
    entry = AuditEntry.objects.get(action="integrity.record.change", object_id=str(record.public_id))
    assert entry.actor_id == personas[persona].pk
    assert entry.before is None
    assert {"legal_hold", "retention_extended_until"} <= set(entry.after["fields"])
    assert entry.after["step"] == "retention"
    # The hold lifted, the extension ended (with a reason).
    client.post(_url(kind, record), {"extended_until": "", "reason": "Suit settled"})
    record.refresh_from_db()
    assert not record.legal_hold
    assert record.retention_extended_until is None
    assert AuditEntry.objects.filter(action="integrity.record.change").count() == 2


def test_unchanged_form_writes_nothing(jti_staff, client_for):
    allegation = f.allegation()
    signed_in(client_for, jti_staff).post(_url("allegation", allegation), {"extended_until": ""})
    assert not AuditEntry.objects.filter(action="integrity.record.change").exists()
    assert not RecordStep.objects.exists()


def test_retention_change_needs_a_recent_sign_in(jti_staff, client_for):
    allegation = f.allegation()
    stale = signed_in(client_for, jti_staff, seconds_ago=REAUTH_AFTER_SECONDS + 5)
    response = stale.post(_url("allegation", allegation), {"legal_hold": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    # Back to the record's page afterwards (the form's route itself answers only POST).
    detail = reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})
    assert response["Location"].endswith(f"?next={detail.replace('/', '%2F')}")
    allegation.refresh_from_db()
    assert not allegation.legal_hold
    assert not AuditEntry.objects.filter(action="integrity.record.change").exists()


@pytest.mark.parametrize("persona", NON_JTI_STAFF)
def test_staff_outside_jti_get_404(persona, personas, client_for):
    allegation = f.allegation()
    response = signed_in(client_for, personas[persona]).post(_url("allegation", allegation), {"legal_hold": "on"})
    assert response.status_code == 404
    allegation.refresh_from_db()
    assert not allegation.legal_hold


def test_walled_person_and_deleted_records_get_404(jti_staff, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_staff)
    deleted = f.allegation(is_deleted=True)
    client = signed_in(client_for, jti_staff)
    assert client.post(_url("claim", claim), {"legal_hold": "on"}).status_code == 404
    assert client.post(_url("allegation", deleted), {"legal_hold": "on"}).status_code == 404
    assert client.post(_url("nothing", deleted), {"legal_hold": "on"}).status_code == 404
    claim.refresh_from_db()
    assert not claim.legal_hold
    # Even with an old sign-in: 404, not the re-authentication page.
    stale = signed_in(client_for, jti_staff, seconds_ago=3600)
    assert stale.post(_url("claim", claim), {"legal_hold": "on"}).status_code == 404


def test_a_hold_set_from_the_page_refuses_soft_delete(jti_staff, client_for):
    allegation = f.allegation()
    client = signed_in(client_for, jti_staff)
    client.post(_url("allegation", allegation), {"legal_hold": "on"})
    client.post(
        reverse("integrity:record_delete", kwargs={"kind": "allegation", "public_id": allegation.public_id}),
        {"reason": "Old"},
    )
    assert not Allegation.objects.get(pk=allegation.pk).is_deleted


def _list(client, show="due", page=1):
    response = client.get(reverse("integrity:retention_list"), {"show": show, "page": page})
    assert response.status_code == 200
    return response.content.decode()


def test_retention_list_due_and_on_hold(jti_staff, client_for):
    today = timezone.localdate()
    past = today - timedelta(days=1)
    due = f.allegation(retention_until=past)
    due_claim = f.claim(retention_until=past)
    due_testing = f.testing_request(retention_until=past)
    f.disclosure_entry(retention_until=past, officer_name="Officer Due")
    future = f.allegation(retention_until=today + timedelta(days=10))
    held = f.allegation(retention_until=past, legal_hold=True)
    held_no_date = f.claim(legal_hold=True)
    deleted = f.allegation(retention_until=past, is_deleted=True)
    walled = f.claim(retention_until=past)
    walled.conflicted_users.add(jti_staff)
    client = signed_in(client_for, jti_staff)
    page = _list(client)
    for record in (due, due_claim):
        assert record.receipt_number in page
    assert due_testing.case_number in page
    assert "Officer Due" in page
    for record in (future, held, held_no_date, deleted, walled):
        assert record.receipt_number not in page
    assert "4 records" in page
    hold = _list(client, "hold")
    assert held.receipt_number in hold
    assert held_no_date.receipt_number in hold
    assert due.receipt_number not in hold
    # Listing deletes nothing.
    assert Allegation.objects.filter(pk=due.pk, is_deleted=False).exists()
    assert not AuditEntry.objects.filter(action="integrity.record.change").exists()


def test_retention_list_paginated_and_queries_constant(jti_staff, client_for, monkeypatch):
    monkeypatch.setattr("integrity.records.views_staff.PAGE_SIZE", 5)
    past = timezone.localdate() - timedelta(days=3)
    client = signed_in(client_for, jti_staff)
    f.allegation(retention_until=past)
    f.claim(retention_until=past)
    _list(client)
    with assert_max_queries(12):
        _list(client)
    for i in range(8):
        f.allegation(retention_until=past - timedelta(days=i))
        f.claim(retention_until=past)
        f.testing_request(retention_until=past)
        f.disclosure_entry(retention_until=past)
    with assert_max_queries(12):
        first = _list(client)
    assert "34 records" in first
    assert first.count('href="/staff/justice-training-integrity/records/') >= 5
    assert 'rel="next"' in first
    with assert_max_queries(12):
        last = _list(client, page=7)
    assert 'rel="prev"' in last
