"""The MCLE rule set and compliance groups are data edited in admin, with validation, by the
JTI Chief (once given the admin site) and administrators. The rule set is versioned: an edit
is a new version from a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from integrity.training import mcle
from integrity.training.models import ComplianceGroup, MCLECategoryMinimum, MCLERuleSet
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief_admin(jti_chief):
    """The JTI Chief with the admin site opened to them (granted elsewhere, by role)."""
    jti_chief.user_permissions.add(Permission.objects.get(codename="access_admin_site"))
    return jti_chief


def _rule_set_data(**overrides) -> dict:
    data = {
        "name": "Draft rules",
        "effective_from": "2025-01-01",
        "hours_per_period": "10",
        "period_years": "3",
        "self_study_max": "5",
        "minimums-TOTAL_FORMS": "0",
        "minimums-INITIAL_FORMS": "0",
        "minimums-MIN_NUM_FORMS": "0",
        "minimums-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def _minimums(*rows) -> dict:
    data = {"minimums-TOTAL_FORMS": str(len(rows))}
    for i, (category, hours) in enumerate(rows):
        data[f"minimums-{i}-category"] = category
        data[f"minimums-{i}-hours"] = hours
    return data


def _change_data(rule_set, *, minimums: dict | None = None, **overrides) -> dict:
    """The change form of `rule_set` as posted: its own values, `minimums` (category -> hours;
    a category left out is deleted) and `overrides`."""
    existing = list(rule_set.minimums.order_by("pk"))
    minimums = {m.category: str(m.hours) for m in existing} if minimums is None else minimums
    data = {
        "name": rule_set.name,
        "citation": rule_set.citation,
        "official_url": rule_set.official_url,
        "hours_per_period": str(rule_set.hours_per_period),
        "period_years": str(rule_set.period_years),
        "self_study_max": str(rule_set.self_study_max),
        "verified_by": "",
        "verified_on": "",
        "new_version_from": "2026-07-01",
        "minimums-INITIAL_FORMS": str(len(existing)),
        "minimums-MIN_NUM_FORMS": "0",
        "minimums-MAX_NUM_FORMS": "1000",
    }
    new = [c for c in minimums if c not in {m.category for m in existing}]
    for i, m in enumerate(existing):
        data |= {f"minimums-{i}-id": str(m.pk), f"minimums-{i}-rule_set": str(rule_set.pk)}
        data |= {f"minimums-{i}-category": m.category, f"minimums-{i}-hours": minimums.get(m.category, str(m.hours))}
        if m.category not in minimums:
            data[f"minimums-{i}-DELETE"] = "on"
    for j, category in enumerate(new, start=len(existing)):
        data |= {f"minimums-{j}-category": category, f"minimums-{j}-hours": minimums[category]}
    data["minimums-TOTAL_FORMS"] = str(len(existing) + len(new))
    return data | overrides


def _in_force():
    return MCLERuleSet.objects.get(effective_to__isnull=True)


def test_minimums_problems():
    D = Decimal
    assert mcle.minimums_problems(hours_per_period=D("25"), minimums={"ethics": D("4"), "bias": D("2")}) == []
    assert ("over", "ethics") in mcle.minimums_problems(hours_per_period=D("3"), minimums={"ethics": D("4")})
    assert ("sum", "") in mcle.minimums_problems(
        hours_per_period=D("5"), minimums={"ethics": D("4"), "competence": D("2")}
    )
    # Implicit bias is within elimination of bias: 4 + 1 of 5 is fine.
    assert mcle.minimums_problems(hours_per_period=D("5"), minimums={"ethics": D("4"), "bias": D("1"),
                                                                     "implicit_bias": D("1")}) == []  # fmt: skip
    assert ("implicit", "implicit_bias") in mcle.minimums_problems(
        hours_per_period=D("25"), minimums={"bias": D("1"), "implicit_bias": D("2")}
    )


def test_chief_holds_the_training_admin_permissions(jti_chief):
    for codename in (
        "view_mcleruleset",
        "add_mcleruleset",
        "change_mcleruleset",
        "add_mclecategoryminimum",
        "change_mclecategoryminimum",
        "delete_mclecategoryminimum",
        "view_compliancegroup",
        "add_compliancegroup",
        "change_compliancegroup",
        "delete_compliancegroup",
    ):
        assert jti_chief.has_perm(f"integrity.{codename}"), codename


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"minimums": {"ethics": "26"}}, "above the hours per period"),
        ({"minimums": {"ethics": "20", "competence": "6"}}, "minimums together are above"),
        ({"self_study_max": "30"}, "self-study maximum cannot be above"),
        ({"name": "Renamed", "new_version_from": ""}, "Say from which date"),
        ({"name": "Renamed", "new_version_from": "2024-06-01"}, "starts after the one it replaces"),
        ({}, "Nothing changed"),
    ],
    ids=["minimum-over-total", "minimums-sum", "self-study-cap", "no-date", "date-before", "no-change"],
)
def test_rule_set_change_refused(client_for, chief_admin, change, message):
    rule_set = _in_force()
    data = _change_data(rule_set, **change)
    url = reverse("admin:integrity_mcleruleset_change", args=[rule_set.pk])
    response = client_for(chief_admin).post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MCLERuleSet.objects.count() == 2
    assert _in_force().pk == rule_set.pk


def test_rule_set_edit_in_admin_creates_a_version(client_for, chief_admin):
    """Saving a change never edits the version: a new one from the date given, the previous
    ends the day before, the minimums are copied with the change, the history names the
    fields changed (not their values), and the past version can no longer be changed."""
    previous = _in_force()
    minimums = {m.category: str(m.hours) for m in previous.minimums.all()} | {"ethics": "5"}
    data = _change_data(previous, minimums=minimums, verified_on="2026-06-15", new_version_from="2026-07-01")
    client = client_for(chief_admin)
    response = client.post(reverse("admin:integrity_mcleruleset_change", args=[previous.pk]), data)
    assert response.status_code == 302
    previous.refresh_from_db()
    created = _in_force()
    assert (previous.effective_to, previous.version) == (date(2026, 6, 30), 1)
    assert (created.version, created.effective_from, created.verified_by) == (2, date(2026, 7, 1), chief_admin)
    assert {m.category: m.hours for m in created.minimums.all()}["ethics"] == Decimal("5")
    assert {m.category: m.hours for m in previous.minimums.all()}["ethics"] == Decimal("4")
    entry = AuditEntry.objects.get(action="integrity.training.mcle_rules_version")
    assert entry.after == {"version": 2, "fields": ["verified_by", "verified_on", "minimums"]}
    assert "2026-06-15" not in str(entry.before) + str(entry.after)
    past = client.post(reverse("admin:integrity_mcleruleset_change", args=[previous.pk]), _change_data(previous))
    assert past.status_code == 403


def test_rule_set_added_only_when_none_is_in_force(client_for, chief_admin):
    client = client_for(chief_admin)
    url = reverse("admin:integrity_mcleruleset_add")
    assert client.get(url).status_code == 403  # the seeded version is in force: change it instead
    MCLERuleSet.objects.filter(effective_to__isnull=True).update(effective_to=date(2025, 6, 30))
    data = _rule_set_data(effective_from="2025-07-01", **_minimums(("ethics", "4"), ("bias", "2")))
    assert client.post(url, data).status_code == 302
    rule_set = MCLERuleSet.objects.get(name="Draft rules")
    assert (rule_set.version, rule_set.effective_to) == (2, None)
    assert dict(rule_set.minimums.values_list("category", "hours")) == {"ethics": Decimal("4"), "bias": Decimal("2")}


def test_minimums_read_only_apart_from_their_version(client_for, administrator):
    ethics = MCLECategoryMinimum.objects.get(rule_set=_in_force(), category="ethics")
    url = reverse("admin:integrity_mclecategoryminimum_change", args=[ethics.pk])
    response = client_for(administrator).post(url, {"rule_set": ethics.rule_set_id, "category": "ethics", "hours": "3"})
    assert response.status_code == 403
    ethics.refresh_from_db()
    assert ethics.hours == Decimal("4")


def test_compliance_group_deadline_change_is_a_new_version(client_for, chief_admin):
    group = ComplianceGroup.objects.get(number=3)
    client = client_for(chief_admin)
    page = client.get(reverse("admin:integrity_compliancegroup_change", args=[group.pk])).content.decode()
    assert "disagree" in page
    response = client.post(
        reverse("admin:integrity_compliancegroup_change", args=[group.pk]),
        {"period_end": "2027-02-28", "deadline_verified": "on"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    closed = (group.period_end, group.deadline_verified, group.effective_to)
    assert closed == (date(2027, 1, 31), False, timezone.localdate())
    current = ComplianceGroup.objects.get(number=3, effective_to__isnull=True)
    assert (current.version, current.period_end, current.deadline_verified) == (2, date(2027, 2, 28), True)
    assert current.verified_by == chief_admin
    entry = AuditEntry.objects.get(action="integrity.training.mcle_group_version")
    assert entry.after == {"version": 2, "fields": ["deadline_verified", "period_end", "verified_by"]}
    past = client.post(reverse("admin:integrity_compliancegroup_change", args=[group.pk]), {"period_end": "2027-03-31"})
    assert past.status_code == 403


def test_compliance_group_can_be_removed_by_the_chief(client_for, chief_admin):
    group = ComplianceGroup.objects.get(number=3)
    url = reverse("admin:integrity_compliancegroup_delete", args=[group.pk])
    assert client_for(chief_admin).post(url, {"post": "yes"}).status_code == 302
    assert not ComplianceGroup.objects.filter(number=3).exists()


def test_mcle_record_entered_from_the_state_bar_record(client_for, chief_admin):
    """The JTI Chief records a person's State Bar group; an attorney needs a bar number; "not
    an attorney" needs none."""
    from integrity.training.models import MCLEProfile
    from jcr.accounts.tests.factories import StaffFactory

    deputy, clerk = StaffFactory(full_name="Robert Hale Jr."), StaffFactory()
    client = client_for(chief_admin)
    url = reverse("admin:integrity_mcleprofile_add")
    refused = client.post(url, {"user": deputy.pk, "status": "2", "bar_number": "", "admitted_on": ""})
    assert refused.status_code == 200
    assert not MCLEProfile.objects.exists()
    ok = client.post(url, {"user": deputy.pk, "status": "2", "bar_number": "287654", "admitted_on": "2012-12-03"})
    assert ok.status_code == 302
    assert MCLEProfile.objects.get(user=deputy).group_number == 2  # the record decides, not "Jr."
    assert client.post(url, {"user": clerk.pk, "status": "not_attorney", "bar_number": ""}).status_code == 302
    assert not MCLEProfile.objects.get(user=clerk).is_attorney
