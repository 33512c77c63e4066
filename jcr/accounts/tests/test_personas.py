"""The personas of conftest.py are what they claim to be, and the staff pages admit exactly
the roles that hold each unit's permission (the seed of the authorization matrix)."""

from __future__ import annotations

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.urls import reverse

from conftest import PERSONA_NAMES, ROLE_PERSONAS

pytestmark = pytest.mark.django_db

UNIT_PAGES = {
    "outreach:staff_landing": {"bureau_chief", "outreach_staff", "outreach_supervisor"},
    "prosecution:staff_landing": {"bureau_chief", "community_prosecutor", "prosecutor_other_area", "cpu_supervisor"},
    "govrelations:staff_landing": {"bureau_chief", "gr_analyst", "gr_supervisor"},
    "integrity:staff_landing": {"jti_staff", "jti_chief"},
}


def test_personas_hold_their_roles_and_a_second_factor(personas):
    assert personas["resident"] is None
    assert personas["resident_user"].is_staff is False
    assert not is_mfa_enabled(personas["resident_user"])
    for name, role in ROLE_PERSONAS.items():
        user = personas[name]
        assert user.is_staff, name
        assert list(user.groups.values_list("name", flat=True)) == [role], name
        assert is_mfa_enabled(user), name
    assert len({u.pk for u in personas.values() if u is not None}) == len(PERSONA_NAMES) - 1


def test_prosecutors_work_different_areas(community_prosecutor, prosecutor_other_area, area_in, area_other):
    assert list(community_prosecutor.assigned_areas.all()) == [area_in]
    assert list(prosecutor_other_area.assigned_areas.all()) == [area_other]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("page", sorted(UNIT_PAGES))
def test_unit_staff_pages_by_persona(page, persona, personas, client_for):
    response = client_for(personas[persona]).get(reverse(page))
    if persona == "resident":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (200 if persona in UNIT_PAGES[page] else 403)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_dashboard_by_persona(persona, personas, client_for):
    response = client_for(personas[persona]).get(reverse("core:dashboard"))
    expected = {"resident": 302, "resident_user": 403}.get(persona, 200)
    assert response.status_code == expected
