import pytest
from django.urls import reverse

from govrelations.bills.tests.factories import BillFactory
from govrelations.positions.models import Position, PositionLetter
from govrelations.positions.tests.factories import ApprovedPositionFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_supervisor_sees_no_approve_button_on_own_proposal(client, gr_supervisor):
    position = PositionFactory(proposed_by=gr_supervisor)
    client = _client(client, gr_supervisor)
    page = client.get(reverse("govrelations:staff_bill_analysis", kwargs={"public_id": position.bill.public_id}))
    content = page.content.decode()
    assert "another supervisor signs it off" in content
    assert reverse("govrelations:staff_position_approve", kwargs={"public_id": position.public_id}) not in content
    response = client.post(reverse("govrelations:staff_position_approve", kwargs={"public_id": position.public_id}))
    assert response.status_code == 403
    position.refresh_from_db()
    assert position.status == Position.Status.PROPOSED


def test_letter_from_an_approved_position(client, gr_analyst):
    position = ApprovedPositionFactory(proposed_by=gr_analyst)
    client = _client(client, gr_analyst)
    response = client.post(
        reverse("govrelations:staff_letter_create", kwargs={"public_id": position.public_id}),
        {"committee": "Senate Committee on Public Safety", "addressee": "The Honorable Chair"},
    )
    letter = PositionLetter.objects.get(position=position)
    assert response["Location"] == reverse("govrelations:staff_letter_detail", kwargs={"public_id": letter.public_id})
    page = client.get(response["Location"]).content.decode()
    assert "Senate Committee on Public Safety" in page
    assert "letter-print.css" in page


def test_feed_lists_new_positions(client):
    approved = ApprovedPositionFactory(bill=BillFactory(identifier="SB 300"))
    PositionFactory(bill=BillFactory(identifier="SB 301"))
    response = client.get(reverse("govrelations:positions_feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    content = response.content.decode()
    assert "SB 300" in content
    assert str(approved.bill.public_id) in content
    assert "SB 301" not in content
