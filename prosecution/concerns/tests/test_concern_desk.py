"""The staff concern page as one screen: one action panel (its tabs open without JavaScript) and
one history of everything that happened, newest first, with who and when; the history rows of
priority, assignment and photo changes (staff only)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from prosecution.concerns import selectors, services_desk, services_record
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import ConcernFactory, ConcernPhotoFactory

pytestmark = pytest.mark.django_db

PANEL = re.compile(r"<div id=\"panel-(\w+)\" data-action-panel-for=\"\w+\"( hidden)?>")


def _url(concern: Concern, name: str = "staff_concern_detail") -> str:
    return reverse(f"prosecution:{name}", kwargs={"public_id": concern.public_id})


def _panels(body: str) -> dict[str, bool]:
    """Each tab panel of the page: whether it is shown."""
    return {name: not hidden for name, hidden in PANEL.findall(body)}


def _history(body: str) -> str:
    return body[body.index('id="history-heading"') :]


def test_one_action_panel_and_a_history_with_priority_and_assignment_changes(
    client_for, prosecutor_in_area, cpu_supervisor, area_in
):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    ConcernPhotoFactory(concern=concern)
    client = client_for(prosecutor_in_area)
    assert client.post(_url(concern, "staff_concern_priority"), {"priority": "high"}).status_code == 302
    assert client.post(_url(concern, "staff_concern_assign"), {"me": "1"}).status_code == 302
    client.post(_url(concern, "staff_concern_status"), {"status": "under_review", "public_text": "We are on it."})
    client.post(_url(concern, "staff_concern_note"), {"text": "Called the landlord"})
    body = client.get(_url(concern)).content.decode()
    assert len(re.findall(r"data-action-panel[\s>]", body)) == 1
    panels = _panels(body)
    assert {"status", "assign", "priority", "note", "merge", "photos", "record"} <= set(panels)
    assert [name for name, shown in panels.items() if shown] == ["status"]
    history = _history(body)
    me = prosecutor_in_area.full_name or prosecutor_in_area.email
    newest_first = [
        "Internal note",
        "Called the landlord",
        "Status: Received → Under review",
        "We are on it.",
        f"Assigned to {me}",
        "Priority: Normal → High",
        "Report received",
    ]
    positions = [history.find(text) for text in newest_first]
    assert -1 not in positions, dict(zip(newest_first, positions, strict=True))
    assert positions == sorted(positions)
    assert history.count(f"· {me}") == 4  # who did each of the four


@pytest.mark.parametrize(
    ("query", "post", "shown"),
    [
        ({}, None, "status"),
        ({"action": "merge"}, None, "merge"),
        ({"action": "record"}, None, "record"),
        ({"action": "no-such-tab"}, None, "status"),
        ({}, ("staff_concern_priority", {"priority": "urgent"}), "priority"),
        ({}, ("staff_concern_merge", {"original_code": "NOSUCH99"}), "merge"),
    ],
)
def test_the_open_tab_follows_the_link_or_the_refused_form(client_for, cpu_supervisor, query, post, shown):
    concern = ConcernFactory()
    client = client_for(cpu_supervisor)
    if post is None:
        response = client.get(_url(concern), query)
        assert response.status_code == 200
    else:
        response = client.post(_url(concern, post[0]), post[1])
        assert response.status_code == 400
    panels = _panels(response.content.decode())
    assert [name for name, on in panels.items() if on] == [shown]
    assert len(panels) > 1


def test_priority_owner_and_photo_changes_are_recorded_for_staff_only(
    client_for, cpu_supervisor, prosecutor_in_area, area_in
):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    photo = ConcernPhotoFactory(concern=concern)
    services_desk.concern_set_priority(concern=concern, priority="normal", actor=cpu_supervisor)  # no change
    services_desk.concern_set_priority(concern=concern, priority="low", actor=cpu_supervisor)
    services_desk.concern_assign(concern=concern, assignee=prosecutor_in_area, actor=cpu_supervisor)
    services_desk.concern_assign(concern=concern, assignee=prosecutor_in_area, actor=cpu_supervisor)  # no change
    services_desk.concern_assign(concern=concern, assignee=None, actor=cpu_supervisor)
    services_record.concern_photo_set_hidden(photo=photo, hidden=True, actor=cpu_supervisor)
    # Moved to where nobody works: routed again (to no one), so nothing changes hands.
    services_record.concern_relocate(concern=concern, address="Elsewhere", actor=cpu_supervisor)
    rows = [(u.kind, u.change, u.author) for u in concern.updates.order_by("created_at", "id")]
    name = prosecutor_in_area.full_name or prosecutor_in_area.email
    assert rows == [
        ("priority", {"from": "normal", "to": "low"}, cpu_supervisor),
        ("assignment", {"from": "", "to": name}, cpu_supervisor),
        ("assignment", {"from": name, "to": ""}, cpu_supervisor),
        ("photo", {"photo": 1, "change": "hidden"}, cpu_supervisor),
    ]
    assert selectors.concern_public_updates(concern=concern) == []
    track = client_for(None).get(reverse("prosecution:concern_track", args=[concern.tracking_code]))
    assert name not in track.content.decode()
    history = _history(client_for(cpu_supervisor).get(_url(concern)).content.decode())
    shown = ("Priority: Normal → Low", f"Assigned to {name}", "Unassigned", "Photo 1: Photo hidden from the public")
    for text in shown:
        assert text in history, text
    assert ConcernUpdate.objects.filter(concern=concern, kind__in=ConcernUpdate.PUBLIC_KINDS).count() == 0
