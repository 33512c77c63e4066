"""Workflows, deadlines, reminders, aggregates and query counts of the confidential records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from integrity.records import (
    selectors,
    services,
    services_allegations,
    services_claims,
    services_disclosure,
    services_testing,
)
from integrity.records.models import Allegation, Claim, RecordDeadline, RecordStep, TestingRequest
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.models import OutboundEmail
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def test_allegation_workflow_and_refusals(jti_staff):
    allegation = services_allegations.allegation_submit(description="x", complainant_email="a@example.org")
    with pytest.raises(ValidationError):
        services_allegations.allegation_advance(allegation=allegation, to_status="finding", actor=jti_staff)
    services_allegations.allegation_advance(allegation=allegation, to_status="review", actor=jti_staff)
    services_allegations.allegation_advance(allegation=allegation, to_status="investigation", actor=jti_staff)
    with pytest.raises(ValidationError):
        services_allegations.allegation_advance(
            allegation=allegation, to_status="finding", actor=jti_staff, finding="x"
        )
    services_allegations.allegation_advance(
        allegation=allegation, to_status="finding", actor=jti_staff, finding="not_sustained"
    )
    with pytest.raises(ValidationError):
        services_allegations.allegation_advance(allegation=allegation, to_status="closed", actor=jti_staff)
    services_allegations.allegation_advance(
        allegation=allegation, to_status="closed", actor=jti_staff, response_text="We reviewed your report."
    )
    allegation.refresh_from_db()
    assert allegation.status == "closed"
    assert allegation.finding == "not_sustained"
    assert allegation.responded_at
    steps = list(RecordStep.objects.filter(record_id=allegation.pk).values_list("step", flat=True))
    assert steps == ["received", "review", "investigation", "finding", "closed"]
    assert OutboundEmail.objects.filter(template="integrity/allegation_response", to="a@example.org").count() == 1
    # The review deadline was met when review began.
    assert RecordDeadline.objects.get(record_id=allegation.pk, label="Review").met_at is not None


def test_court_referral_tracked(jti_staff, client_for):
    allegation = f.allegation()
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:allegation_referral", kwargs={"public_id": allegation.public_id})
    client.post(url, {"court": "Superior Court", "referred_on": "2026-05-01", "reference": "R-1"})
    assert allegation.court_referrals.get().reference == "R-1"


def test_claim_screening_investigation_and_disposition(jti_staff, jti_chief):
    criteria = f.criteria()
    claim = f.claim()
    with pytest.raises(ValidationError):
        services_claims.claim_screen(claim=claim, answers={criteria[0].code: True}, actor=jti_staff)
    assert services_claims.claim_screen(claim=claim, answers={c.code: True for c in criteria}, actor=jti_staff)
    claim.conflicted_users.add(jti_chief)
    with pytest.raises(ValidationError):
        services_claims.claim_assign(claim=claim, investigator=jti_chief, actor=jti_staff)
    services_claims.claim_assign(claim=claim, investigator=jti_staff, actor=jti_staff)
    services_claims.claim_review_note_add(claim=claim, reviewer="Innocence clinic", note="Agree", actor=jti_staff)
    with pytest.raises(ValidationError):
        services_claims.claim_dispose(claim=claim, disposition="declined", actor=jti_staff)
    services_claims.claim_dispose(claim=claim, disposition="motion_to_vacate", actor=jti_staff)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DISPOSED
    assert claim.disposition == "motion_to_vacate"
    with pytest.raises(ValidationError):
        services_claims.claim_dispose(claim=claim, disposition="exoneration", actor=jti_staff)


@time_machine.travel(date(2026, 3, 5), tick=False)
def test_pc1405_deadline_is_computed_from_the_rule_in_force(jti_staff):
    """Served on the AG on Monday 2 March 2026 and on the DA on Wednesday 4 March: 90 days
    after the later is Tuesday 2 June 2026 (Pen. Code § 1405, rules registry)."""
    testing = services_testing.pc1405_request_create(
        petitioner="P",
        case_number="C",
        court="Court",
        served_ag_on=date(2026, 3, 2),
        served_da_on=date(2026, 3, 4),
        actor=jti_staff,
    )
    assert testing.served_on == date(2026, 3, 4)
    assert testing.response_due == date(2026, 6, 2)
    assert testing.response_rule.code == "pc1405-response"
    deadlines = RecordDeadline.objects.filter(record_id=testing.pk, record_type="integrity.testingrequest")
    assert {d.due_on for d in deadlines} == {date(2026, 6, 2)}
    reminders = sorted(d.remind_on for d in deadlines if d.label == "Response")
    assert reminders == [date(2026, 5, 3), date(2026, 5, 19), date(2026, 5, 26), date(2026, 5, 31), date(2026, 6, 2)]
    overdue = deadlines.get(label="Response overdue")
    assert overdue.remind_on == date(2026, 6, 3)
    assert overdue.remind_to_id is None  # the JTI Chief is told


def test_pc1405_steps(jti_staff):
    testing = f.testing_request()
    with pytest.raises(ValidationError):
        services_testing.pc1405_request_advance(request=testing, to_status="ordered", actor=jti_staff)
    services_testing.pc1405_request_advance(request=testing, to_status="response_filed", actor=jti_staff)
    with pytest.raises(ValidationError):
        services_testing.pc1405_request_advance(request=testing, to_status="ordered", actor=jti_staff)
    services_testing.pc1405_request_advance(
        request=testing, to_status="ordered", actor=jti_staff, order_summary="DNA testing ordered"
    )
    services_testing.pc1405_request_advance(request=testing, to_status="testing", actor=jti_staff, lab="State lab")
    services_testing.pc1405_request_advance(request=testing, to_status="result", actor=jti_staff, result="Excluded")
    testing.refresh_from_db()
    assert testing.status == TestingRequest.Status.RESULT
    assert testing.lab == "State lab"
    assert testing.court_orders.get().summary == "DNA testing ordered"


def test_reminders_are_sent_once(jti_staff, jti_chief):
    testing = f.testing_request()
    today = timezone.localdate()
    RecordDeadline.objects.create(
        record_type="integrity.testingrequest", record_id=testing.pk, label="Response", due_on=today, remind_on=today
    )
    RecordDeadline.objects.create(
        record_type="integrity.testingrequest",
        record_id=testing.pk,
        label="Later",
        due_on=today + timedelta(days=30),
        remind_on=today + timedelta(days=20),
    )
    assert services.record_deadline_reminders_send() == 1
    assert services.record_deadline_reminders_send() == 0
    emails = OutboundEmail.objects.filter(template="integrity/record_deadline")
    assert list(emails.values_list("to", flat=True)) == [jti_chief.email]


def test_disclosure_index_reconsideration_and_log(jti_staff):
    entry = f.disclosure_entry()
    services_disclosure.disclosure_log_add(
        entry=entry, case_number="24F1", disclosed_on=date(2026, 1, 2), disclosed_to="PD", actor=jti_staff
    )
    with pytest.raises(ValidationError):
        services_disclosure.disclosure_reconsider(entry=entry, decision="removed", text="", actor=jti_staff)
    services_disclosure.disclosure_reconsider(entry=entry, decision="pending", text="", actor=jti_staff)
    services_disclosure.disclosure_reconsider(entry=entry, decision="removed", text="Not credible", actor=jti_staff)
    entry.refresh_from_db()
    assert not entry.is_active
    assert entry.reconsideration_decision == "Not credible"
    with pytest.raises(ValidationError):
        services_disclosure.disclosure_log_add(
            entry=entry, case_number="24F2", disclosed_on=date(2026, 2, 2), disclosed_to="PD", actor=jti_staff
        )
    assert entry.disclosures.count() == 1


def test_aggregates_suppress_small_counts(client):
    for _i in range(6):
        f.allegation(status=Allegation.Status.RECEIVED)
    for _i in range(2):
        f.allegation(status=Allegation.Status.CLOSED, finding="sustained")
    f.allegation(status=Allegation.Status.RECEIVED, is_deleted=True)
    data = selectors.public_aggregates()
    year = data["sections"][0]["years"][0]
    assert year["total"] == 8
    assert not year["total_suppressed"]
    status = {c.label: c for c in year["groups"][0]["cells"]}
    assert status["Closed (complainant answered)"].suppressed
    # Only one small cell: the next smallest is hidden too, so subtraction reveals nothing.
    assert status["Received"].suppressed
    response = client.get(reverse("integrity:records_transparency"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "fewer than 5" in page
    assert ">2<" not in page.replace(" ", "")
    assert ">6<" not in page.replace(" ", "")


def test_aggregates_page_in_the_sitemap_both_languages(client):
    body = client.get("/sitemap.xml").content.decode()
    assert "integrity-reviews-in-numbers" in body
    assert 'hreflang="es"' in body


def test_transparency_page_queries_are_constant(client):
    for _i in range(3):
        f.allegation()
        f.claim()
        f.testing_request()
    with assert_max_queries(8):
        client.get(reverse("integrity:records_transparency"))
    for _i in range(20):
        f.allegation(finding="unfounded")
        f.claim(disposition="declined")
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    with assert_max_queries(8):
        assert client.get(reverse("integrity:records_transparency")).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["integrity:allegation_list", "integrity:claim_list", "integrity:testing_list", "integrity:disclosure_list"],
)
def test_staff_lists_queries_constant(name, jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    for _i in range(2):
        f.allegation()
        f.claim()
        f.testing_request()
        f.disclosure_entry()
    client.get(reverse(name))
    with assert_max_queries(12):
        assert client.get(reverse(name)).status_code == 200
    for _i in range(15):
        f.allegation(assigned_to=jti_staff)
        f.claim(investigator=jti_staff)
        f.testing_request()
        f.disclosure_log(f.disclosure_entry())
    with assert_max_queries(12):
        assert client.get(reverse(name)).status_code == 200


def test_detail_pages_queries_constant(jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    allegation = f.allegation()
    url = reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})
    # 13: the page reads the retention schedule in force, once.
    with assert_max_queries(13):
        assert client.get(url).status_code == 200
    for i in range(10):
        services_allegations.court_referral_add(
            allegation=allegation, court=f"Court {i}", referred_on=date(2026, 1, 1), actor=jti_staff
        )
    with assert_max_queries(13):
        assert client.get(url).status_code == 200
