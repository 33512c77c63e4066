"""PC 1405 requests on the staff pages: staff enter the dates the motion was served on the
Attorney General and on the district attorney and whether the briefing time was requested; the
due date and its rule come from the rules registry (integrity.rules), shown with the rule's
citation and when it was last verified; no rule in force is said on the form."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from integrity.records.models import RecordDeadline, TestingRequest
from integrity.records.tests.test_records_access import signed_in
from integrity.rules import services as rules_services
from integrity.rules.models import LegalRule
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_staff_enter_service_dates_and_see_the_rule_beside_the_due_date(jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    page = client.get(reverse("integrity:testing_new")).content.decode()
    assert 'name="rule"' not in page, "staff never pick a rule"
    assert 'name="response_due"' not in page, "nor type the date"
    response = client.post(
        reverse("integrity:testing_new"),
        {
            "petitioner": "Chris Poe",
            "case_number": "05F09876",
            "court": "Superior Court",
            "served_ag_on": "2026-03-09",
            "served_da_on": "2026-03-06",
            "briefing_extension": "on",
        },
    )
    assert response.status_code == 302
    testing = TestingRequest.objects.get(case_number="05F09876")
    assert testing.response_due == date(2026, 8, 6)
    assert testing.response_rule.version == 2
    assert testing.extension_rule.code == "pc1405-briefing-extension"
    detail = client.get(response["Location"]).content.decode()
    assert "Pen. Code § 1405, subd. (d)(2)" in detail
    assert "not verified yet" in detail
    assert "leginfo.legislature.ca.gov" in detail
    assert AuditEntry.objects.filter(action="integrity.record.view", object_id=str(testing.public_id)).exists()


def test_a_verified_rule_says_when(jti_staff, jti_chief, client_for):
    rule = LegalRule.objects.get(code="pc1405-response", effective_to__isnull=True)
    rules_services.rule_version_create(
        previous=rule,
        effective_from=date(2026, 1, 1),
        actor=jti_chief,
        verified_by=jti_chief,
        verified_on=date(2026, 2, 1),
    )
    client = signed_in(client_for, jti_staff)
    client.post(
        reverse("integrity:testing_new"),
        {
            "petitioner": "P",
            "case_number": "C1",
            "court": "Court",
            "served_ag_on": "2026-03-09",
            "served_da_on": "2026-03-09",
        },
    )
    testing = TestingRequest.objects.get(case_number="C1")
    detail = client.get(reverse("integrity:testing_detail", kwargs={"public_id": testing.public_id})).content.decode()
    assert "last verified on" in detail


def test_no_rule_in_force_is_said_on_the_form(jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    response = client.post(
        reverse("integrity:testing_new"),
        {
            "petitioner": "P",
            "case_number": "C2",
            "court": "Court",
            "served_ag_on": "1999-03-09",
            "served_da_on": "1999-03-09",
        },
    )
    assert response.status_code == 200
    assert "pc1405-response" in response.content.decode()
    assert not TestingRequest.objects.filter(case_number="C2").exists()
    assert not RecordDeadline.objects.exists()
