"""The MCLE rule set and compliance groups are data edited in admin, with validation, by the
JTI Chief (once given the admin site) and administrators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

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


def test_rule_set_minimum_above_total_refused(client_for, chief_admin):
    url = reverse("admin:integrity_mcleruleset_add")
    response = client_for(chief_admin).post(url, _rule_set_data(**_minimums(("ethics", "11"))))
    assert response.status_code == 200
    assert "above the hours per period" in response.content.decode()
    assert not MCLERuleSet.objects.filter(name="Draft rules").exists()


def test_rule_set_minimums_together_above_total_refused(client_for, chief_admin):
    url = reverse("admin:integrity_mcleruleset_add")
    data = _rule_set_data(**_minimums(("ethics", "6"), ("competence", "5")))
    response = client_for(chief_admin).post(url, data)
    assert response.status_code == 200
    assert "minimums together are above" in response.content.decode()
    assert not MCLERuleSet.objects.filter(name="Draft rules").exists()


def test_rule_set_self_study_cap_above_total_refused(client_for, chief_admin):
    url = reverse("admin:integrity_mcleruleset_add")
    response = client_for(chief_admin).post(url, _rule_set_data(self_study_max="12"))
    assert response.status_code == 200
    assert "self-study maximum cannot be above" in response.content.decode()


def test_second_current_rule_set_refused(client_for, chief_admin):
    assert MCLERuleSet.objects.filter(is_current=True).exists()  # seeded
    url = reverse("admin:integrity_mcleruleset_add")
    response = client_for(chief_admin).post(url, _rule_set_data(is_current="on"))
    assert response.status_code == 200
    assert "Another rule set is current" in response.content.decode()
    assert MCLERuleSet.objects.filter(is_current=True).count() == 1


def test_valid_rule_set_saved_and_audited(client_for, chief_admin):
    url = reverse("admin:integrity_mcleruleset_add")
    data = _rule_set_data(**_minimums(("ethics", "4"), ("bias", "2"), ("implicit_bias", "1")))
    response = client_for(chief_admin).post(url, data)
    assert response.status_code == 302
    rule_set = MCLERuleSet.objects.get(name="Draft rules")
    assert dict(rule_set.minimums.values_list("category", "hours")) == {
        "ethics": Decimal("4.00"),
        "bias": Decimal("2.00"),
        "implicit_bias": Decimal("1.00"),
    }
    assert AuditEntry.objects.filter(action="admin.add", object_id=str(rule_set.pk)).exists()


def test_lowering_the_total_below_existing_minimums_refused(client_for, chief_admin):
    rule_set = MCLERuleSet.objects.get(is_current=True)
    minimums = list(rule_set.minimums.order_by("pk"))
    data = _rule_set_data(
        name=rule_set.name,
        hours_per_period="3",
        self_study_max="1",
        is_current="on",
        **{"minimums-TOTAL_FORMS": str(len(minimums)), "minimums-INITIAL_FORMS": str(len(minimums))},
    )
    for i, m in enumerate(minimums):
        data |= {
            f"minimums-{i}-id": str(m.pk),
            f"minimums-{i}-rule_set": str(rule_set.pk),
            f"minimums-{i}-category": m.category,
            f"minimums-{i}-hours": str(m.hours),
        }
    url = reverse("admin:integrity_mcleruleset_change", args=[rule_set.pk])
    response = client_for(chief_admin).post(url, data)
    assert response.status_code == 200
    assert "above the hours per period" in response.content.decode()
    rule_set.refresh_from_db()
    assert rule_set.hours_per_period == Decimal("25")


def test_single_minimum_form_checks_the_rule_set(client_for, administrator):
    rule_set = MCLERuleSet.objects.get(is_current=True)
    ethics = MCLECategoryMinimum.objects.get(rule_set=rule_set, category="ethics")
    url = reverse("admin:integrity_mclecategoryminimum_change", args=[ethics.pk])
    response = client_for(administrator).post(url, {"rule_set": rule_set.pk, "category": "ethics", "hours": "30"})
    assert response.status_code == 200
    ethics.refresh_from_db()
    assert ethics.hours == Decimal("4")


def test_compliance_group_deadline_edited_and_marked_verified(client_for, chief_admin):
    group = ComplianceGroup.objects.get(number=3)
    client = client_for(chief_admin)
    page = client.get(reverse("admin:integrity_compliancegroup_change", args=[group.pk])).content.decode()
    assert "disagree" in page
    response = client.post(
        reverse("admin:integrity_compliancegroup_change", args=[group.pk]),
        {"number": "3", "period_end": "2027-02-28", "deadline_verified": "on"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.period_end, group.deadline_verified) == (date(2027, 2, 28), True)


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
