"""The staff side of neighborhood concerns: the triage queue (filters, keyset pages, query
budget), the concern page and its actions (state, audit entries, e-mails)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jcr.core.models import AuditEntry, OutboundEmail
from prosecution.concerns import triage
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, ConcernPhotoFactory, QuestionFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

QUEUE = "prosecution:staff_concern_list"
CODES = re.compile(r'staff/community-prosecution/concerns/[0-9a-f-]{36}/">([A-Z0-9]{8})<')


def _codes(response) -> list[str]:
    return CODES.findall(response.content.decode())


def _concerns(n: int, *, area=None, start=None, **fields) -> list[Concern]:
    start = start or timezone.now()
    made = []
    for i in range(n):
        concern = ConcernFactory(**fields)
        # Some rows share a timestamp, so the id breaks ties between them.
        Concern.objects.filter(pk=concern.pk).update(created_at=start - timedelta(minutes=i // 3))
        if area is not None:
            concern.areas.add(area)
        made.append(concern)
    return made


def _url(concern: Concern, name: str = "staff_concern_detail") -> str:
    return reverse(f"prosecution:{name}", kwargs={"public_id": concern.public_id})


# --- Queue ---------------------------------------------------------------------------------
def test_queue_keyset_pages_cover_every_row_once_both_ways(client_for, cpu_supervisor):
    _concerns(123)
    expected = list(Concern.objects.order_by("-created_at", "-id").values_list("tracking_code", flat=True))
    client = client_for(cpu_supervisor)
    seen, pages, url = [], [], reverse(QUEUE) + "?sort=newest"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(url)
        seen += _codes(response)
        nxt = response.context["next_url"]
        url = reverse(QUEUE) + nxt if nxt else None
    assert len(pages) == 3
    assert seen == expected
    # Back from the last page with "previous" links: the same rows, page by page.
    back = []
    response = client.get(pages[-1])
    while True:
        back = _codes(response) + back
        prev = response.context["previous_url"]
        if not prev:
            break
        response = client.get(reverse(QUEUE) + prev)
    assert back == expected


def test_queue_oldest_first_keeps_filters_across_pages(client_for, cpu_supervisor):
    category = CategoryFactory()
    _concerns(55, category=category)
    _concerns(5)
    client = client_for(cpu_supervisor)
    response = client.get(reverse(QUEUE), {"category": category.code, "sort": "oldest"})
    first = _codes(response)
    assert len(first) == 50
    assert "category=" in response.context["next_url"]
    second = _codes(client.get(reverse(QUEUE) + response.context["next_url"]))
    expected = list(
        Concern.objects.filter(category=category).order_by("created_at", "id").values_list("tracking_code", flat=True)
    )
    assert first + second == expected


def test_queue_filters(client_for, prosecutor_in_area, cpu_supervisor, area_in):
    now = timezone.now()
    category = CategoryFactory()
    mine = ConcernFactory(assignee=prosecutor_in_area, priority=Concern.Priority.HIGH)
    mine.areas.add(area_in)
    unassigned = ConcernFactory(category=category)
    unassigned.areas.add(area_in)
    old = ConcernFactory(status=Concern.Status.RECEIVED)
    old.areas.add(area_in)
    Concern.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=45), acknowledge_by=now - timedelta(days=43)
    )
    closed = ConcernFactory(status=Concern.Status.CLOSED, assignee=prosecutor_in_area)
    closed.areas.add(area_in)
    unplaced = ConcernFactory()
    client = client_for(prosecutor_in_area)

    def listed(**params):
        response = client.get(reverse(QUEUE), params)
        assert response.status_code == 200
        return set(_codes(response))

    code = lambda c: c.tracking_code  # noqa: E731
    assert listed() == {code(mine), code(unassigned), code(old)}
    assert listed(assignee="mine") == {code(mine)}
    assert listed(assignee="mine", status="all") == {code(mine), code(closed)}
    assert listed(status=Concern.Status.CLOSED) == {code(closed)}
    assert listed(assignee="unassigned") == {code(unassigned), code(old)}
    assert listed(assignee=str(prosecutor_in_area.public_id)) == {code(mine)}
    assert listed(category=category.code) == {code(unassigned)}
    assert listed(priority=Concern.Priority.HIGH) == {code(mine)}
    assert listed(age="older") == {code(old)}
    assert listed(age="day") == {code(mine), code(unassigned)}
    assert listed(overdue="on") == {code(old)}
    assert listed(area=str(area_in.public_id)) == {code(mine), code(unassigned), code(old)}
    # A value that is not offered is ignored rather than an error.
    assert listed(category="no-such-category") == {code(mine), code(unassigned), code(old)}
    assert set(_codes(client_for(cpu_supervisor).get(reverse(QUEUE), {"area": "none"}))) == {code(unplaced)}


def test_queue_empty_state_explains(client_for, prosecutor_in_area):
    response = client_for(prosecutor_in_area).get(reverse(QUEUE))
    assert "No open concerns in your areas" in response.content.decode()
    response = client_for(prosecutor_in_area).get(reverse(QUEUE), {"overdue": "on"})
    assert "No concern matches these filters" in response.content.decode()


@pytest.mark.parametrize("persona", ["cpu_supervisor", "community_prosecutor"])
def test_queue_query_count_does_not_grow_with_rows(persona, personas, client_for, area_in):
    user = personas[persona]
    client = client_for(user)
    client.get(reverse(QUEUE))  # warm the session and permission caches alike for both runs
    _concerns(5, area=area_in, assignee=user)
    with assert_max_queries(12) as few:
        assert len(_codes(client.get(reverse(QUEUE)))) == 5
    _concerns(55, area=area_in)
    with assert_max_queries(12) as many:
        assert len(_codes(client.get(reverse(QUEUE)))) == 50
    assert len(many) == len(few)


def test_keyset_ignores_a_forged_cursor(client_for, cpu_supervisor):
    _concerns(3)
    response = client_for(cpu_supervisor).get(reverse(QUEUE), {"after": "not-a-cursor!"})
    assert len(_codes(response)) == 3
    assert triage.cursor_decode("bm9wZQ") is None


# --- Concern page ----------------------------------------------------------------------------
def test_concern_page_shows_everything_staff_need(client_for, prosecutor_in_area, area_in):
    category = CategoryFactory()
    QuestionFactory(
        category=category,
        code="how-often",
        prompt="How often?",
        datatype="singlevaluelist",
        options=[{"key": "daily", "name": "Every day"}],
    )
    concern = ConcernFactory(
        category=category,
        answers={"how-often": "daily"},
        contact_name="Pat Resident",
        contact_email="pat@example.org",
        contact_phone="916-555-0100",
        when_happens=Concern.When.NIGHTS,
    )
    concern.areas.add(area_in)
    photo = ConcernPhotoFactory(concern=concern, thumbnail="concerns/test/thumb.jpg")
    ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="Owner is abroad")
    response = client_for(prosecutor_in_area).get(_url(concern))
    body = response.content.decode()
    for text in (
        "How often?",
        "Every day",
        "Pat Resident",
        "pat@example.org",
        "916-555-0100",
        "Owner is abroad",
        f"photo/?photo={photo.public_id}&amp;version=thumbnail",  # served by the staff photo view
        concern.address,
        "38.5766",
        "At night",
        "Downtown",
    ):
        assert text in body, text
    assert body.count("<h1") == 1


def test_concern_page_is_read_only_for_the_bureau_chief(client_for, bureau_chief):
    concern = ConcernFactory()
    response = client_for(bureau_chief).get(_url(concern))
    assert response.status_code == 200
    body = response.content.decode()
    assert _url(concern, "staff_concern_status") not in body
    assert _url(concern, "staff_concern_note") not in body
    assert "You can read this concern but not change it." in body


def test_concern_page_query_count(client_for, cpu_supervisor):
    concern = ConcernFactory()
    for _ in range(5):
        ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="n")
        ConcernPhotoFactory(concern=concern)
    client = client_for(cpu_supervisor)
    # The first visit also fills the five-minute list of categories and the session's
    # second-factor check; the budget is for every visit after it.
    assert client.get(_url(concern)).status_code == 200
    with assert_max_queries(12):
        assert client.get(_url(concern)).status_code == 200


# --- Actions -----------------------------------------------------------------------------------
def test_status_change_records_update_audit_and_emails_the_resident(client_for, prosecutor_in_area, area_in):
    concern = ConcernFactory(contact_email="pat@example.org", language="es")
    concern.areas.add(area_in)
    response = client_for(prosecutor_in_area).post(
        _url(concern, "staff_concern_status"),
        {"status": Concern.Status.IN_PROGRESS, "public_text": "Code enforcement visits on Monday."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url(concern)
    assert "Status changed" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.acknowledged_at is not None
    update = concern.updates.get(kind=ConcernUpdate.Kind.STATUS)
    assert (update.status_from, update.status_to, update.author) == ("received", "in_progress", prosecutor_in_area)
    assert AuditEntry.objects.filter(action="prosecution.concern.status", actor=prosecutor_in_area).exists()
    email = OutboundEmail.objects.get(to="pat@example.org", template="prosecution/concern_updated")
    assert email.language == "es"
    assert "Code enforcement visits on Monday." in email.body_text


def test_closing_without_a_reason_is_refused(client_for, cpu_supervisor):
    concern = ConcernFactory()
    response = client_for(cpu_supervisor).post(_url(concern, "staff_concern_status"), {"status": "closed"})
    assert response.status_code == 400
    assert "Give a reason for closing." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED
    assert not AuditEntry.objects.filter(action="prosecution.concern.status").exists()
    response = client_for(cpu_supervisor).post(
        _url(concern, "staff_concern_status"), {"status": "closed", "close_reason": "not_ours"}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.close_reason) == ("closed", "not_ours")
    assert concern.resolved_at is not None


def test_internal_note_is_recorded_and_not_emailed(client_for, prosecutor_in_area, area_in):
    concern = ConcernFactory(contact_email="pat@example.org")
    concern.areas.add(area_in)
    client = client_for(prosecutor_in_area)
    assert client.post(_url(concern, "staff_concern_note"), {"text": ""}).status_code == 400
    response = client.post(_url(concern, "staff_concern_note"), {"text": "Landlord called back"})
    assert response.status_code == 302
    note = concern.updates.get()
    assert (note.kind, note.text, note.author) == ("internal_note", "Landlord called back", prosecutor_in_area)
    assert AuditEntry.objects.filter(action="prosecution.concern.note").count() == 1
    assert not OutboundEmail.objects.exists()


def test_assign_to_another_prosecutor_emails_them(client_for, cpu_supervisor, prosecutor_other_area):
    concern = ConcernFactory()
    response = client_for(cpu_supervisor).post(
        _url(concern, "staff_concern_assign"), {"assignee": str(prosecutor_other_area.public_id)}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.assignee == prosecutor_other_area
    entry = AuditEntry.objects.get(action="prosecution.concern.assign")
    assert entry.after == {"assignee_id": prosecutor_other_area.pk}
    assert OutboundEmail.objects.filter(
        to=prosecutor_other_area.email, template="prosecution/concern_assigned"
    ).exists()


def test_assign_to_me_and_unassign(client_for, prosecutor_in_area, area_in):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    client = client_for(prosecutor_in_area)
    client.post(_url(concern, "staff_concern_assign"), {"me": "1"})
    concern.refresh_from_db()
    assert concern.assignee == prosecutor_in_area
    assert not OutboundEmail.objects.exists()  # nobody e-mails themselves
    client.post(_url(concern, "staff_concern_assign"), {"assignee": ""})
    concern.refresh_from_db()
    assert concern.assignee is None


def test_assign_refuses_someone_outside_the_unit(client_for, cpu_supervisor, outreach_staff):
    concern = ConcernFactory()
    response = client_for(cpu_supervisor).post(
        _url(concern, "staff_concern_assign"), {"assignee": str(outreach_staff.public_id)}
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.assignee is None


def test_assigning_away_a_concern_sends_the_prosecutor_back_to_the_queue(
    client_for, prosecutor_in_area, prosecutor_other_area, area_other
):
    concern = ConcernFactory(assignee=prosecutor_in_area)
    concern.areas.add(area_other)
    response = client_for(prosecutor_in_area).post(
        _url(concern, "staff_concern_assign"), {"assignee": str(prosecutor_other_area.public_id)}
    )
    assert response["Location"] == reverse(QUEUE)


def test_set_priority(client_for, cpu_supervisor):
    concern = ConcernFactory()
    client = client_for(cpu_supervisor)
    assert client.post(_url(concern, "staff_concern_priority"), {"priority": "urgent"}).status_code == 400
    assert client.post(_url(concern, "staff_concern_priority"), {"priority": "high"}).status_code == 302
    concern.refresh_from_db()
    assert concern.priority == "high"
    entry = AuditEntry.objects.get(action="prosecution.concern.priority")
    assert (entry.before["priority"], entry.after["priority"]) == ("normal", "high")


# --- Landing and dashboard -----------------------------------------------------------------------
def test_landing_and_dashboard_count_what_waits(client_for, prosecutor_in_area, cpu_supervisor, area_in):
    mine = ConcernFactory(assignee=prosecutor_in_area)
    mine.areas.add(area_in)
    overdue = ConcernFactory()
    overdue.areas.add(area_in)
    Concern.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(days=5), acknowledge_by=timezone.now() - timedelta(days=2)
    )
    ConcernFactory()  # unplaced: only supervisors count it
    assert triage.staff_counts(user=prosecutor_in_area) == {"mine": 1, "unassigned": 1, "overdue": 1, "unplaced": None}
    assert triage.staff_counts(user=cpu_supervisor) == {"mine": 0, "unassigned": 2, "overdue": 1, "unplaced": 1}
    body = client_for(prosecutor_in_area).get(reverse("prosecution:staff_landing")).content.decode()
    assert "?assignee=mine" in body
    assert "?overdue=on" in body
    dashboard = client_for(cpu_supervisor).get(reverse("core:dashboard")).content.decode()
    assert "1 open concern placed in no area" in dashboard
    assert "2 unassigned open concerns" in dashboard
