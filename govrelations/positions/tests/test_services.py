import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govrelations.bills.tests.factories import BillFactory
from govrelations.positions import services
from govrelations.positions.models import Position, PositionEvent, PositionLetter
from govrelations.positions.tests.factories import PositionFactory
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_position_propose_then_approve_by_a_supervisor(gr_analyst, gr_supervisor):
    bill = BillFactory()
    position = services.position_propose(
        bill=bill, actor=gr_analyst, stance="oppose", reasons="Erodes victims' rights."
    )
    assert (position.status, position.proposed_by) == (Position.Status.PROPOSED, gr_analyst)

    services.position_approve(position=position, actor=gr_supervisor, comment="Signed off for the DA")

    position.refresh_from_db()
    assert (position.status, position.decided_by) == (Position.Status.APPROVED, gr_supervisor)
    assert list(position.events.values_list("kind", "actor")) == [
        (PositionEvent.Kind.PROPOSED, gr_analyst.pk),
        (PositionEvent.Kind.APPROVED, gr_supervisor.pk),
    ]
    actions = list(AuditEntry.objects.filter(object_id=str(position.public_id)).values_list("action", flat=True))
    assert sorted(actions) == ["govrelations.position.approve", "govrelations.position.propose"]


def test_nobody_approves_their_own_proposal(gr_supervisor):
    position = services.position_propose(bill=BillFactory(), actor=gr_supervisor, stance="support", reasons="Good.")
    with pytest.raises(PermissionDenied):
        services.position_approve(position=position, actor=gr_supervisor)
    position.refresh_from_db()
    assert position.status == Position.Status.PROPOSED


def test_analyst_cannot_approve(gr_analyst):
    position = PositionFactory()
    with pytest.raises(PermissionDenied):
        services.position_approve(position=position, actor=gr_analyst)


def test_outsider_cannot_propose(outreach_staff):
    with pytest.raises(PermissionDenied):
        services.position_propose(bill=BillFactory(), actor=outreach_staff, stance="support", reasons="x")


def test_one_proposal_at_a_time(gr_analyst):
    bill = BillFactory()
    services.position_propose(bill=bill, actor=gr_analyst, stance="support", reasons="First")
    with pytest.raises(ValidationError):
        services.position_propose(bill=bill, actor=gr_analyst, stance="oppose", reasons="Second")
    assert bill.positions.count() == 1


def test_return_needs_a_comment_and_is_kept_in_history(gr_analyst, gr_supervisor):
    position = services.position_propose(bill=BillFactory(), actor=gr_analyst, stance="support", reasons="Because")
    with pytest.raises(ValidationError):
        services.position_return(position=position, actor=gr_supervisor, comment="  ")
    services.position_return(position=position, actor=gr_supervisor, comment="Cite the fiscal analysis")
    position.refresh_from_db()
    assert position.status == Position.Status.RETURNED
    assert position.events.last().comment == "Cite the fiscal analysis"
    with pytest.raises(ValidationError):  # a decided position cannot be decided again
        services.position_approve(position=position, actor=gr_supervisor)
    # the analyst may now propose again
    again = services.position_propose(bill=position.bill, actor=gr_analyst, stance="support_if_amended", reasons="Ok")
    assert again.status == Position.Status.PROPOSED


def test_new_approval_supersedes_the_old_one(gr_analyst, gr_supervisor):
    bill = BillFactory()
    first = services.position_propose(bill=bill, actor=gr_analyst, stance="watch", reasons="Early")
    services.position_approve(position=first, actor=gr_supervisor)
    second = services.position_propose(bill=bill, actor=gr_analyst, stance="oppose", reasons="Amended badly")
    services.position_approve(position=second, actor=gr_supervisor)
    first.refresh_from_db()
    assert first.status == Position.Status.SUPERSEDED
    assert list(bill.positions.filter(status=Position.Status.APPROVED)) == [second]


def test_letter_only_for_an_approved_position(gr_analyst, gr_supervisor):
    position = services.position_propose(
        bill=BillFactory(identifier="AB 77"), actor=gr_analyst, stance="support", reasons="It closes a loophole."
    )
    with pytest.raises(ValidationError):
        services.position_letter_create(
            position=position, actor=gr_analyst, committee="Assembly Public Safety", addressee="Chair"
        )
    services.position_approve(position=position, actor=gr_supervisor)
    letter = services.position_letter_create(
        position=position, actor=gr_analyst, committee="Assembly Public Safety", addressee="The Honorable Chair"
    )
    assert "AB 77" in letter.body
    assert "It closes a loophole." in letter.body
    assert "Support" in letter.body
    assert position.events.filter(kind=PositionEvent.Kind.LETTER).exists()
    sent = services.position_letter_mark_sent(letter=letter, actor=gr_analyst, sent_on=timezone.localdate())
    assert PositionLetter.objects.get(pk=sent.pk).sent_on == timezone.localdate()
