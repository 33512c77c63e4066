"""The registry's versions: never edited in place, a change is a new version from its
effective date (the previous one ends the day before), audited by field name; only the JTI
Chief changes rules or holidays (the PC 1405 pages that show them are tested in
integrity/records/tests/test_records_pc1405.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from integrity.rules import selectors, services
from integrity.rules.models import LegalRule, parameters_check
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/admin/integrity/legalrule/"


def _current(code="pc1405-response") -> LegalRule:
    return LegalRule.objects.get(code=code, effective_to__isnull=True)


def _form(rule: LegalRule, **changes) -> dict:
    data = {
        "name": rule.name,
        "citation": rule.citation,
        "official_url": rule.official_url,
        "parameters": json.dumps(rule.parameters),
        "verified_by": "",
        "verified_on": "",
        "notes": rule.notes,
        "new_version_from": "",
        "_save": "Save",
    }
    return data | changes


def test_admin_edit_creates_a_version_and_closes_the_previous(jti_chief, client_for):
    rule = _current()
    client = client_for(jti_chief)
    params = rule.parameters | {"days": 120}
    response = client.post(
        f"{URL}{rule.pk}/change/",
        _form(rule, parameters=json.dumps(params), verified_on="2026-03-01", new_version_from="2026-04-01"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.days == 90, "the version in force is never edited"
    assert rule.effective_to == date(2026, 3, 31)
    new = _current()
    assert (new.version, new.days, new.effective_from, new.verified_on) == (3, 120, date(2026, 4, 1), date(2026, 3, 1))
    assert selectors.rule_in_force("pc1405-response", date(2026, 3, 31)).days == 90
    assert selectors.rule_in_force("pc1405-response", date(2026, 4, 1)).days == 120
    entry = AuditEntry.objects.get(action="integrity.legalrule.version")
    assert entry.actor_id == jti_chief.pk
    assert "parameters" in json.dumps(entry.after)
    assert "120" not in json.dumps(entry.after), "the audit names fields, not values"
    # A past version is history: read-only.
    page = client.get(f"{URL}{rule.pk}/change/").content.decode()
    assert 'name="citation"' not in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"new_version_from": ""}, "Say from which date"),
        ({"new_version_from": "2014-01-01"}, "starts after"),
        ({"new_version_from": "2026-04-01"}, "Nothing changed"),
        ({"new_version_from": "2026-04-01", "parameters": '{"days": 90, "count": "fortnights"}'}, "count"),
    ],
)
def test_admin_refuses_a_bad_version(jti_chief, client_for, changes, error):
    rule = _current()
    response = client_for(jti_chief).post(f"{URL}{rule.pk}/change/", _form(rule, **changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert LegalRule.objects.filter(code="pc1405-response").count() == 2


@pytest.mark.parametrize("persona", ["administrator", "jti_staff", "bureau_chief"])
def test_only_the_jti_chief_changes_rules(persona, request, client_for):
    user = request.getfixturevalue(persona)
    rule = _current()
    client = client_for(user)
    response = client.post(f"{URL}{rule.pk}/change/", _form(rule, notes="changed", new_version_from="2026-04-01"))
    assert response.status_code in (302, 403)
    assert LegalRule.objects.filter(code="pc1405-response").count() == 2
    assert client.get("/admin/integrity/judicialholiday/add/").status_code in (302, 403)


def test_the_service_refuses_to_follow_a_closed_version(jti_chief):
    old = LegalRule.objects.get(code="pc1405-response", version=1)
    with pytest.raises(ValidationError):
        services.rule_version_create(previous=old, effective_from=date(2026, 1, 1), actor=jti_chief, notes="x")


EXTENSION = {"days": 14, "count": "calendar", "from": "determination_period_end", "roll": False}


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"days": 0, "count": "calendar", "from": "filed"},
        {"days": 10, "count": "calendar", "from": "x"},
        {"d": 1},
        EXTENSION | {"reasons": []},
        EXTENSION | {"reasons": "field_facilities"},
        EXTENSION | {"reasons": ["field_facilities", "field_facilities"]},
        EXTENSION | {"reasons": ["Field facilities"]},
    ],
)
def test_parameters_are_checked(value):
    with pytest.raises(ValidationError):
        parameters_check(value)


def test_a_rule_may_list_the_reasons_it_allows():
    value = EXTENSION | {"reasons": ["field_facilities", "voluminous"]}
    assert parameters_check(value) == value
    assert "reasons" not in parameters_check(EXTENSION)
