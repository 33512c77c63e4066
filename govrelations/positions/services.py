"""Writes of positions: an analyst proposes the office's position on a bill, a supervisor
approves or returns it, and an approved position produces letters. `<entity>_<action>(*, ...)`,
each owning its transaction and writing its audit entry."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govrelations.positions.models import Position, PositionEvent, PositionLetter
from jcr.core.audit import audit_record, snapshot

PROPOSE = "govrelations.add_position"
APPROVE = "govrelations.approve_position"


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


@transaction.atomic
def position_propose(*, bill, actor, stance: str, reasons: str, reasons_es: str = "") -> Position:
    """An analyst proposes the office's position. Raises ValidationError when a proposal is
    already waiting for sign-off on this bill."""
    _require(actor, PROPOSE)
    # Serialise proposals on one bill. The model is taken from the instance: positions do not
    # import bills (bills import positions).
    bill = type(bill).objects.select_for_update().get(pk=bill.pk)
    if bill.positions.filter(status=Position.Status.PROPOSED).exists():
        raise ValidationError(_("A position on this bill is already waiting for sign-off."))
    if stance not in Position.Stance.values:
        raise ValidationError(_("Choose a position."))
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError(_("Give the reasons for the position."))
    position = Position.objects.create(
        bill=bill, stance=stance, reasons=reasons, reasons_es=reasons_es.strip(), proposed_by=actor
    )
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.PROPOSED, actor=actor)
    audit_record(action="govrelations.position.propose", obj=position, actor=actor, after=snapshot(position))
    return position


@transaction.atomic
def position_spanish_set(*, position: Position, actor, reasons_es: str) -> Position:
    """Write (or correct) the Spanish of a position's reasons, before or after its sign-off: a
    translation of the approved English, which itself stays as approved."""
    _require(actor, PROPOSE)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status not in (Position.Status.PROPOSED, Position.Status.APPROVED):
        raise ValidationError(_("Only a proposed or approved position takes a Spanish text."))
    before = position.reasons_es
    position.reasons_es = reasons_es.strip()
    position.save(update_fields=["reasons_es", "updated_at"])
    audit_record(
        action="govrelations.position.spanish",
        obj=position,
        actor=actor,
        before={"reasons_es": before},
        after={"reasons_es": position.reasons_es},
    )
    return position


def _position_for_decision(position: Position, actor) -> Position:
    _require(actor, APPROVE)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status != Position.Status.PROPOSED:
        raise ValidationError(_("This position is not waiting for sign-off."))
    if position.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Nobody signs off their own proposal."))
    return position


@transaction.atomic
def position_approve(*, position: Position, actor, comment: str = "") -> Position:
    """Sign the position off for the District Attorney: it becomes the office's public
    position on the bill, replacing the one approved before (kept as superseded)."""
    position = _position_for_decision(position, actor)
    now = timezone.now()
    for old in Position.objects.select_for_update().filter(bill=position.bill_id, status=Position.Status.APPROVED):
        old.status = Position.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        PositionEvent.objects.create(position=old, kind=PositionEvent.Kind.SUPERSEDED, actor=actor)
        audit_record(action="govrelations.position.supersede", obj=old, actor=actor, after={"status": old.status})
    position.status = Position.Status.APPROVED
    position.decided_by, position.decided_at, position.decision_comment = actor, now, comment.strip()
    position.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    PositionEvent.objects.create(
        position=position, kind=PositionEvent.Kind.APPROVED, actor=actor, comment=comment.strip()
    )
    audit_record(
        action="govrelations.position.approve",
        obj=position,
        actor=actor,
        before={"status": Position.Status.PROPOSED},
        after={"status": position.status},
    )
    return position


@transaction.atomic
def position_return(*, position: Position, actor, comment: str) -> Position:
    """Send the proposal back to the analyst with a comment (required)."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say why the position is returned."))
    position = _position_for_decision(position, actor)
    position.status = Position.Status.RETURNED
    position.decided_by, position.decided_at, position.decision_comment = actor, timezone.now(), comment
    position.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.RETURNED, actor=actor, comment=comment)
    audit_record(
        action="govrelations.position.return",
        obj=position,
        actor=actor,
        before={"status": Position.Status.PROPOSED},
        after={"status": position.status},
    )
    return position


def letter_body_render(*, position: Position, committee: str, addressee: str) -> str:
    """The letter template filled in, in English (letters go to the Legislature)."""
    with translation.override("en"):
        return render_to_string(
            "govrelations/positions/letter_body.txt",
            {"position": position, "bill": position.bill, "committee": committee, "addressee": addressee},
        ).strip()


@transaction.atomic
def position_letter_create(
    *, position: Position, actor, committee: str, addressee: str, sent_on: date | None = None
) -> PositionLetter:
    """Make a letter from the template for an approved position."""
    _require(actor, "govrelations.add_positionletter")
    position = Position.objects.select_for_update().select_related("bill__session").get(pk=position.pk)
    if position.status != Position.Status.APPROVED:
        raise ValidationError(_("Only an approved position can produce a letter."))
    committee, addressee = committee.strip(), addressee.strip()
    if not committee or not addressee:
        raise ValidationError(_("Name the committee and the person the letter is addressed to."))
    letter = PositionLetter.objects.create(
        position=position,
        committee=committee,
        addressee=addressee,
        body=letter_body_render(position=position, committee=committee, addressee=addressee),
        sent_on=sent_on,
        created_by=actor,
    )
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.LETTER, actor=actor, comment=committee)
    audit_record(
        action="govrelations.letter.create",
        obj=letter,
        actor=actor,
        after=snapshot(letter, exclude=frozenset({"body"})),
    )
    return letter


@transaction.atomic
def position_letter_mark_sent(*, letter: PositionLetter, actor, sent_on: date) -> PositionLetter:
    _require(actor, "govrelations.change_positionletter")
    letter = PositionLetter.objects.select_for_update().get(pk=letter.pk)
    before = letter.sent_on
    letter.sent_on = sent_on
    letter.save(update_fields=["sent_on", "updated_at"])
    audit_record(
        action="govrelations.letter.sent",
        obj=letter,
        actor=actor,
        before={"sent_on": before},
        after={"sent_on": sent_on},
    )
    return letter
