"""The triage queue as a "what next" list: its default order, search, saved filters, bulk
actions checked concern by concern, and who hears that a concern was reopened."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jcr.core.models import AuditEntry, OutboundEmail
from prosecution.concerns import queue, services_desk
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_queue import SavedQueueFilter
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

QUEUE = "prosecution:staff_concern_list"
CODES = re.compile(r'staff/community-prosecution/concerns/[0-9a-f-]{36}/">([A-Z0-9]{8})<')


def _codes(response) -> list[str]:
    assert response.status_code == 200
    return CODES.findall(response.content.decode())


def _due(concern: Concern, *, days: float, acknowledged: bool = True) -> Concern:
    """Put the concern's next deadline `days` from now (negative: overdue)."""
    moment = timezone.now() + timedelta(days=days)
    fields = {"resolve_by": moment, "acknowledge_by": moment - timedelta(days=30)}
    fields["acknowledged_at"] = timezone.now() if acknowledged else None
    if not acknowledged:
        fields["acknowledge_by"] = moment
    Concern.objects.filter(pk=concern.pk).update(**fields)
    return concern


def test_default_order_is_due_date_overdue_first_then_priority(client_for, cpu_supervisor):
    later = _due(ConcernFactory(priority="high"), days=5)
    overdue = _due(ConcernFactory(priority="low"), days=-2)
    unacknowledged = _due(ConcernFactory(priority="normal"), days=-1, acknowledged=False)
    same_due_low = ConcernFactory(priority="low")
    same_due_high = ConcernFactory(priority="high")
    moment = timezone.now() + timedelta(days=1)
    Concern.objects.filter(pk__in=[same_due_low.pk, same_due_high.pk]).update(
        resolve_by=moment, acknowledged_at=timezone.now()
    )
    codes = _codes(client_for(cpu_supervisor).get(reverse(QUEUE)))
    expected = [overdue, unacknowledged, same_due_high, same_due_low, later]
    assert codes == [c.tracking_code for c in expected]


def test_due_order_keyset_pages_cover_every_row_once_both_ways(client_for, cpu_supervisor):
    for i in range(60):
        _due(ConcernFactory(priority=["high", "normal", "low"][i % 3]), days=(i % 7) - 3)
    expected = list(
        Concern.objects.order_by("resolve_by", "pk").values_list("tracking_code", "priority", "resolve_by", "pk")
    )
    rank = {"high": 0, "normal": 1, "low": 2}
    expected = [code for code, *_ in sorted(expected, key=lambda r: (r[2], rank[r[1]], r[3]))]
    client = client_for(cpu_supervisor)
    first = client.get(reverse(QUEUE))
    second = client.get(reverse(QUEUE) + first.context["next_url"])
    assert _codes(first) + _codes(second) == expected
    back = client.get(reverse(QUEUE) + second.context["previous_url"])
    assert _codes(back) == _codes(first)


def test_rows_show_snippet_address_age_and_due(client_for, cpu_supervisor):
    concern = ConcernFactory(description="Broken streetlight " + "x " * 200, address="12 Elm Street")
    _due(concern, days=-1)
    html = client_for(cpu_supervisor).get(reverse(QUEUE)).content.decode()
    for shown in ("Broken streetlight", "12 Elm Street", "…", "Overdue", "Today"):
        assert shown in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique (labels find their field)"
    assert f'<label class="visually-hidden" for="select-{concern.public_id}">Select {concern.tracking_code}' in html


@pytest.mark.parametrize("how", ["tracking code", "note", "description", "address"])
def test_search_finds_by_tracking_code_note_description_and_address(how, client_for, cpu_supervisor):
    wanted = ConcernFactory(description="Shopping carts left by the creek", address="400 Riverside Road")
    ConcernUpdate.objects.create(concern=wanted, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="Called the manager")
    other = ConcernFactory(description="Loud music every night", address="9 Oak Lane")
    ConcernUpdate.objects.create(concern=other, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text="manager informed")
    query = {
        "tracking code": wanted.tracking_code.lower(),
        "note": "manager",
        "description": "carts creek",
        "address": "Riverside",
    }[how]
    assert _codes(client_for(cpu_supervisor).get(reverse(QUEUE), {"q": query})) == [wanted.tracking_code]


