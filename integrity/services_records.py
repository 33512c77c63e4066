"""Writes of the confidential records. Each service owns its transaction, writes a history
step (`RecordStep`) and an `AuditEntry` (`integrity.record.change`). The audit entry of a
confidential record keeps the names of the fields that changed, never their values
(jcr.core.audit); the values and notes live in the record and its JTI-only history steps."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity.access import CHANGE
from integrity.models_records import (
    Allegation,
    AllegationAttachment,
    Claim,
    ClaimScreening,
    CourtOrder,
    CourtReferral,
    DeadlineRule,
    DisclosureEntry,
    DisclosureLog,
    EligibilityCriterion,
    EvidenceItem,
    ExternalReviewNote,
    RecordDeadline,
    RecordStep,
    TestingRequest,
    receipt_number_new,
)
from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue
from jcr.core.uploads import image_validate_and_clean, pdf_is_sound

log = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5
ALLEGATION_REVIEW_RULE = "allegation-review"
ALLEGATION_REVIEW_DAYS_DEFAULT = 30

ATTACHMENT_MESSAGES = {
    "too_large": gettext_lazy("This file is too large (%(size)s). Files can be at most %(limit)s."),
    "empty": gettext_lazy("This file is empty."),
    "bad_type": gettext_lazy("This file is not a PDF, JPEG or PNG. Choose a file in one of those formats."),
    "bad_pdf": gettext_lazy("This PDF is damaged or incomplete and cannot be read. Try saving it again."),
}


# --- Attachments --------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanAttachment:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def _read_bounded(uploaded, max_bytes: int) -> bytes:
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            ATTACHMENT_MESSAGES["too_large"],
            code="too_large",
            params={"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)},
        )
    return data


def attachment_validate(uploaded, *, max_bytes: int | None = None) -> CleanAttachment:
    """Check one uploaded file by its content: a PDF (strictly parsed, no HTML) or a JPEG/PNG
    (decoded and re-encoded without metadata by jcr.core.uploads). Raises ValidationError
    with a message for the person."""
    max_bytes = settings.JCR_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(
            ATTACHMENT_MESSAGES["too_large"],
            code="too_large",
            params={"size": filesizeformat(declared), "limit": filesizeformat(max_bytes)},
        )
    data = _read_bounded(uploaded, max_bytes)
    if not data:
        raise ValidationError(ATTACHMENT_MESSAGES["empty"], code="empty")
    name = (getattr(uploaded, "name", "") or "file")[-200:]
    # The PDF header at byte 0 only: a file with HTML before it is an HTML/PDF hybrid.
    if data.startswith(b"%PDF-"):
        if not pdf_is_sound(data):
            raise ValidationError(ATTACHMENT_MESSAGES["bad_pdf"], code="bad_pdf")
        return CleanAttachment(content=data, content_type="application/pdf", extension="pdf", original_name=name)
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        uploaded.seek(0)
        image = image_validate_and_clean(uploaded, max_bytes=max_bytes)
        if image.format not in ("JPEG", "PNG"):
            raise ValidationError(ATTACHMENT_MESSAGES["bad_type"], code="bad_type")
        return CleanAttachment(
            content=image.content, content_type=image.content_type, extension=image.extension, original_name=name
        )
    raise ValidationError(ATTACHMENT_MESSAGES["bad_type"], code="bad_type")


# --- Shared pieces ------------------------------------------------------------------------


def _record_type(record: models.Model) -> str:
    return record._meta.label_lower


def step_add(*, record: models.Model, step: str, actor=None, note: str = "") -> RecordStep:
    return RecordStep.objects.create(
        record_type=_record_type(record),
        record_id=record.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        step=step,
        note=note,
    )


def _changed(*, record: models.Model, before: dict, actor, action: str) -> None:
    old, new = diff(before, snapshot(record))
    for noise in ("updated_at",):
        old.pop(noise, None)
        new.pop(noise, None)
    audit_record(
        action=f"integrity.record.{CHANGE}", obj=record, actor=actor, before=old, after={**new, "step": action}
    )


def deadline_add(*, record: models.Model, label: str, due_on: date, remind_days_before: int, remind_to=None):
    return RecordDeadline.objects.create(
        record_type=_record_type(record),
        record_id=record.pk,
        label=label,
        due_on=due_on,
        remind_on=due_on - timedelta(days=remind_days_before),
        remind_to=remind_to,
    )


def deadlines_meet(*, record: models.Model, label_prefix: str = "") -> int:
    qs = RecordDeadline.objects.filter(record_type=_record_type(record), record_id=record.pk, met_at__isnull=True)
    if label_prefix:
        qs = qs.filter(label__startswith=label_prefix)
    return qs.update(met_at=timezone.now())


@transaction.atomic
def record_soft_delete(*, record: models.Model, actor, reason: str) -> None:
    """Mark a record deleted (it stays in the database). Refused under legal hold."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.legal_hold:
        raise ValidationError(_("This record is on legal hold and cannot be deleted."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for deleting this record."))
    before = snapshot(record)
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    step_add(record=record, step="deleted", actor=actor, note=reason)
    _changed(record=record, before=before, actor=actor, action="deleted")


@transaction.atomic
def record_hold_set(
    *, record: models.Model, actor, legal_hold: bool, retention_until: date | None, note: str = ""
) -> bool:
    """Set a record's retention date and legal hold. Returns whether anything changed (an
    unchanged form writes no history step and no audit entry)."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.is_deleted:
        raise ValidationError(_("This record was deleted."))
    if record.legal_hold == legal_hold and record.retention_until == retention_until:
        return False
    before = snapshot(record)
    record.legal_hold = legal_hold
    record.retention_until = retention_until
    record.save(update_fields=["legal_hold", "retention_until", "updated_at"])
    step_add(record=record, step="legal_hold" if legal_hold else "retention", actor=actor, note=note.strip())
    _changed(record=record, before=before, actor=actor, action="retention")
    return True


# --- Misconduct allegations ---------------------------------------------------------------

ALLEGATION_FLOW = {
    Allegation.Status.RECEIVED: {Allegation.Status.REVIEW},
    Allegation.Status.REVIEW: {Allegation.Status.INVESTIGATION, Allegation.Status.FINDING},
    Allegation.Status.INVESTIGATION: {Allegation.Status.FINDING},
    Allegation.Status.FINDING: {Allegation.Status.CLOSED},
    Allegation.Status.CLOSED: set(),
}


def _unique_receipt(model, prefix: str) -> str:
    for _attempt in range(10):
        number = receipt_number_new(prefix)
        if not model.objects.filter(receipt_number=number).exists():
            return number
    raise RuntimeError("could not draw a free receipt number")  # pragma: no cover


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
        receipt_number=_unique_receipt(Allegation, "MA"),
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
    step_add(record=allegation, step=Allegation.Status.RECEIVED, actor=actor)
    rule = DeadlineRule.objects.filter(code=ALLEGATION_REVIEW_RULE, is_active=True).first()
    days = rule.days if rule else ALLEGATION_REVIEW_DAYS_DEFAULT
    deadline_add(
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
        deadlines_meet(record=allegation, label_prefix="Review")
    allegation.status = to_status
    allegation.save()
    step_add(record=allegation, step=to_status, actor=actor, note=note)
    _changed(record=allegation, before=before, actor=actor, action=to_status)
    return allegation


@transaction.atomic
def court_referral_add(*, allegation: Allegation, court: str, referred_on: date, reference: str = "", actor):
    referral = CourtReferral.objects.create(
        allegation=allegation, court=court.strip(), referred_on=referred_on, reference=reference.strip()
    )
    step_add(record=allegation, step="court_referral", actor=actor, note=court)
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=allegation,
        actor=actor,
        after={"court_referrals": None, "step": "court_referral"},
    )
    return referral


# --- Wrongful-conviction claims -----------------------------------------------------------

CLAIM_FLOW = {
    Claim.Status.RECEIVED: {Claim.Status.SCREENING},
    Claim.Status.SCREENING: {Claim.Status.INVESTIGATION, Claim.Status.DISPOSED},
    Claim.Status.INVESTIGATION: {Claim.Status.EXTERNAL_REVIEW, Claim.Status.DISPOSED},
    Claim.Status.EXTERNAL_REVIEW: {Claim.Status.INVESTIGATION, Claim.Status.DISPOSED},
    Claim.Status.DISPOSED: set(),
}


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
    actor=None,
) -> Claim:
    claim = Claim(
        receipt_number=_unique_receipt(Claim, "WC"),
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
    )
    claim.full_clean()
    claim.save()
    step_add(record=claim, step=Claim.Status.RECEIVED, actor=actor)
    audit_record(action="integrity.claim.submit", obj=claim, actor=actor)
    if claim.claimant_email:
        email_queue(
            to=claim.claimant_email,
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
    step_add(record=claim, step="screened", actor=actor, note=note or ("eligible" if eligible else "not eligible"))
    _changed(record=claim, before=before, actor=actor, action="screened")
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
    step_add(record=claim, step="assigned", actor=actor, note=investigator.get_username())
    _changed(record=claim, before=before, actor=actor, action="assigned")
    return claim


@transaction.atomic
def claim_wall_add(*, claim: Claim, users, actor, note: str = "") -> None:
    """Wall `users` off from the claim (they worked the original case): from now on they get
    404 on it everywhere. The claim's investigator cannot be walled off without first being
    replaced."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    users = [u for u in users if u is not None]
    if claim.investigator_id and any(u.pk == claim.investigator_id for u in users):
        raise ValidationError(_("This person investigates the claim: assign another investigator first."))
    already = set(claim.conflicted_users.filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    added = [u for u in users if u.pk not in already]
    if not added:
        return
    claim.conflicted_users.add(*added)
    step_add(
        record=claim,
        step="conflict_wall",
        actor=actor,
        note="; ".join(filter(None, [", ".join(u.get_username() for u in added), note.strip()])),
    )
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=claim,
        actor=actor,
        after={"conflicted_users": None, "step": "conflict_wall"},
    )


@transaction.atomic
def claim_wall_remove(*, claim: Claim, user, actor, reason: str) -> None:
    """Lift the wall for one person; the reason is required and kept in the history and the
    audit entry."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not reason.strip():
        raise ValidationError(_("Give the reason for lifting the wall."))
    if not claim.conflicted_users.filter(pk=user.pk).exists():
        raise ValidationError(_("This person is not walled off from the claim."))
    claim.conflicted_users.remove(user)
    step_add(record=claim, step="conflict_wall_lifted", actor=actor, note=f"{user.get_username()}; {reason.strip()}")
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=claim,
        actor=actor,
        after={"conflicted_users": None, "step": "conflict_wall_lifted"},
    )


@transaction.atomic
def claim_review_note_add(*, claim: Claim, reviewer: str, note: str, actor) -> ExternalReviewNote:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in (Claim.Status.INVESTIGATION, Claim.Status.EXTERNAL_REVIEW):
        raise ValidationError(_("External review notes are added during investigation or external review."))
    before = snapshot(claim)
    claim.status = Claim.Status.EXTERNAL_REVIEW
    claim.save()
    review = ExternalReviewNote.objects.create(claim=claim, reviewer=reviewer.strip(), note=note.strip())
    step_add(record=claim, step="external_review", actor=actor, note=reviewer)
    _changed(record=claim, before=before, actor=actor, action="external_review")
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
    step_add(record=claim, step=f"disposed:{disposition}", actor=actor)
    _changed(record=claim, before=before, actor=actor, action="disposed")
    return claim


# --- Post-conviction testing --------------------------------------------------------------


def pc1405_response_due(*, rule: DeadlineRule, served_on: date) -> date:
    """The response deadline: `rule.days` calendar days after service (a configurable value
    kept as data, not legal advice)."""
    return rule.due_from(served_on)


@transaction.atomic
def pc1405_request_create(
    *,
    petitioner: str,
    case_number: str,
    court: str,
    served_on: date,
    counsel: str = "",
    rule: DeadlineRule | None = None,
    actor,
) -> TestingRequest:
    rule = rule or DeadlineRule.objects.filter(is_active=True, code="pc1405-response").first()
    if rule is None:
        raise ValidationError(_("No deadline rule is set up for testing requests."))
    request = TestingRequest(
        petitioner=petitioner.strip(),
        case_number=case_number.strip(),
        court=court.strip(),
        counsel=counsel.strip(),
        served_on=served_on,
        rule=rule,
        response_due=pc1405_response_due(rule=rule, served_on=served_on),
    )
    request.full_clean()
    request.save()
    deadline_add(
        record=request,
        label="Response",
        due_on=request.response_due,
        remind_days_before=rule.remind_days_before,
        remind_to=actor if getattr(actor, "is_authenticated", False) else None,
    )
    step_add(record=request, step=TestingRequest.Status.RECEIVED, actor=actor)
    audit_record(action=f"integrity.record.{CHANGE}", obj=request, actor=actor, after={"created": True})
    return request


@transaction.atomic
def evidence_item_add(
    *, request: TestingRequest, description: str, location: str, custodian: str, preservation: str, actor
) -> EvidenceItem:
    item = EvidenceItem(
        request=request, description=description, location=location, custodian=custodian, preservation=preservation
    )
    item.full_clean()
    item.save()
    step_add(record=request, step="evidence_item", actor=actor, note=description)
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=request,
        actor=actor,
        after={"evidence_items": None, "step": "evidence_item"},
    )
    return item


TESTING_FLOW = {
    TestingRequest.Status.RECEIVED: {TestingRequest.Status.RESPONSE_FILED},
    TestingRequest.Status.RESPONSE_FILED: {TestingRequest.Status.ORDERED, TestingRequest.Status.DENIED},
    TestingRequest.Status.ORDERED: {TestingRequest.Status.TESTING},
    TestingRequest.Status.TESTING: {TestingRequest.Status.RESULT},
    TestingRequest.Status.RESULT: {TestingRequest.Status.CLOSED},
    TestingRequest.Status.DENIED: {TestingRequest.Status.CLOSED},
    TestingRequest.Status.CLOSED: set(),
}


@transaction.atomic
def pc1405_request_advance(
    *, request: TestingRequest, to_status: str, actor, lab: str = "", result: str = "", order_summary: str = ""
) -> TestingRequest:
    request = TestingRequest.objects.select_for_update().get(pk=request.pk)
    if to_status not in TESTING_FLOW.get(request.status, set()):
        raise ValidationError(_("This testing request cannot move to that step now."))
    before = snapshot(request)
    if to_status == TestingRequest.Status.RESPONSE_FILED:
        deadlines_meet(record=request, label_prefix="Response")
    if to_status in (TestingRequest.Status.ORDERED, TestingRequest.Status.DENIED):
        if not order_summary.strip():
            raise ValidationError(_("Summarise the court's order."))
        CourtOrder.objects.create(request=request, ordered_on=timezone.localdate(), summary=order_summary.strip())
    if to_status == TestingRequest.Status.TESTING:
        if not lab.strip():
            raise ValidationError(_("Name the laboratory."))
        request.lab = lab.strip()
    if to_status == TestingRequest.Status.RESULT:
        if not result.strip():
            raise ValidationError(_("Enter the result."))
        request.result = result.strip()
    request.status = to_status
    request.save()
    step_add(record=request, step=to_status, actor=actor)
    _changed(record=request, before=before, actor=actor, action=to_status)
    return request


# --- Discovery safeguards -----------------------------------------------------------------


@transaction.atomic
def disclosure_entry_create(*, actor, **fields) -> DisclosureEntry:
    entry = DisclosureEntry(**fields)
    entry.full_clean()
    entry.save()
    step_add(record=entry, step="created", actor=actor)
    audit_record(action=f"integrity.record.{CHANGE}", obj=entry, actor=actor, after={"created": True})
    return entry


@transaction.atomic
def disclosure_reconsider(*, entry: DisclosureEntry, decision: str, text: str, actor) -> DisclosureEntry:
    """Record a reconsideration: "pending" when requested, then "upheld" or "removed"
    (removal makes the entry inactive)."""
    entry = DisclosureEntry.objects.select_for_update().get(pk=entry.pk)
    allowed = {
        DisclosureEntry.Reconsideration.NONE: {DisclosureEntry.Reconsideration.PENDING},
        DisclosureEntry.Reconsideration.PENDING: {
            DisclosureEntry.Reconsideration.UPHELD,
            DisclosureEntry.Reconsideration.REMOVED,
        },
    }.get(entry.reconsideration, set())
    if decision not in allowed:
        raise ValidationError(_("This reconsideration step is not possible now."))
    before = snapshot(entry)
    entry.reconsideration = decision
    if decision != DisclosureEntry.Reconsideration.PENDING:
        entry.reconsideration_decision = text.strip()
    if decision == DisclosureEntry.Reconsideration.REMOVED:
        entry.is_active = False
    entry.save()
    step_add(record=entry, step=f"reconsideration:{decision}", actor=actor, note=text)
    _changed(record=entry, before=before, actor=actor, action="reconsideration")
    return entry


@transaction.atomic
def disclosure_log_add(
    *, entry: DisclosureEntry, case_number: str, disclosed_on: date, disclosed_to: str, note: str = "", actor
) -> DisclosureLog:
    if not entry.is_active:
        raise ValidationError(_("This index entry was removed; it is no longer disclosed."))
    row = DisclosureLog.objects.create(
        entry=entry, case_number=case_number.strip(), disclosed_on=disclosed_on, disclosed_to=disclosed_to, note=note
    )
    step_add(record=entry, step="disclosed", actor=actor, note=case_number)
    audit_record(
        action=f"integrity.record.{CHANGE}", obj=entry, actor=actor, after={"disclosures": None, "step": "disclosed"}
    )
    return row


# --- Deadline reminders -------------------------------------------------------------------


def record_deadline_reminders_send(*, today: date | None = None) -> int:
    """Send every due reminder once. Each row is claimed by a conditional UPDATE that must
    touch exactly one row (a second worker finds it claimed). The e-mail is queued in the
    same transaction as the claim, so a crash loses neither: at most once per deadline."""
    today = today or timezone.localdate()
    open_ = {"reminded_at__isnull": True, "met_at__isnull": True}

    def run(deadline: RecordDeadline) -> bool:
        for email in _reminder_recipients(deadline):
            email_queue(
                to=email,
                template="integrity/record_deadline",
                context={"label": deadline.label, "due_on": deadline.due_on},
                language=settings.LANGUAGE_CODE,
                related=deadline,
            )
        return True

    outcomes = work.run_each_due(
        RecordDeadline.objects.filter(remind_on__lte=today, **open_),
        lambda pk: work.claim_and_run(
            RecordDeadline.objects.select_related("remind_to"),
            pk,
            where=open_,
            claim={"reminded_at": timezone.now()},
            run=run,
        ),
    )
    return outcomes[True]


def _reminder_recipients(deadline: RecordDeadline) -> list[str]:
    if deadline.remind_to_id and deadline.remind_to.email:
        return [deadline.remind_to.email]
    from django.contrib.auth import get_user_model

    from jcr.accounts import roles

    users = (
        get_user_model()
        .objects.filter(Q(groups__name=roles.JTI_CHIEF), is_active=True, is_staff=True)
        .exclude(email="")
    )
    return sorted({u.email for u in users})
