from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govrelations.bills.tests.factories import (
    BillAbstractFactory,
    BillActionFactory,
    BillCommentFactory,
    BillFactory,
    ImplementationTaskFactory,
    SubjectFactory,
)
from govrelations.hearings.tests.factories import HearingFactory
from govrelations.models import Hearing, Position
from govrelations.positions.tests.factories import (
    ApprovedPositionFactory,
    PositionEventFactory,
    PositionFactory,
    PositionLetterFactory,
)
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _rich_bill(n_children: int):
    bill = BillFactory(is_watched=True)
    for i in range(n_children):
        BillAbstractFactory(bill=bill)
        BillActionFactory(bill=bill)
        BillCommentFactory(bill=bill)
        HearingFactory(bill=bill)
        ImplementationTaskFactory(bill=bill)
        bill.subjects.add(SubjectFactory(name=f"Subject {i}"))
        bill.sponsorships.create(name=f"Author {i}", primary=i == 0)
        bill.documents.create(note=f"Version {i}", links=[{"url": "https://example.org/", "media_type": "text/html"}])
        bill.votes.create(motion_text=f"Motion {i}", yes_count=3)
        bill.related_bills.create(identifier=f"AB {i}", legislative_session="20232024")
        position = PositionFactory(bill=bill, status=Position.Status.SUPERSEDED)
        PositionEventFactory(position=position)
        PositionLetterFactory(position=position)
    return bill


@pytest.mark.parametrize("name", ["staff_bill_detail", "staff_bill_analysis", "staff_bill_record"])
def test_staff_bill_pages_stay_within_budget_with_more_rows(client, gr_supervisor, name):
    client = _client(client, gr_supervisor)
    counts = []
    for n in (2, 12):
        bill = _rich_bill(n)
        url = reverse(f"govrelations:{name}", kwargs={"public_id": bill.public_id})
        client.get(url)
        with assert_max_queries(12) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_staff_bill_list_query_count_is_constant(client, gr_analyst):
    client = _client(client, gr_analyst)
    url = reverse("govrelations:staff_bill_list")
    counts = []
    for n in (5, 30):
        for _ in range(n):
            bill = BillFactory(analyst=gr_analyst)
            bill.subjects.add(SubjectFactory())
            ApprovedPositionFactory(bill=bill)
        client.get(url)
        with assert_max_queries(12) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_staff_bill_list_search_and_filters(client, gr_analyst):
    client = _client(client, gr_analyst)
    wanted = BillFactory(
        identifier="AB 1234", title="Sentencing: firearm enhancements", is_watched=True, priority="high"
    )
    ApprovedPositionFactory(bill=wanted, stance=Position.Stance.OPPOSE)
    other = BillFactory(identifier="SB 55", title="Vehicles: parking")
    PositionFactory(bill=other)
    url = reverse("govrelations:staff_bill_list")
    for query in ("q=ab1234", "q=firearm", "watched=on", "priority=high", "position=oppose"):
        content = client.get(f"{url}?{query}").content.decode()
        assert "AB 1234" in content, query
        assert "SB 55" not in content, query
    content = client.get(f"{url}?position=pending").content.decode()
    assert "SB 55" in content
    assert "AB 1234" not in content


def test_propose_and_approve_through_the_pages(client, gr_analyst, gr_supervisor):
    bill = BillFactory()
    client = _client(client, gr_analyst)
    response = client.post(
        reverse("govrelations:staff_position_propose", kwargs={"public_id": bill.public_id}),
        {"stance": "oppose_unless_amended", "reasons": "Needs a sunset clause."},
    )
    assert response.status_code == 302
    position = bill.positions.get()
    approve = reverse("govrelations:staff_position_approve", kwargs={"public_id": position.public_id})
    assert client.post(approve).status_code == 403  # analysts do not approve
    client.force_login(gr_supervisor)
    assert client.get(approve).status_code == 405
    response = client.post(approve, {"comment": "OK for the DA"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.status == Position.Status.APPROVED
    page = client.get(reverse("govrelations:staff_bill_analysis", kwargs={"public_id": bill.public_id}))
    assert "Needs a sunset clause." in page.content.decode()


def test_hearing_added_from_the_bill_page(client, gr_analyst):
    bill = BillFactory(analyst=gr_analyst)
    client = _client(client, gr_analyst)
    when = timezone.localtime() + timedelta(days=8)
    client.post(
        reverse("govrelations:staff_hearing_add", kwargs={"public_id": bill.public_id}),
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "committee": "Assembly Public Safety", "location": "Room 126"},
    )
    hearing = Hearing.objects.get(bill=bill)
    assert hearing.reminders.count() == 2
    calendar = client.get(reverse("govrelations:staff_hearing_calendar") + "?all=1").content.decode()
    assert bill.identifier in calendar


def test_public_pages_show_only_approved_positions(client):
    approved = ApprovedPositionFactory(
        bill=BillFactory(identifier="AB 10", analysis_memo="memo-secret"), reasons="Protects victims."
    )
    BillAbstractFactory(bill=approved.bill, abstract="This bill would expand restitution.")
    BillCommentFactory(bill=approved.bill, text="comment-secret")
    letter = PositionLetterFactory(position=approved)
    unpublished = PositionFactory(bill=BillFactory(identifier="AB 11"), reasons="draft-secret")

    landing = client.get(reverse("govrelations:landing")).content.decode()
    assert "AB 10" in landing
    assert "This bill would expand restitution." in landing
    assert str(letter.public_id) in landing
    assert "AB 11" not in landing
    bill_page = client.get(reverse("govrelations:bill_detail", kwargs={"public_id": approved.bill.public_id}))
    content = bill_page.content.decode()
    assert "Protects victims." in content
    for secret in ("memo-secret", "comment-secret", "draft-secret"):
        assert secret not in content
    assert (
        client.get(reverse("govrelations:bill_detail", kwargs={"public_id": unpublished.bill.public_id})).status_code
        == 404
    )
    assert client.get(reverse("govrelations:letter_detail", kwargs={"public_id": letter.public_id})).status_code == 200
    session = client.get(reverse("govrelations:session_positions", kwargs={"session": "20252026"}))
    assert "AB 10" in session.content.decode()
    assert client.get(reverse("govrelations:session_positions", kwargs={"session": "19991999"})).status_code == 404


def test_sitemap_lists_published_bills(client):
    approved = ApprovedPositionFactory()
    PositionFactory(bill=BillFactory(identifier="AB 999"))
    content = client.get("/sitemap.xml").content.decode()
    assert str(approved.bill.public_id) in content
    assert "/government-relations/positions/20252026/" in content


@pytest.mark.parametrize("name", ["landing", "session_positions"])
def test_public_positions_pages_query_count_is_constant(client, name):
    counts = []
    for n in (3, 20):
        for _ in range(n):
            position = ApprovedPositionFactory()
            BillAbstractFactory(bill=position.bill)
            PositionLetterFactory(position=position)
        kwargs = {"session": "20252026"} if name == "session_positions" else {}
        url = reverse(f"govrelations:{name}", kwargs=kwargs)
        client.logout()
        with assert_max_queries(8) as ctx:
            assert client.get(url + f"?n={n}").status_code == 200  # a fresh cache entry per size
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_public_bill_page_within_budget(client):
    position = ApprovedPositionFactory()
    for _ in range(10):
        BillActionFactory(bill=position.bill)
        PositionLetterFactory(position=position)
    with assert_max_queries(8):
        assert (
            client.get(reverse("govrelations:bill_detail", kwargs={"public_id": position.bill.public_id})).status_code
            == 200
        )
