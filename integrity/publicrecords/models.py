"""California Public Records Act requests (Gov. Code § 7920.000 ff.): the request, the
records gathered, the redactions (each citing an exemption), the release log, the timeline
and the reminders of the determination due date. The clocks come from the legal rules
registry (integrity.rules): the version in force on the day the request was received."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrity.rules.models import LegalRule
from jcr.core.models import TimeStampedModel

TRACKING_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B

# Rule codes in the registry (integrity migration `public_records_rules_seed`).
DETERMINATION_RULE = "cpra-determination"
EXTENSION_RULE = "cpra-extension"

WORK = "integrity.work_publicrecordsrequest"


def tracking_code_new() -> str:
    return "PRA" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(9))


class UnusualCircumstance(models.TextChoices):
    """Gov. Code § 7922.535, subd. (c): the grounds for extending the time by written notice.
    Which of them a request may use is the extension rule's "reasons" parameter (the version
    in force on the day the request was received)."""

    FIELD_FACILITIES = (
        "field_facilities",
        _(
            "Searching for and collecting the records from field facilities or other establishments separate "
            "from the office processing the request"
        ),
    )
    VOLUMINOUS = (
        "voluminous",
        _(
            "Searching for, collecting and examining a voluminous amount of separate and distinct records "
            "demanded in a single request"
        ),
    )
    CONSULTATION = (
        "consultation",
        _(
            "Consulting another agency with a substantial interest in the determination, or two or more "
            "components of this office"
        ),
    )
    COMPILING_DATA = (
        "compiling_data",
        _(
            "Compiling data, writing programming language or a computer program, or constructing a computer "
            "report to extract data"
        ),
    )
    STATE_OF_EMERGENCY = (
        "state_of_emergency",
        _(
            "Searching for, collecting and examining records during a state of emergency proclaimed by the "
            "Governor that affects this office's ability to respond in time"
        ),
    )
    CYBERATTACK = (
        "cyberattack",
        _("Being unable, because of a cyberattack, to reach the electronic systems that alone hold the records"),
    )


class Exemption(models.TextChoices):
    """Common grounds for withholding or redacting under the CPRA (Gov. Code, as recodified
    from 2023; the former section in brackets)."""

    INVESTIGATORY = "7923.600", _("§ 7923.600: law enforcement investigatory records and files [former § 6254(f)]")
    PENDING_LITIGATION = "7927.200", _("§ 7927.200: records pertaining to pending litigation [former § 6254(b)]")
    PRELIMINARY_DRAFTS = "7927.500", _("§ 7927.500: preliminary drafts, notes and memoranda [former § 6254(a)]")
    PERSONAL_PRIVACY = (
        "7927.700",
        _("§ 7927.700: personnel, medical or similar files (personal privacy) [former § 6254(c)]"),
    )
    OTHER_LAW = (
        "7927.705",
        _(
            "§ 7927.705: exempt or prohibited under other law, including privileges (e.g. Pen. Code § 832.7, "
            "Evid. Code §§ 954, 1040) [former § 6254(k)]"
        ),
    )
    PUBLIC_INTEREST = (
        "7922.000",
        _("§ 7922.000: the public interest in withholding clearly outweighs disclosure [former § 6255]"),
    )
    OTHER = "other", _("Another ground (described)")


class PublicRecordsRequest(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        EXTENDED = "extended", _("Time extended")
        DETERMINED = "determined", _("Determination sent")
        RELEASED = "released", _("Records released")
        CLOSED = "closed", _("Closed")

    class Determination(models.TextChoices):
        WHOLE = "whole", _("Disclosable in whole")
        PART = "part", _("Disclosable in part")
        NOT_DISCLOSABLE = "not_disclosable", _("Not disclosable")
        NO_RECORDS = "no_records", _("No responsive records")

    class Format(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic copies")
        PAPER = "paper", _("Paper copies")
        INSPECTION = "inspection", _("Inspect in person")

    class Channel(models.TextChoices):
        WEB = "web", _("Portal form")
        EMAIL = "email", _("E-mail")
        MAIL = "mail", _("Mail")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Private to the requester (receipt page, their e-mails): it opens the status page.
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=tracking_code_new)
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    requester_contact = models.CharField(_("other contact (phone or address)"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    description = models.TextField(_("records sought"), max_length=10000)
    preferred_format = models.CharField(_("preferred format"), max_length=12, choices=Format, default=Format.ELECTRONIC)
    channel = models.CharField(_("received by"), max_length=12, choices=Channel, default=Channel.WEB)
    received_on = models.DateField(_("received on"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.RECEIVED, db_index=True)
    determination_rule = models.ForeignKey(
        LegalRule, verbose_name=_("determination rule"), on_delete=models.PROTECT, related_name="+"
    )
    determination_due = models.DateField(_("determination due"), db_index=True)
    extension_rule = models.ForeignKey(
        LegalRule, verbose_name=_("extension rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_reason = models.CharField(
        _("unusual circumstance"), max_length=40, choices=UnusualCircumstance, blank=True
    )
    extension_notice_on = models.DateField(_("extension notice sent on"), null=True, blank=True)
    extended_due = models.DateField(_("extended to"), null=True, blank=True)
    extension_explanation = models.TextField(_("reasons given in the notice"), blank=True, max_length=4000)
    determination = models.CharField(_("determination"), max_length=16, choices=Determination, blank=True)
    determination_on = models.DateField(_("determination notice sent on"), null=True, blank=True)
    determination_reasons = models.TextField(_("reasons given"), blank=True, max_length=4000)
    records_available_on = models.DateField(_("estimated date the records will be available"), null=True, blank=True)
    search_notes = models.TextField(_("search notes"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("public records request")
        verbose_name_plural = _("public records requests")
        ordering = ["determination_due", "id"]
        permissions = [("work_publicrecordsrequest", "Can work public records requests")]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.received_on:%Y-%m-%d})"

    @property
    def due_on(self):
        """The determination is due on this day: the extended date once time was extended."""
        return self.extended_due or self.determination_due

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def awaits_determination(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.EXTENDED)


class GatheredRecord(TimeStampedModel):
    """A record found for a request (kept by title and description; the document itself stays
    in the office's records system)."""

    request = models.ForeignKey(
        PublicRecordsRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="gathered"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("record gathered")
        verbose_name_plural = _("records gathered")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.title


class Redaction(TimeStampedModel):
    request = models.ForeignKey(
        PublicRecordsRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="redactions"
    )
    record = models.ForeignKey(
        GatheredRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="redactions"
    )
    exemption = models.CharField(_("exemption cited"), max_length=12, choices=Exemption)
    description = models.TextField(_("what was withheld and why"), max_length=4000)
    withheld_in_full = models.BooleanField(_("withheld in full"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return f"{self.get_exemption_display()}"


class Release(TimeStampedModel):
    """The release log: one row each time records go out."""

    class Scope(models.TextChoices):
        FULL = "full", _("In whole")
        PARTIAL = "partial", _("In part")

    class Method(models.TextChoices):
        EMAIL = "email", _("E-mail")
        MAIL = "mail", _("Mail")
        PICKUP = "pickup", _("Picked up")
        INSPECTION = "inspection", _("Inspection in person")
        PORTAL = "portal", _("File transfer")

    request = models.ForeignKey(
        PublicRecordsRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="releases"
    )
    released_on = models.DateField(_("released on"))
    scope = models.CharField(_("released"), max_length=8, choices=Scope)
    method = models.CharField(_("method"), max_length=12, choices=Method)
    records_count = models.PositiveIntegerField(_("records released"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("release log")
        ordering = ["-released_on", "-id"]

    def __str__(self) -> str:
        return f"{self.request.tracking_code} {self.released_on:%Y-%m-%d}"


STEP_LABELS = {
    "received": _("Received"),
    "assigned": _("Assigned"),
    "notes": _("Search notes changed"),
    "gathered": _("Record gathered"),
    "redaction": _("Redaction added"),
    "extended": _("Time extended"),
    "determined": _("Determination sent"),
    "released": _("Records released"),
    "closed": _("Closed"),
}


class RequestStep(TimeStampedModel):
    """The request's timeline (staff only)."""

    request = models.ForeignKey(
        PublicRecordsRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=30)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("timeline step")
        verbose_name_plural = _("timeline steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.step

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))


class Reminder(TimeStampedModel):
    """One reminder of a determination due date, sent once (claimed by a conditional UPDATE)."""

    class Kind(models.TextChoices):
        THREE_DAYS = "before_3", _("3 days before")
        ONE_DAY = "before_1", _("1 day before")
        DUE_DAY = "due_day", _("On the day")
        OVERDUE = "overdue", _("Overdue (escalation)")

    request = models.ForeignKey(
        PublicRecordsRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    due_on = models.DateField(_("due on"))
    remind_on = models.DateField(_("remind on"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("due date reminder")
        verbose_name_plural = _("due date reminders")
        ordering = ["remind_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="integrity_pra_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on:%Y-%m-%d})"
