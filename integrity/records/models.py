"""Confidential records of the Justice, Training & Integrity Unit: misconduct allegations,
wrongful-conviction claims, post-conviction testing requests (Penal Code 1405) and the
discovery disclosure index.

Every record is confidential (see integrity/records/access.py): never hard-deleted (a soft-delete
flag, foreign keys that PROTECT), with a retention date and a legal hold. Reads, changes and
exports are logged as `AuditEntry` rows (actions `integrity.record.view|change|export`).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from integrity.records.steps import step_label
from jcr.core.models import TimeStampedModel

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def receipt_number_new(prefix: str) -> str:
    """A receipt number a person can read over the phone: PREFIX-XXXX-XXXX (no 0/O, 1/I)."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


class Confidential:
    """Marks a model confidential for jcr.core.audit: its history names the changed fields,
    never their values, only JTI members read it, and the conflict wall hides walled rows
    from the walled. `__str__` of such a model names no person (it ends up in histories)."""

    confidential_permission = "integrity.access_records"

    @classmethod
    def confidential_hidden_keys(cls, user):
        # Imported here: the access gate reads these models, so it cannot be imported above.
        from integrity.records.access import wall_hidden_keys

        return wall_hidden_keys(cls, user)


HOLD_REASON = "legal_hold"
DELETE = "delete"
DELETION_FIELDS = ("is_deleted", "deleted_at")

# Sent (record, attempt, route) when the ORM refuses to delete a record on legal hold, so the
# records feature logs the refusal (integrity.records.signals) before the error is raised.
hold_refused = Signal()


class RecordOnHold(ValidationError):
    """An attempt that a legal hold forbids (a ValidationError: pages show its message)."""

    def __init__(self, *, record: models.Model, attempt: str, fields: tuple[str, ...]):
        super().__init__(
            gettext("This record is on legal hold: it cannot be deleted, disposed of or anonymised."),
            code=HOLD_REASON,
        )
        self.record, self.attempt, self.fields = record, attempt, fields


class ConfidentialQuerySet(models.QuerySet):
    """A bulk delete, or a bulk update marking rows deleted, refuses when any row is on legal
    hold: each held row's refusal is logged, then RecordOnHold is raised and nothing changes."""

    def _refuse_held(self, route: str) -> None:
        held = list(self.filter(legal_hold=True)[:100])
        for record in held:
            hold_refused.send(sender=self.model, record=record, attempt=DELETE, route=route)
        if held:
            raise RecordOnHold(record=held[0], attempt=DELETE, fields=DELETION_FIELDS)

    def delete(self):
        self._refuse_held("orm:queryset_delete")
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def update(self, **kwargs):
        if kwargs.get("is_deleted") is True:
            self._refuse_held("orm:queryset_update")
        return super().update(**kwargs)

    update.alters_data = True