def test_search_without_postgres_matches_each_word(monkeypatch):
    """The icontains fallback of `make run` (SQLite), run here on the same rows."""
    monkeypatch.setattr(queue, "_postgres", lambda: False)
    wanted = ConcernFactory(description="Shopping carts by the creek")
    ConcernUpdate.objects.create(concern=wanted, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="Called the manager")
    ConcernFactory(description="Shopping mall noise")
    for text in ("shopping manager", wanted.tracking_code.lower()):
        assert list(Concern.objects.filter(queue.search_q(text))) == [wanted]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes exist on PostgreSQL only")
def test_search_uses_the_gin_indexes_of_concerns_and_notes():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Concern.objects.filter(queue.search_q("graffiti -fence")).only("pk").explain()
    assert "Bitmap Index Scan on prosecution_concern_search_simple" in plan, plan
    assert "Bitmap Index Scan on prosecution_concernupdate_note_search_simple" in plan, plan


def test_filters_are_saved_per_person_and_reset(client_for, cpu_supervisor, prosecutor_in_area, area_in):
    category = CategoryFactory()
    mine = ConcernFactory(category=category)
    mine.areas.add(area_in)
    other = ConcernFactory()
    other.areas.add(area_in)
    supervisor = client_for(cpu_supervisor)
    response = supervisor.post(
        reverse(QUEUE),
        {"intent": "save_filters", "category": category.code, "after": "ignored", "back": "?category=" + category.code},
    )
    assert response.status_code == 302
    assert SavedQueueFilter.objects.get(user=cpu_supervisor).params == {"category": category.code}
    assert _codes(supervisor.get(reverse(QUEUE))) == [mine.tracking_code]
    # An explicit query (the form's "Clear filters") is taken as it is.
    assert len(_codes(supervisor.get(reverse(QUEUE), {"q": ""}))) == 2
    # Someone else's queue is untouched.
    assert len(_codes(client_for(prosecutor_in_area).get(reverse(QUEUE)))) == 2
    supervisor.post(reverse(QUEUE), {"intent": "reset_filters"})
    assert not SavedQueueFilter.objects.filter(user=cpu_supervisor).exists()
    assert len(_codes(supervisor.get(reverse(QUEUE)))) == 2


def test_saved_filters_redirect_stays_on_the_queue(client_for, cpu_supervisor):
    response = client_for(cpu_supervisor).post(
        reverse(QUEUE), {"intent": "save_filters", "overdue": "on", "back": "//evil.example/"}
    )
    assert response["Location"] == reverse(QUEUE)


def _bulk(client, concerns, **data):
    return client.post(
        reverse(QUEUE), {"intent": "bulk", "concerns": [str(c.public_id) for c in concerns], "back": "?q=", **data}
    )


def test_bulk_assign_checks_each_concern_and_audits_each(
    client_for, prosecutor_in_area, prosecutor_other_area, area_in
):
    ours = [ConcernFactory(), ConcernFactory()]
    for concern in ours:
        concern.areas.add(area_in)
    theirs = ConcernFactory()  # outside the prosecutor's areas: skipped and reported
    response = _bulk(
        client_for(prosecutor_in_area), [*ours, theirs], action="assign", assignee=str(prosecutor_in_area.public_id)
    )
    assert response.status_code == 302
    assert Concern.objects.filter(assignee=prosecutor_in_area).count() == 2
    assert Concern.objects.get(pk=theirs.pk).assignee is None
    entries = AuditEntry.objects.filter(action="prosecution.concern.assign")
    assert sorted(e.object_id for e in entries) == sorted(str(c.public_id) for c in ours)
    texts = [str(m) for m in response.wsgi_request._messages]
    assert any("1 selected concern was not found" in t for t in texts)


