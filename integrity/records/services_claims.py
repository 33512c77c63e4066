"""Writes of wrongful-conviction claims: public intake, screening, assignment, external review
notes and disposition (the conflict wall: services_wall.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.models import Claim, ClaimScreening, EligibilityCriterion, ExternalReviewNote
from integrity.records.retention import retention_refresh
from integrity.records.services import receipt_number_unique, record_change_audit, record_step_add
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

CLAIM_FLOW = {
    Claim.Status.RECEIVED: {Claim.Status.SCREENING},
    Claim.Status.SCREENING: {Claim.Status.INVESTIGATION, Claim.Status.DISPOSED},
    Claim.Status.INVESTIGATION: {Claim.Status.EXTERNAL_REVIEW, Claim.Status.DISPOSED},
    Claim.Status.EXTERNAL_REVIEW: {Claim.Status.INVESTIGATION, Claim.Status.DISPOSED},
    Claim.Status.DISPOSED: set(),
}


def claim_receipt_email(claim: Claim) -> str:
    """Where the receipt of a claim goes: to whoever wrote it ("" when they gave no e-mail)."""
    return claim.writer_email if claim.writer not in ("", Claim.Writer.SELF) else claim.claimant_email


@transaction.atomic
def claim_submit(
    *,
    claimant_name: str,
    case_number: str,
    summary: str,
    claimant_contact: str = "",
    claimant_email: str = "",
    conviction_year: int | None = None,
    has_counsel: bool = False,
    counsel_name: str = "",
    wants_counsel_contact: bool = False,
    consent_records: bool = False,
    language: str = "en",
    claimant_contact_preference: str = "",
    writer: str = Claim.Writer.SELF,
    writer_name: str = "",
    writer_relationship: str = "",
    writer_contact: str = "",
    writer_email: str = "",
    writer_contact_preference: str = "",
    actor=None,
) -> Claim:
    """A claim from the public form. `writer` says who wrote it: the person convicted, or
    someone on their behalf, whose name (required then), relationship and contact are kept;
    the receipt goes to whoever wrote."""
    on_behalf = writer != Claim.Writer.SELF
    if on_behalf and not writer_name.strip():
        raise ValidationError({"writer_name": _("Enter the name of the person writing.")})
    claim = Claim(
        receipt_number=receipt_number_unique(Claim, "WC"),
        claimant_name=claimant_name.strip(),
        claimant_contact=claimant_contact.strip(),
        claimant_email=claimant_email.strip().lower(),
        case_number=case_number.strip(),
        conviction_year=conviction_year,
        summary=summary.strip(),
        has_counsel=has_counsel,
        counsel_name=counsel_name.strip() if has_counsel else "",
        wants_counsel_contact=wants_counsel_contact and has_counsel,
        consent_records=consent_records,
        language=language,
        claimant_contact_preference=claimant_contact_preference,
        writer=writer,
        writer_name=writer_name.strip() if on_behalf else "",
        writer_relationship=writer_relationship.strip() if on_behalf else "",
        writer_contact=writer_contact.strip() if on_behalf else "",
        writer_email=writer_email.strip().lower() if on_behalf else "",
        writer_contact_preference=writer_contact_preference if on_behalf else "",
    )
    claim.full_clean()
    claim.save()
    record_step_add(record=claim, step=Claim.Status.RECEIVED, actor=actor)
    audit_record(action="integrity.claim.submit", obj=claim, actor=actor)
    receipt_to = claim_receipt_email(claim)
    if receipt_to:
        email_queue(
            to=receipt_to,
            template="integrity/claim_received",
            context={"receipt_number": claim.receipt_number},
            language=language,
            related=claim,
        )
    return claim


@transaction.atomic
def claim_screen(*, claim: Claim, answers: dict[str, bool], actor, note: str = "") -> bool:
    """Record the screening answers (criterion code -> met); returns whether every active
    criterion is met. Moves a received claim to screening."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in (Claim.Status.RECEIVED, Claim.Status.SCREENING):
        raise ValidationError(_("This claim has already been screened."))
    criteria = list(EligibilityCriterion.objects.filter(is_active=True))
    missing = [c.code for c in criteria if c.code not in answers]
    if missing:
        raise ValidationError(_("Answer every eligibility criterion."))
    before = snapshot(claim)
    for criterion in criteria:
        ClaimScreening.objects.update_or_create(
            claim=claim, criterion=criterion, defaults={"met": bool(answers[criterion.code])}
        )
    claim.status = Claim.Status.SCREENING
    claim.save()
    eligible = all(answers[c.code] for c in criteria)
    record_step_add(
        record=claim, step="screened", actor=actor, note=note or ("eligible" if eligible else "not eligible")
    )
    record_change_audit(record=claim, before=before, actor=actor, action="screened")
    return eligible


@transaction.atomic
def claim_assign(*, claim: Claim, investigator, actor) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.conflicted_users.filter(pk=investigator.pk).exists():
        raise ValidationError(_("This person worked the original case and cannot investigate the claim."))
    before = snapshot(claim)
    claim.investigator = investigator
    if claim.status == Claim.Status.SCREENING:
        claim.status = Claim.Status.INVESTIGATION
    elif claim.status != Claim.Status.INVESTIGATION:
        raise ValidationError(_("Only a screened claim can be assigned for investigation."))
    claim.save()
    record_step_add(record=claim, step="assigned", actor=actor, note=investigator.get_username())
    record_change_audit(record=claim, before=before, actor=actor, action="assigned")
    return claim


@transaction.atomic
def claim_review_note_add(*, claim: Claim, reviewer: str, note: str, actor) -> ExternalReviewNote:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in (Claim.Status.INVESTIGATION, Claim.Status.EXTERNAL_REVIEW):
        raise ValidationError(_("External review notes are added during investigation or external review."))
    before = snapshot(claim)
    claim.status = Claim.Status.EXTERNAL_REVIEW
    claim.save()
    review = ExternalReviewNote.objects.create(claim=claim, reviewer=reviewer.strip(), note=note.strip())
    record_step_add(record=claim, step="external_review", actor=actor, note=reviewer)
    record_change_audit(record=claim, before=before, actor=actor, action="external_review")
    return review


@transaction.atomic
def claim_dispose(*, claim: Claim, disposition: str, actor, letter: str = "") -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if Claim.Status.DISPOSED not in CLAIM_FLOW.get(claim.status, set()):
        raise ValidationError(_("This claim cannot be disposed of now."))
    if disposition not in Claim.Disposition.values:
        raise ValidationError(_("Choose the disposition."))
    if disposition == Claim.Disposition.DECLINED and not letter.strip():
        raise ValidationError(_("A declined claim needs the letter sent to the claimant."))
    before = snapshot(claim)
    claim.status = Claim.Status.DISPOSED
    claim.disposition = disposition
    claim.disposition_letter = letter.strip()
    claim.disposed_at = timezone.now()
    claim.save()
    record_step_add(record=claim, step=f"disposed:{disposition}", actor=actor)
    record_change_audit(record=claim, before=before, actor=actor, action="disposed")
    retention_refresh(claim)  # a closed record starts its retention period
    return claim