class ActiveManager(models.Manager.from_queryset(ConfidentialQuerySet)):
    """Rows that are not soft-deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


def hold_constraint(model_name: str) -> models.CheckConstraint:
    """A record on legal hold is never marked deleted, even by a raw update (the rule itself
    lives in integrity.records.services; this is the database's last word)."""
    return models.CheckConstraint(
        condition=~models.Q(legal_hold=True, is_deleted=True), name=f"integrity_{model_name}_hold_not_deleted"
    )


class ConfidentialRecord(Confidential, TimeStampedModel):
    """Fields every confidential record carries."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    is_deleted = models.BooleanField(_("deleted"), default=False, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    retention_until = models.DateField(
        _("keep until"),
        null=True,
        blank=True,
        help_text=_("Computed from the retention schedule and its trigger date (or the extension, if later)."),
    )
    legal_hold = models.BooleanField(
        _("legal hold"), default=False, help_text=_("A record on legal hold is kept whatever its retention date.")
    )
    retention_schedule = models.ForeignKey(
        "integrity.RetentionSchedule",
        verbose_name=_("retention schedule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retention_extended_until = models.DateField(_("retention extended until"), null=True, blank=True)
    retention_extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    case_final_on = models.DateField(
        _("underlying case final on"),
        null=True,
        blank=True,
        help_text=_("The day the criminal case behind this record became final, when known."),
    )

    objects = models.Manager.from_queryset(ConfidentialQuerySet)()
    active = ActiveManager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        """Refused (and logged) for a record on legal hold, as stored or as in memory."""
        if self.legal_hold or type(self)._base_manager.filter(pk=self.pk, legal_hold=True).exists():
            hold_refused.send(sender=type(self), record=self, attempt=DELETE, route="orm:delete")
            raise RecordOnHold(record=self, attempt=DELETE, fields=DELETION_FIELDS)
        return super().delete(*args, **kwargs)


# --- Misconduct allegations ---------------------------------------------------------------


class Allegation(ConfidentialRecord):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REVIEW = "review", _("In review")
        INVESTIGATION = "investigation", _("Under investigation")
        FINDING = "finding", _("Finding made")
        CLOSED = "closed", _("Closed (complainant answered)")

    class Finding(models.TextChoices):
        SUSTAINED = "sustained", _("Sustained")
        NOT_SUSTAINED = "not_sustained", _("Not sustained")
        UNFOUNDED = "unfounded", _("Unfounded")
        EXONERATED = "exonerated", _("Exonerated")
        REFERRED = "referred", _("Referred")

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        INTERNAL = "internal", _("Internal intake")

    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.PUBLIC)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED, db_index=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("complainant name"), max_length=150, blank=True)
    complainant_email = models.EmailField(_("complainant e-mail"), blank=True)
    complainant_phone = models.CharField(_("complainant phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    subject = models.CharField(_("person or office concerned"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    finding_summary = models.TextField(_("finding summary"), blank=True)
    response_text = models.TextField(_("response to the complainant"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("misconduct allegation")
        verbose_name_plural = _("misconduct allegations")
        ordering = ["-created_at", "-id"]
        constraints = [hold_constraint("allegation")]
        permissions = [
            ("access_records", "Can open confidential records"),
            ("export_records", "Can export confidential records"),
            ("view_access_log", "Can read the access log of confidential records"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files that are never served as media: JCR_PRIVATE_MEDIA_ROOT, by default a
    "private_media" folder next to MEDIA_ROOT. Read at each use, so tests' MEDIA_ROOT holds."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        root = settings.JCR_PRIVATE_MEDIA_ROOT
        return str(root or Path(settings.MEDIA_ROOT).parent / "private_media")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def attachment_path(instance, filename: str) -> str:
    """A random name; the client's file name is kept only in `original_name`."""
    return f"integrity/allegations/{uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class AllegationAttachment(Confidential, TimeStampedModel):
    allegation = models.ForeignKey(
        Allegation, verbose_name=_("allegation"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=PrivateStorage(), max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("allegation attachment")
        verbose_name_plural = _("allegation attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return pgettext("confidential record", "Attachment %(id)s") % {"id": self.pk}


class CourtReferral(Confidential, TimeStampedModel):
    allegation = models.ForeignKey(
        Allegation, verbose_name=_("allegation"), on_delete=models.PROTECT, related_name="court_referrals"
    )
    court = models.CharField(_("court"), max_length=200)
    referred_on = models.DateField(_("referred on"))
    reference = models.CharField(_("court reference"), max_length=100, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("court referral")
        verbose_name_plural = _("court referrals")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.court} {self.referred_on}"


class RecordStep(Confidential, models.Model):
    """One step in a confidential record's history (a timeline the JTI staff read)."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    record_type = models.CharField(_("record type"), max_length=60, db_index=True)
    record_id = models.PositiveBigIntegerField(_("record id"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.CharField(_("step"), max_length=60)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("record step")
        verbose_name_plural = _("record steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id", "at"], name="integrity_step_record_idx")]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} {self.step}"

    @property
    def label(self) -> str:
        return step_label(self.step)


class RecordDeadline(Confidential, TimeStampedModel):
    """A deadline on a confidential record, with one reminder claimed by a conditional UPDATE."""

    record_type = models.CharField(_("record type"), max_length=60, db_index=True)
    record_id = models.PositiveBigIntegerField(_("record id"), db_index=True)
    label = models.CharField(_("what is due"), max_length=200)
    due_on = models.DateField(_("due on"), db_index=True)
    remind_on = models.DateField(_("remind on"), db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    remind_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("remind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_on})"


# --- Wrongful-conviction claims -----------------------------------------------------------


class EligibilityCriterion(TimeStampedModel):
    """A screening question for wrongful-conviction claims, kept as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("criterion"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Claim(ConfidentialRecord):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SCREENING = "screening", _("Screening")
        INVESTIGATION = "investigation", _("Under investigation")
        EXTERNAL_REVIEW = "external_review", _("External review")
        DISPOSED = "disposed", _("Disposed")

    class Disposition(models.TextChoices):
        DECLINED = "declined", _("Declined (letter sent)")
        REFERRED = "referred", _("Referred")
        MOTION_TO_VACATE = "motion_to_vacate", _("Motion to vacate")
        EXONERATION = "exoneration", _("Exoneration")

    class Writer(models.TextChoices):
        SELF = "self", _("The person convicted")
        FAMILY = "family", _("A family member")
        COUNSEL = "counsel", _("Their lawyer")
        INNOCENCE_ORGANIZATION = "innocence_org", _("An innocence organization")
        OTHER = "other", _("Someone else")

    class ContactPreference(models.TextChoices):
        MAIL = "mail", _("Letter by mail")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        WRITER = "writer", _("Through the person who wrote")

    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED, db_index=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition, blank=True)
    claimant_name = models.CharField(_("claimant name"), max_length=150)
    claimant_contact = models.TextField(_("how to reach the claimant"), blank=True)
    claimant_email = models.EmailField(_("claimant e-mail"), blank=True)
    claimant_contact_preference = models.CharField(
        _("how the person convicted prefers to be reached"), max_length=16, choices=ContactPreference, blank=True
    )
    # Who wrote the claim: the person convicted, or someone on their behalf ("" on claims
    # received before the form asked).
    writer = models.CharField(_("who is writing"), max_length=16, choices=Writer, blank=True)
    writer_name = models.CharField(_("writer's name"), max_length=150, blank=True)
    writer_relationship = models.CharField(
        _("writer's relationship to the person convicted"), max_length=150, blank=True
    )
    writer_contact = models.TextField(_("how to reach the writer"), blank=True)
    writer_email = models.EmailField(_("writer's e-mail"), blank=True)
    writer_contact_preference = models.CharField(
        _("how the writer prefers to be reached"), max_length=16, choices=ContactPreference, blank=True
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    case_number = models.CharField(_("case number"), max_length=60)
    conviction_year = models.PositiveSmallIntegerField(_("year of conviction"), null=True, blank=True)
    summary = models.TextField(_("why the conviction is wrong"))
    has_counsel = models.BooleanField(_("has a lawyer"), default=False)
    counsel_name = models.CharField(_("lawyer"), max_length=150, blank=True)
    wants_counsel_contact = models.BooleanField(_("we may contact the lawyer"), default=False)
    consent_records = models.BooleanField(_("consents to a records review"), default=False)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conflicted_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("walled off (worked the original case)"),
        blank=True,
        related_name="+",
        help_text=_("Prosecutors who worked the original case: they can never see this claim."),
    )
    disposition_letter = models.TextField(_("disposition letter"), blank=True)
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("wrongful-conviction claim")
        verbose_name_plural = _("wrongful-conviction claims")
        ordering = ["-created_at", "-id"]
        constraints = [hold_constraint("claim")]
        permissions = [("manage_conflict_wall", "Can wall people off from wrongful-conviction claims")]

    def __str__(self) -> str:
        return self.receipt_number


class ClaimScreening(Confidential, TimeStampedModel):
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="screenings")
    criterion = models.ForeignKey(EligibilityCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT)
    met = models.BooleanField(_("met"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("screening answer")
        verbose_name_plural = _("screening answers")
        constraints = [models.UniqueConstraint(fields=["claim", "criterion"], name="integrity_claimscreening_once")]

    def __str__(self) -> str:
        return f"{self.claim} {self.criterion.code}"


class ExternalReviewNote(Confidential, TimeStampedModel):
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="review_notes")
    reviewer = models.CharField(_("reviewer"), max_length=150)
    note = models.TextField(_("note"))

    class Meta:
        verbose_name = _("external review note")
        verbose_name_plural = _("external review notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return pgettext("confidential record", "%(claim)s review note %(id)s") % {"claim": self.claim, "id": self.pk}


class ClaimWallChange(Confidential, models.Model):
    """A proposed change to a claim's conflict wall that needs a second person: walling off,
    or lifting the wall of, a person who holds the wall permission themselves (a JTI Chief).
    One JTI member proposes, a different one confirms; the walled person does neither
    (integrity/records/services_wall.py). Nothing changes while it is pending."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second person")
        CONFIRMED = "confirmed", _("Confirmed: done")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="wall_changes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    lift = models.BooleanField(_("lift the wall"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict wall change")
        verbose_name_plural = _("conflict wall changes")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "person"],
                condition=models.Q(status="pending"),
                name="integrity_claimwallchange_one_pending",
            )
        ]

    def __str__(self) -> str:
        return pgettext("confidential record", "Wall change %(id)s") % {"id": str(self.public_id)[:8]}


# --- Post-conviction testing (Penal Code 1405) --------------------------------------------


class DeadlineRule(TimeStampedModel):
    """A response deadline kept as data (configurable; not legal advice)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=200)
    days = models.PositiveSmallIntegerField(_("days"))
    from_event = models.CharField(_("counted from"), max_length=40, default="served")
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    def due_from(self, start):
        return start + timedelta(days=self.days)


class TestingRequest(ConfidentialRecord):
    __test__ = False  # not a pytest test class, whatever its name

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        RESPONSE_FILED = "response_filed", _("Response filed")
        ORDERED = "ordered", _("Testing ordered")
        TESTING = "testing", _("At the laboratory")
        RESULT = "result", _("Result received")
        DENIED = "denied", _("Denied by the court")
        CLOSED = "closed", _("Closed")

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED, db_index=True)
    petitioner = models.CharField(_("petitioner"), max_length=150)
    case_number = models.CharField(_("case number"), max_length=60)
    court = models.CharField(_("court"), max_length=200)
    counsel = models.CharField(_("counsel"), max_length=150, blank=True)
    served_on = models.DateField(_("date served"), help_text=_("The later of the two service dates."))
    served_ag_on = models.DateField(_("served on the Attorney General"), null=True, blank=True)
    served_da_on = models.DateField(_("served on the district attorney"), null=True, blank=True)
    briefing_extension = models.BooleanField(
        _("additional briefing time requested"),
        default=False,
        help_text=_("Either party requested the additional days to brief the issues (Pen. Code § 1405)."),
    )
    # Before the rules registry a rule was picked and the date typed: kept for those rows only.
    rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("deadline rule (before the registry)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    response_rule = models.ForeignKey(
        "integrity.LegalRule",
        verbose_name=_("response rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_rule = models.ForeignKey(
        "integrity.LegalRule",
        verbose_name=_("briefing extension rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_due = models.DateField(_("response due"))
    response_due_kept = models.BooleanField(
        _("due date kept from before the registry"),
        default=False,
        help_text=_("Entered before both service dates were recorded: check it against the statute."),
    )
    lab = models.CharField(_("laboratory"), max_length=200, blank=True)
    result = models.TextField(_("result"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned prosecutor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("post-conviction testing request")
        verbose_name_plural = _("post-conviction testing requests")
        ordering = ["response_due", "id"]
        constraints = [hold_constraint("testingrequest")]

    def __str__(self) -> str:
        return pgettext("confidential record", "PC 1405 request %(case)s") % {"case": self.case_number}


class EvidenceItem(Confidential, TimeStampedModel):
    class Preservation(models.TextChoices):
        PRESERVED = "preserved", _("Preserved")
        PARTIAL = "partial", _("Partly preserved")
        CONSUMED = "consumed", _("Consumed")
        DESTROYED = "destroyed", _("Destroyed")
        UNKNOWN = "unknown", _("Unknown")

    request = models.ForeignKey(
        TestingRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="evidence_items"
    )
    description = models.CharField(_("item"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    custodian = models.CharField(_("custodian"), max_length=150)
    preservation = models.CharField(_("preservation status"), max_length=16, choices=Preservation)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["id"]

    def __str__(self) -> str:
        return pgettext("confidential record", "Evidence item %(id)s") % {"id": self.pk}


class CourtOrder(Confidential, TimeStampedModel):
    request = models.ForeignKey(
        TestingRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="court_orders"
    )
    ordered_on = models.DateField(_("ordered on"))
    summary = models.TextField(_("order"))

    class Meta:
        verbose_name = _("court order")
        verbose_name_plural = _("court orders")
        ordering = ["ordered_on", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.ordered_on}"


# --- Discovery safeguards -----------------------------------------------------------------


class DisclosureEntry(ConfidentialRecord):
    class Basis(models.TextChoices):
        DISHONESTY = "dishonesty", _("Dishonesty")
        BIAS = "bias", _("Bias")
        FORCE = "force", _("Excessive force")
        CRIMINAL = "criminal", _("Criminal conduct")
        OTHER = "other", _("Other impeachment information")

    class Reconsideration(models.TextChoices):
        NONE = "", _("None requested")
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Entry upheld")
        REMOVED = "removed", _("Entry removed")

    officer_name = models.CharField(_("officer"), max_length=150)
    badge_number = models.CharField(
        _("badge number"),
        max_length=30,
        blank=True,
        db_index=True,
        help_text=_("As the agency issues it; a lookup by badge compares it without spaces or dashes."),
    )
    agency = models.CharField(_("agency"), max_length=150)
    basis = models.CharField(_("basis category"), max_length=16, choices=Basis)
    supporting_documents = models.TextField(_("supporting documents"), blank=True)
    officer_notified_on = models.DateField(_("officer notified on"), null=True, blank=True)
    reconsideration = models.CharField(
        _("reconsideration"), max_length=16, choices=Reconsideration, blank=True, default=""
    )
    reconsideration_decision = models.TextField(_("reconsideration decision"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("disclosure index entry")
        verbose_name_plural = _("disclosure index entries")
        ordering = ["officer_name", "id"]
        constraints = [hold_constraint("disclosureentry")]
        permissions = [("lookup_disclosure_index", "Can ask whether an officer has a disclosure index entry")]

    def __str__(self) -> str:
        return pgettext("confidential record", "Index entry %(id)s") % {"id": str(self.public_id)[:8]}


class DisclosureLog(Confidential, TimeStampedModel):
    entry = models.ForeignKey(
        DisclosureEntry, verbose_name=_("index entry"), on_delete=models.PROTECT, related_name="disclosures"
    )
    case_number = models.CharField(_("case number"), max_length=60, db_index=True)
    disclosed_on = models.DateField(_("disclosed on"))
    disclosed_to = models.CharField(_("disclosed to"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("disclosure log entry")
        verbose_name_plural = _("disclosure log entries")
        ordering = ["-disclosed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.disclosed_on}"