def test_bulk_status_messages_each_reporter_and_skips_what_cannot_move(client_for, cpu_supervisor):
    a = ConcernFactory(contact_email="a@example.org")
    b = ConcernFactory(contact_email="b@example.org")
    closed = ConcernFactory(status=Concern.Status.CLOSED, close_reason="not_ours")
    response = _bulk(
        client_for(cpu_supervisor),
        [a, b, closed],
        action="status",
        status="resolved",
        close_reason="fixed",
        public_text="The city repaired it.",
    )
    assert response.status_code == 302
    assert set(Concern.objects.filter(status="resolved").values_list("pk", flat=True)) == {a.pk, b.pk}
    for concern in (a, b):
        assert ConcernUpdate.objects.filter(concern=concern, text="The city repaired it.").exists()
        assert OutboundEmail.objects.filter(to=concern.contact_email, template="prosecution/concern_updated").exists()
        entries = AuditEntry.objects.filter(action="prosecution.concern.status", object_id=str(concern.public_id))
        assert entries.count() == 1
    texts = [str(m) for m in response.wsgi_request._messages]
    assert any(closed.tracking_code in t and "skipped" in t for t in texts)


def test_bulk_priority_and_read_only_staff_are_skipped(client_for, cpu_supervisor, bureau_chief):
    concerns = [ConcernFactory(), ConcernFactory()]
    _bulk(client_for(bureau_chief), concerns, action="priority", priority="high")
    assert not Concern.objects.filter(priority="high").exists()
    _bulk(client_for(cpu_supervisor), concerns, action="priority", priority="high")
    assert Concern.objects.filter(priority="high").count() == 2
    assert AuditEntry.objects.filter(action="prosecution.concern.priority").count() == 2


def test_bulk_form_needs_an_action_value(client_for, cpu_supervisor):
    concern = ConcernFactory()
    response = _bulk(client_for(cpu_supervisor), [concern], action="status", status="closed")
    assert response.status_code == 302
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.RECEIVED


def test_queue_with_search_and_checkboxes_keeps_a_constant_query_count(client_for, cpu_supervisor):
    client = client_for(cpu_supervisor)
    client.get(reverse(QUEUE))
    for _ in range(3):
        ConcernFactory(description="graffiti on the wall")
    with assert_max_queries(14) as few:
        assert len(_codes(client.get(reverse(QUEUE), {"q": "graffiti"}))) == 3
    for _ in range(55):
        ConcernFactory(description="graffiti on the wall")
    with assert_max_queries(14) as many:
        assert len(_codes(client.get(reverse(QUEUE), {"q": "graffiti"}))) == 50
    assert len(many) == len(few)


# --- Reopening: nobody falls through ---------------------------------------------------------
def test_reopening_tells_the_owner_only(cpu_supervisor, community_prosecutor, area_in):
    concern = ConcernFactory(status=Concern.Status.RESOLVED, close_reason="fixed", assignee=community_prosecutor)
    concern.areas.add(area_in)
    services_desk.concern_set_status(concern=concern, status="under_review", actor=cpu_supervisor)
    sent = OutboundEmail.objects.filter(template="prosecution/concern_reopened")
    assert list(sent.values_list("to", flat=True)) == [community_prosecutor.email]
    assert "reopened this concern" in sent.get().body_text


@pytest.mark.parametrize("by", ["staff", "resident"])
def test_reopening_an_unowned_concern_tells_the_areas_prosecutor_and_the_supervisors(
    by, django_capture_on_commit_callbacks, cpu_supervisor, community_prosecutor, bureau_chief, area_in
):
    from jcr.accounts.tests.factories import UserFactory
    from prosecution.concerns import services

    concern = ConcernFactory(status=Concern.Status.CLOSED, close_reason="not_ours")
    concern.areas.add(area_in)
    other_supervisor = UserFactory(email="sup2@da.example.gov", is_staff=True)
    other_supervisor.groups.set(cpu_supervisor.groups.all())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if by == "staff":
            services_desk.concern_set_status(concern=concern, status="in_progress", actor=cpu_supervisor)
        else:
            services.concern_not_fixed(concern=concern, text="Still there")
    assert callbacks, "the e-mails leave after commit"
    sent = set(OutboundEmail.objects.filter(template="prosecution/concern_reopened").values_list("to", flat=True))
    # Never the bureau chief (who only reads), nor the supervisor who reopened it.
    expected = {community_prosecutor.email, other_supervisor.email}
    assert sent == (expected if by == "staff" else expected | {cpu_supervisor.email})
    assert "Nobody owns it" in OutboundEmail.objects.filter(to=community_prosecutor.email).get().body_text
