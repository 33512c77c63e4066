"""Writes of misconduct allegations: public intake, the review workflow, court referrals."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE
from integrity.records.attachments import MAX_ATTACHMENTS, CleanAttachment
from integrity.records.models import Allegation, AllegationAttachment, CourtReferral, DeadlineRule
from integrity.records.retention import retention_refresh
from integrity.records.services import (
    receipt_number_unique,
    record_change_audit,
    record_deadline_add,
    record_deadlines_meet,
    record_step_add,
)
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

ALLEGATION_REVIEW_RULE = "allegation-review"
ALLEGATION_REVIEW_DAYS_DEFAULT = 30

ALLEGATION_FLOW = {
    Allegation.Status.RECEIVED: {Allegation.Status.REVIEW},
    Allegation.Status.REVIEW: {Allegation.Status.INVESTIGATION, Allegation.Status.FINDING},
    Allegation.Status.INVESTIGATION: {Allegation.Status.FINDING},
    Allegation.Status.FINDING: {Allegation.Status.CLOSED},
    Allegation.Status.CLOSED: set(),
}


@transaction.atomic
def allegation_submit(
    *,
    description: str,
    case_number: str = "",
    subject: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    language: str = "en",
    attachments: list[CleanAttachment] = (),
    source: str = Allegation.Source.PUBLIC,
    actor=None,
) -> Allegation:
    """Save an allegation (and its attachments) before anything tells the person it was
    received; queue the receipt e-mail when an address was given."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(max)d files.") % {"max": MAX_ATTACHMENTS})
    allegation = Allegation(
        receipt_number=receipt_number_unique(Allegation, "MA"),
        source=source,
        anonymous=anonymous,
        complainant_name="" if anonymous else complainant_name.strip(),
        complainant_email=complainant_email.strip().lower(),
        complainant_phone="" if anonymous else complainant_phone.strip(),
        language=language,
        case_number=case_number.strip(),
        subject=subject.strip(),
        description=description.strip(),
    )
    allegation.full_clean()
    allegation.save()
    for item in attachments:
        attachment = AllegationAttachment(
            allegation=allegation,
            original_name=item.original_name,
            content_type=item.content_type,
            size=len(item.content),
        )
        attachment.file.save(f"upload.{item.extension}", ContentFile(item.content), save=False)
        attachment.save()
    record_step_add(record=allegation, step=Allegation.Status.RECEIVED, actor=actor)
    rule = DeadlineRule.objects.filter(code=ALLEGATION_REVIEW_RULE, is_active=True).first()
    days = rule.days if rule else ALLEGATION_REVIEW_DAYS_DEFAULT
    record_deadline_add(
        record=allegation,
        label="Review",
        due_on=timezone.localdate() + timedelta(days=days),
        remind_days_before=rule.remind_days_before if rule else 7,
    )
    audit_record(action="integrity.allegation.submit", obj=allegation, actor=actor, after={"source": source})
    if allegation.complainant_email:
        email_queue(
            to=allegation.complainant_email,
            template="integrity/allegation_received",
            context={"receipt_number": allegation.receipt_number},
            language=language,
            related=allegation,
        )
    return allegation


@transaction.atomic
def allegation_advance(
    *,
    allegation: Allegation,
    to_status: str,
    actor,
    note: str = "",
    finding: str = "",
    finding_summary: str = "",
    response_text: str = "",
) -> Allegation:
    """Move an allegation one step along review → investigation → finding → response.
    A finding needs one of the five outcomes; closing needs the response to the complainant."""
    allegation = Allegation.objects.select_for_update().get(pk=allegation.pk)
    if to_status not in ALLEGATION_FLOW.get(allegation.status, set()):
        raise ValidationError(
            _("An allegation cannot go from “%(from)s” to “%(to)s”.")
            % {"from": allegation.get_status_display(), "to": dict(Allegation.Status.choices).get(to_status, to_status)}
        )
    before = snapshot(allegation)
    if to_status == Allegation.Status.FINDING:
        if finding not in Allegation.Finding.values:
            raise ValidationError(_("Choose the finding."))
        allegation.finding = finding
        allegation.finding_summary = finding_summary.strip()
    if to_status == Allegation.Status.CLOSED:
        if not response_text.strip():
            raise ValidationError(_("Write the response to the complainant before closing."))
        allegation.response_text = response_text.strip()
        allegation.responded_at = timezone.now()
        if allegation.complainant_email:
            email_queue(
                to=allegation.complainant_email,
                template="integrity/allegation_response",
                context={"receipt_number": allegation.receipt_number, "response_text": allegation.response_text},
                language=allegation.language,
                related=allegation,
            )
    if to_status == Allegation.Status.REVIEW:
        record_deadlines_meet(record=allegation, label_prefix="Review")
    allegation.status = to_status
    allegation.save()
    record_step_add(record=allegation, step=to_status, actor=actor, note=note)
    record_change_audit(record=allegation, before=before, actor=actor, action=to_status)
    retention_refresh(allegation)  # a closed record starts its retention period
    return allegation


@transaction.atomic
def court_referral_add(*, allegation: Allegation, court: str, referred_on: date, reference: str = "", actor):
    referral = CourtReferral.objects.create(
        allegation=allegation, court=court.strip(), referred_on=referred_on, reference=reference.strip()
    )
    record_step_add(record=allegation, step="court_referral", actor=actor, note=court)
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=allegation,
        actor=actor,
        after={"court_referrals": None, "step": "court_referral"},
    )
    return referral
