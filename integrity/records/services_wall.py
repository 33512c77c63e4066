"""Writes of the conflict wall of wrongful-conviction claims: who may wall a person off a
claim, who may lift the wall, and the two-person step when the walled person is a JTI Chief.

The rules (they hold whatever the path: staff pages, the demo, a shell with an actor):
- nobody walls themselves off a claim, nor lifts their own wall;
- a person who does not manage walls is walled off (or has the wall lifted) by a JTI Chief
  (`integrity.manage_conflict_wall`) other than that person, in one step;
- a person who manages walls (a JTI Chief) is walled off (or has the wall lifted) by two JTI
  members, neither of them that person: one proposes, a different one confirms
  (`claim_wall_change_propose` / `_confirm`, the shape of the accounts' JTI role grants);
- only JTI members take part; the walled person never decides on their own wall.
Without an actor (data loads, the demo), the change is made as the system's and the rules on
persons do not apply. Every change writes a history step naming the people (never the
claim's content) and an audit entry naming the field.

A proposal is e-mailed to the people who may confirm it (JTI members other than the proposer
and the walled person, and not walled off the claim themselves), and the decision to the
proposer. The e-mails say only that a wall change awaits (or got) a decision and link to the
claim's page behind the sign-in: no claim number, name or reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE, JTI_PERMISSION, WALL_PERMISSION
from integrity.records.models import Claim, ClaimWallChange
from integrity.records.services import record_step_add
from jcr.core.audit import audit_record
from jcr.core.services import email_queue


def person_manages_walls(person) -> bool:
    """Whether `person` may manage walls themselves (a JTI Chief, or a superuser): walling
    them off, or lifting their wall, then takes two JTI members."""
    return bool(person.is_active and person.has_perm(WALL_PERMISSION))


def _is_jti(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(JTI_PERMISSION))


def wall_change_refusal(*, actor, person) -> str:
    """Why `actor` may not wall `person` off a claim (or lift their wall) in one step, or ""."""
    if actor.pk == person.pk:
        return _("Nobody walls themselves off a claim or lifts their own wall: ask the JTI Chief.")
    if person_manages_walls(person):
        return _("%(person)s manages the wall: a change to their wall needs two JTI members.") % {"person": person}
    if not (_is_jti(actor) and actor.has_perm(WALL_PERMISSION)):
        return _("Only the JTI Chief walls a person off a claim or lifts a wall.")
    return ""


def _check(*, actor, person) -> None:
    if actor is None:
        return
    refusal = wall_change_refusal(actor=actor, person=person)
    if refusal:
        raise PermissionDenied(refusal)


def _wall_add(*, claim: Claim, person, actor, note: str, step_note: str = "") -> bool:
    if claim.investigator_id and person.pk == claim.investigator_id:
        raise ValidationError(_("This person investigates the claim: assign another investigator first."))
    if claim.conflicted_users.filter(pk=person.pk).exists():
        return False
    claim.conflicted_users.add(person)
    record_step_add(
        record=claim,
        step="conflict_wall",
        actor=actor,
        note="; ".join(filter(None, [person.get_username(), step_note, note.strip()])),
    )
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=claim,
        actor=actor,
        after={"conflicted_users": None, "step": "conflict_wall"},
    )
    return True


def _wall_lift(*, claim: Claim, person, actor, reason: str, step_note: str = "") -> None:
    if not reason.strip():
        raise ValidationError(_("Give the reason for lifting the wall."))
    if not claim.conflicted_users.filter(pk=person.pk).exists():
        raise ValidationError(_("This person is not walled off from the claim."))
    claim.conflicted_users.remove(person)
    record_step_add(
        record=claim,
        step="conflict_wall_lifted",
        actor=actor,
        note="; ".join(filter(None, [person.get_username(), step_note, reason.strip()])),
    )
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=claim,
        actor=actor,
        after={"conflicted_users": None, "step": "conflict_wall_lifted"},
    )


@transaction.atomic
def claim_wall_add(*, claim: Claim, users, actor, note: str = "") -> None:
    """Wall `users` off from the claim (they worked the original case): from now on they get
    404 on it everywhere. Raises PermissionDenied when a rule of this module forbids it (for
    a JTI Chief, use `claim_wall_change_propose`); the claim's investigator cannot be walled
    off without first being replaced."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    users = [u for u in users if u is not None]
    for person in users:
        _check(actor=actor, person=person)
    if claim.investigator_id and any(u.pk == claim.investigator_id for u in users):
        raise ValidationError(_("This person investigates the claim: assign another investigator first."))
    for person in users:
        _wall_add(claim=claim, person=person, actor=actor, note=note)


