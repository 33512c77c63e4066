"""Object rules of neighborhood concerns, persona by persona: the queue, the concern page and
each action."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from prosecution.concerns.models import Concern
from prosecution.concerns.tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

ACTIONS = {
    "staff_concern_status": {"status": Concern.Status.UNDER_REVIEW, "public_text": ""},
    "staff_concern_note": {"text": "Called the property manager."},
    "staff_concern_assign": {"me": "1"},
    "staff_concern_priority": {"priority": Concern.Priority.HIGH},
}
# Persona -> what the concern page (and each action) answers for a concern in `area_in`.
PAGE = {
    "resident": 302,
    "resident_user": 403,
    "outreach_staff": 403,
    "jti_staff": 403,
    "administrator": 403,
    "bureau_chief": 200,
    "community_prosecutor": 200,
    "prosecutor_other_area": 404,
    "cpu_supervisor": 200,
}
ACTION = {**PAGE, "bureau_chief": 403, "community_prosecutor": 302, "cpu_supervisor": 302}


@pytest.fixture
def in_area(area_in):
    concern = ConcernFactory(description="In area")
    concern.areas.set([area_in])
    return concern


@pytest.mark.parametrize(("persona", "expected"), PAGE.items())
def test_concern_page_by_persona(persona, expected, personas, client_for, in_area):
    response = client_for(personas[persona]).get(
        reverse("prosecution:staff_concern_detail", kwargs={"public_id": in_area.public_id})
    )
    assert response.status_code == expected
    if expected == 302:
        assert urlsplit(response["Location"]).path == reverse("account_login")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("persona", "expected"), ACTION.items())
def test_concern_action_by_persona(action, persona, expected, personas, client_for, in_area):
    before = Concern.objects.values().get(pk=in_area.pk)
    notes = in_area.updates.count()
    url = reverse(f"prosecution:{action}", kwargs={"public_id": in_area.public_id})
    response = client_for(personas[persona]).post(url, ACTIONS[action])
    assert response.status_code == expected
    changed = Concern.objects.values().get(pk=in_area.pk) != before or in_area.updates.count() != notes
    assert changed == (expected == 302 and persona != "resident")


def test_concern_action_get_is_405_inside_scope_and_404_outside(
    client_for, prosecutor_in_area, prosecutor_other_area, in_area
):
    url = reverse("prosecution:staff_concern_note", kwargs={"public_id": in_area.public_id})
    assert client_for(prosecutor_in_area).get(url).status_code == 405
    assert client_for(prosecutor_other_area).get(url).status_code == 404


def test_prosecutor_sees_concern_assigned_to_them_outside_their_areas(client_for, prosecutor_in_area, area_other):
    concern = ConcernFactory(assignee=prosecutor_in_area)
    concern.areas.set([area_other])
    url = reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id})
    assert client_for(prosecutor_in_area).get(url).status_code == 200
    response = client_for(prosecutor_in_area).post(
        reverse("prosecution:staff_concern_note", kwargs={"public_id": concern.public_id}), {"text": "Seen"}
    )
    assert response.status_code == 302


def test_unknown_concern_is_404(client_for, cpu_supervisor):
    url = reverse("prosecution:staff_concern_detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    assert client_for(cpu_supervisor).get(url).status_code == 404


@pytest.fixture
def three(area_in, area_other, prosecutor_in_area):
    mine = ConcernFactory(description="Mine elsewhere", assignee=prosecutor_in_area)
    mine.areas.set([area_other])
    here = ConcernFactory(description="Here")
    here.areas.set([area_in])
    there = ConcernFactory(description="There")
    there.areas.set([area_other])
    unplaced = ConcernFactory(description="Unplaced")
    return {"mine": mine, "here": here, "there": there, "unplaced": unplaced}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("community_prosecutor", {"mine", "here"}),
        ("prosecutor_other_area", {"mine", "there"}),
        ("cpu_supervisor", {"mine", "here", "there", "unplaced"}),
        ("bureau_chief", {"mine", "here", "there", "unplaced"}),
    ],
)
def test_queue_lists_only_concerns_in_scope(persona, visible, personas, client_for, three):
    response = client_for(personas[persona]).get(reverse("prosecution:staff_concern_list"))
    assert response.status_code == 200
    listed = {key for key, concern in three.items() if concern.tracking_code in response.content.decode()}
    assert listed == visible


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("resident", 302), ("resident_user", 403), ("outreach_staff", 403), ("administrator", 403)],
)
def test_queue_refuses_people_outside_the_unit(persona, expected, personas, client_for):
    response = client_for(personas[persona]).get(reverse("prosecution:staff_concern_list"))
    assert response.status_code == expected