@transaction.atomic
def claim_wall_remove(*, claim: Claim, user, actor, reason: str) -> None:
    """Lift the wall for one person; the reason is required and kept in the history. Raises
    PermissionDenied when a rule of this module forbids it."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _check(actor=actor, person=user)
    _wall_lift(claim=claim, person=user, actor=actor, reason=reason)


def wall_change_confirmers(change: ClaimWallChange) -> list:
    """Who may confirm `change`: active JTI members other than the proposer and the walled
    person, not walled off the claim themselves."""
    walled = set(change.claim.conflicted_users.values_list("pk", flat=True))
    excluded = walled | {change.proposed_by_id, change.person_id}
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(pk__in=excluded).exclude(email="")
    return [u for u in users.order_by("pk") if _is_jti(u)]


def _wall_change_email(*, change: ClaimWallChange, to, template: str, context: dict | None = None) -> None:
    link = reverse("integrity:claim_detail", kwargs={"public_id": change.claim.public_id})
    email_queue(
        to=to.email,
        template=template,
        context={"link": f"{link}#wall-title", **(context or {})},
        language=to.preferred_language or settings.LANGUAGE_CODE,
        related=change,
    )


def _decision_tell(*, change: ClaimWallChange, actor) -> None:
    proposer = change.proposed_by
    if proposer.pk == actor.pk or not proposer.is_active or not proposer.email:
        return  # a withdrawal: the proposer knows
    _wall_change_email(
        change=change,
        to=proposer,
        template="integrity/wall_change_decided",
        context={"confirmed": change.status == ClaimWallChange.Status.CONFIRMED},
    )


@transaction.atomic
def claim_wall_change_propose(*, claim: Claim, person, lift: bool, actor, reason: str) -> ClaimWallChange:
    """Propose walling `person` (a JTI Chief) off the claim, or lifting their wall. Nothing
    changes until a second JTI member confirms. Raises PermissionDenied for the person
    themselves or someone outside JTI, ValidationError when there is nothing to change or a
    proposal is already waiting."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if actor.pk == person.pk:
        raise PermissionDenied(_("Nobody walls themselves off a claim or lifts their own wall: ask the JTI Chief."))
    if not _is_jti(actor):
        raise PermissionDenied(_("Only JTI members propose a change to the conflict wall."))
    if not person_manages_walls(person):
        raise ValidationError(_("The JTI Chief changes this person's wall directly."))
    walled = claim.conflicted_users.filter(pk=person.pk).exists()
    if lift and not walled:
        raise ValidationError(_("This person is not walled off from the claim."))
    if not lift and walled:
        raise ValidationError(_("This person is already walled off from the claim."))
    if lift and not reason.strip():
        raise ValidationError(_("Give the reason for lifting the wall."))
    if not lift and claim.investigator_id == person.pk:
        raise ValidationError(_("This person investigates the claim: assign another investigator first."))
    if ClaimWallChange.objects.filter(claim=claim, person=person, status=ClaimWallChange.Status.PENDING).exists():
        raise ValidationError(_("A change to this person's wall is already waiting for confirmation."))
    change = ClaimWallChange.objects.create(
        claim=claim, person=person, lift=lift, reason=reason.strip(), proposed_by=actor
    )
    record_step_add(
        record=claim,
        step="conflict_wall_lift_proposed" if lift else "conflict_wall_proposed",
        actor=actor,
        note="; ".join(filter(None, [person.get_username(), reason.strip()])),
    )
    audit_record(
        action="integrity.wallchange.propose",
        obj=change,
        actor=actor,
        after={"step": "lift_proposed" if lift else "wall_proposed"},
    )
    for person in wall_change_confirmers(change):
        _wall_change_email(change=change, to=person, template="integrity/wall_change_proposed")
    return change


def _decide(*, change: ClaimWallChange, actor) -> ClaimWallChange:
    change = ClaimWallChange.objects.select_for_update().select_related("claim", "person").get(pk=change.pk)
    if change.status != ClaimWallChange.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    if actor.pk == change.person_id:
        raise PermissionDenied(_("Nobody decides on their own wall."))
    if not _is_jti(actor):
        raise PermissionDenied(_("Only JTI members decide a change to the conflict wall."))
    return change


@transaction.atomic
def claim_wall_change_confirm(*, change: ClaimWallChange, actor) -> ClaimWallChange:
    """Confirm a pending change: the wall goes up (or is lifted) now. Raises PermissionDenied
    for the proposer (the two-person rule), the walled person, or someone outside JTI."""
    change = _decide(change=change, actor=actor)
    if actor.pk == change.proposed_by_id:
        raise PermissionDenied(_("A second person must confirm: not the one who proposed it."))
    claim = Claim.objects.select_for_update().get(pk=change.claim_id)
    proposed = _("proposed by %(person)s") % {"person": change.proposed_by.get_username()}
    if change.lift:
        _wall_lift(claim=claim, person=change.person, actor=actor, reason=change.reason, step_note=proposed)
    else:
        _wall_add(claim=claim, person=change.person, actor=actor, note=change.reason, step_note=proposed)
    change.status = ClaimWallChange.Status.CONFIRMED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action="integrity.wallchange.confirm", obj=change, actor=actor, after={"step": "confirmed"})
    _decision_tell(change=change, actor=actor)
    return change


@transaction.atomic
def claim_wall_change_reject(*, change: ClaimWallChange, actor) -> ClaimWallChange:
    """Reject (or withdraw, for the proposer) a pending change. Nothing changes; the walled
    person cannot reject a change to their own wall."""
    change = _decide(change=change, actor=actor)
    change.status = ClaimWallChange.Status.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    record_step_add(
        record=change.claim,
        step="conflict_wall_change_rejected",
        actor=actor,
        note=change.person.get_username(),
    )
    audit_record(action="integrity.wallchange.reject", obj=change, actor=actor, after={"step": "rejected"})
    _decision_tell(change=change, actor=actor)
    return change
