"""Models of neighborhood concerns: the concern, its photos and updates, response templates,
service levels and the overdue digests."""

from __future__ import annotations

import secrets
from uuid import uuid4

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel
from jcr.core.structured import field_errors, json_answer_map
from prosecution.concerns.models_categories import Category

# Tracking codes avoid letters and digits that are easy to confuse when read aloud or typed.
TRACKING_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


# Public references are lower case and longer than tracking codes, so the two are never taken
# for each other; 12 characters of 31 give about 59 random bits.
PUBLIC_REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def public_ref_new() -> str:
    return "".join(secrets.choice(PUBLIC_REF_ALPHABET) for _ in range(12))


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Concern.CLOSED_STATUSES)

    def public(self):
        """Concerns that may appear on public surfaces (never the sensitive ones)."""
        return self.filter(is_sensitive=False)


ANSWERS_EXAMPLE = '{"surface": "fence", "colours": ["red", "blue"], "count": 3}'


class Concern(TimeStampedModel):
    """A neighborhood concern reported by a resident (web form, Open311 or staff)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        REFERRED = "referred", _("Referred to a partner")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class When(models.TextChoices):
        NOW = "now", _("It is happening now")
        DAILY = "daily", _("Every day")
        NIGHTS = "nights", _("At night")
        WEEKENDS = "weekends", _("On weekends")
        SOMETIMES = "sometimes", _("From time to time")
        ONCE = "once", _("It happened once")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        OPEN311 = "open311", _("Open311 application")
        STAFF = "staff", _("Entered by staff")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")

    class CloseReason(models.TextChoices):
        # Resolving: the problem is gone.
        FIXED = "fixed", _("Fixed")
        PARTNER = "partner", _("Resolved by a partner agency")
        # Closing: the problem is not (or no longer) the unit's to work.
        DUPLICATE = "duplicate", _("Duplicate of another report")
        NOT_OURS = "not_ours", _("Not our responsibility")
        NO_FURTHER_ACTION = "no_further_action", _("No further action possible")
        NOT_ENOUGH_INFO = "not_enough_info", _("Not enough information to act")

    CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)
    OPEN_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW, Status.REFERRED, Status.IN_PROGRESS)
    # Which reasons fit which final status.
    CLOSE_REASONS_FOR = {
        Status.RESOLVED: (CloseReason.FIXED, CloseReason.PARTNER),
        Status.CLOSED: (
            CloseReason.DUPLICATE,
            CloseReason.NOT_OURS,
            CloseReason.NO_FURTHER_ACTION,
            CloseReason.NOT_ENOUGH_INFO,
        ),
    }
    # The lifecycle: received → under review → referred / in progress → resolved / closed.
    # A resolved or closed concern may be reopened (under review or in progress); nothing goes
    # back to "received", which only means "nobody has looked at it yet".
    TRANSITIONS = {
        Status.RECEIVED: (Status.UNDER_REVIEW, Status.REFERRED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
        Status.UNDER_REVIEW: (Status.REFERRED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
        Status.REFERRED: (Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED),
        Status.IN_PROGRESS: (Status.UNDER_REVIEW, Status.REFERRED, Status.RESOLVED, Status.CLOSED),
        Status.RESOLVED: (Status.UNDER_REVIEW, Status.IN_PROGRESS),
        Status.CLOSED: (Status.UNDER_REVIEW, Status.IN_PROGRESS),
    }

    class TextState(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    # Private to the reporter (confirmation page, their e-mails): it opens the tracking page.
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=tracking_code_new)
    # What public pages and Open311 (service_request_id) call the concern; it opens nothing.
    public_ref = models.CharField(
        _("public reference"), max_length=16, unique=True, default=public_ref_new, editable=False
    )
    submission_key = models.UUIDField(
        _("submission key"), unique=True, null=True, blank=True, help_text=_("Makes a repeated submission a no-op.")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.WEB)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="concerns")
    is_sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    description = models.TextField(_("description"))
    public_description = models.TextField(
        _("public text"), blank=True, help_text=_("What the public sees; staff may edit out personal details.")
    )
    public_text_state = models.CharField(
        _("public text"),
        max_length=10,
        choices=TextState,
        default=TextState.PENDING,
        help_text=_("Whether staff published the text (the public version, else the resident's words)."),
    )
    answers = models.JSONField(_("answers to the category questions"), default=dict, blank=True)
    when_happens = models.CharField(_("when it happens"), max_length=12, choices=When, blank=True)
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    public_latitude = models.FloatField(_("public latitude (blurred)"), null=True, blank=True, editable=False)
    public_longitude = models.FloatField(_("public longitude (blurred)"), null=True, blank=True, editable=False)
    areas = models.ManyToManyField(Area, related_name="concerns", blank=True, verbose_name=_("areas"))
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED, db_index=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, choices=CloseReason, blank=True)
    close_detail = models.TextField(
        _("closing detail"), blank=True, db_default="", help_text=_("Staff only: more about why it was closed.")
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,  # the partial index in Meta: only the few merged rows
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_concerns",
    )
    expected_by = models.DateField(_("expected by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Service level (business days, see prosecution.concerns.service_levels): stored so that the
    # "overdue" filter is an indexed comparison, not a computation over every row.
    acknowledge_by = models.DateTimeField(_("acknowledge by"), null=True, blank=True, editable=False)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True, editable=False)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at", "-id"]
        permissions = [("view_all_concerns", _("Can see every concern (supervisors)"))]
        indexes = [
            models.Index(fields=["status", "created_at"], name="prosecution_concern_status_idx"),
            # The triage queue's "text awaits review" filter: a small partial index.
            models.Index(
                fields=["created_at"],
                name="prosecution_concern_text_idx",
                condition=models.Q(public_text_state="pending"),
            ),
            models.Index(fields=["category", "status"], name="prosecution_concern_cat_idx"),
            models.Index(fields=["assignee", "status"], name="prosecution_concern_owner_idx"),
            models.Index(fields=["-created_at", "-id"], name="prosecution_concern_keyset_idx"),
            # The public map's bounding box (prosecution.publicmap): blurred positions of the
            # concerns that may appear on public surfaces.
            models.Index(
                fields=["public_latitude", "public_longitude"],
                name="prosecution_concern_pubpos_idx",
                condition=models.Q(is_sensitive=False, public_latitude__isnull=False),
            ),
            # The two halves of "overdue" (triage.overdue_q), each a small partial index.
            models.Index(
                fields=["acknowledge_by"],
                name="prosecution_concern_ackdue_idx",
                condition=models.Q(
                    status__in=["received", "under_review", "referred", "in_progress"], acknowledged_at__isnull=True
                ),
            ),
            models.Index(
                fields=["duplicate_of"],
                name="prosecution_concern_dup_idx",
                condition=models.Q(duplicate_of__isnull=False),
            ),
            models.Index(
                fields=["resolve_by"],
                name="prosecution_concern_resdue_idx",
                condition=models.Q(status__in=["received", "under_review", "referred", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.category})"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def public_text_draft(self) -> str:
        """The text staff would publish: their public version, else the resident's words."""
        return self.public_description or self.description

    @property
    def text_is_public(self) -> bool:
        return text_is_public(state=self.public_text_state, publication=self.category.text_publication)

    @property
    def public_text(self) -> str:
        """What the public may read of the concern's text: "" until staff publish it (or at
        once for a category that says so), and always "" for a category that never does."""
        return self.public_text_draft if self.text_is_public else ""

    @property
    def awaits_text_review(self) -> bool:
        return (
            self.public_text_state == self.TextState.PENDING
            and self.category.text_publication == Category.TextPublication.AFTER_REVIEW
        )

    def clean(self) -> None:
        """Answers are checked when edited by hand: question codes to a text, a number or a list
        of them (the report form and Open311 write them in that shape)."""
        super().clean()
        self.answers = field_errors("answers", json_answer_map, self.answers, example=ANSWERS_EXAMPLE)


def text_is_public(*, state: str, publication: str) -> bool:
    """Whether a concern's text may be shown on public pages (also for rows read with values()).

    Published by staff, or not yet reviewed in a category whose text is published at once;
    never in a category whose text is never published (whatever was decided before)."""
    if publication == Category.TextPublication.NEVER:
        return False
    return state == Concern.TextState.PUBLISHED or (
        state == Concern.TextState.PENDING and publication == Category.TextPublication.AT_ONCE
    )


# At most this many photos per concern; thumbnails are this many pixels on their long side.
MAX_PHOTOS = 5
THUMBNAIL_SIZE = 320


class ConcernPhoto(TimeStampedModel):
    """A photo, re-encoded without metadata and stored under a random name."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="photos")
    image = models.CharField(_("stored file"), max_length=255)
    thumbnail = models.CharField(_("thumbnail"), max_length=255, blank=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    is_hidden = models.BooleanField(_("hidden from the public"), default=False)
    # The public address of the photo. It changes whenever what the public may see changes
    # (hidden, redacted, redaction removed), so a copy kept by a browser or a proxy under the
    # old address is never refreshed with the new content, and the old address answers 404.
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    # A redacted photo: the public only ever gets `public_image` (and `public_thumbnail`),
    # re-encoded from the original with the `redactions` blurred; the original stays for staff.
    public_image = models.CharField(_("redacted file"), max_length=255, blank=True)
    public_thumbnail = models.CharField(_("redacted thumbnail"), max_length=255, blank=True)
    redactions = models.JSONField(
        _("redacted regions"),
        default=list,
        blank=True,
        help_text=_('Rectangles in percent of the photo: [{"x": 10, "y": 20, "width": 30, "height": 15}].'),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image

    @property
    def is_redacted(self) -> bool:
        return bool(self.redactions)


class ConcernUpdate(TimeStampedModel):
    """Something that happened to a concern: a public update, an internal note, information
    the resident added, a status change; for staff only, a change of priority, of owner or of
    what the public sees of a photo (what changed is in `change`)."""

    class Kind(models.TextChoices):
        PUBLIC_UPDATE = "public_update", _("Public update")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        RESIDENT_INFO = "resident_info", _("Information from the resident")
        NOT_FIXED = "not_fixed", _("The resident says it is not fixed")
        STATUS = "status", _("Status change")
        PRIORITY = "priority", _("Priority change")
        ASSIGNMENT = "assignment", _("Assignment")
        PHOTO = "photo", _("Photo change")

    class PhotoChange(models.TextChoices):
        HIDDEN = "hidden", _("Photo hidden from the public")
        SHOWN = "shown", _("Photo shown to the public again")
        REDACTED = "redacted", _("Part of a photo blurred for the public")
        UNREDACTED = "unredacted", _("Blurring removed from a photo")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    status_from = models.CharField(_("from status"), max_length=16, choices=Concern.Status, blank=True)
    status_to = models.CharField(_("to status"), max_length=16, choices=Concern.Status, blank=True)
    # What a staff-only change changed: {"from": "normal", "to": "high"} (priority),
    # {"from": "Ana Ruiz", "to": ""} (the owners' names then; "" is nobody), {"photo": 2,
    # "change": "redacted"} (the photo's number on the page and a PhotoChange).
    change = models.JSONField(_("change"), default=dict, blank=True)

    PUBLIC_KINDS = (Kind.PUBLIC_UPDATE, Kind.STATUS)

    class Meta:
        verbose_name = _("concern update")
        verbose_name_plural = _("concern updates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.concern.tracking_code}: {self.get_kind_display()}"

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS

    @property
    def priority_from_display(self) -> str:
        return _priority_label(self.change.get("from"))

    @property
    def priority_to_display(self) -> str:
        return _priority_label(self.change.get("to"))

    @property
    def photo_change_display(self) -> str:
        value = self.change.get("change", "")
        return self.PhotoChange(value).label if value in self.PhotoChange.values else value


def _priority_label(value) -> str:
    return Concern.Priority(value).label if value in Concern.Priority.values else (value or "—")


class ResponseTemplate(TimeStampedModel):
    """A ready-made public update that staff pick when they change a concern's status; the
    text is sent in the resident's language and can be edited before sending."""

    title = models.CharField(_("title"), max_length=120, help_text=_("What staff see in the list."))
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
        help_text=_("Empty: offered for every category."),
    )
    status = models.CharField(
        _("target status"),
        max_length=16,
        choices=Concern.Status,
        blank=True,
        help_text=_("The status this update goes with. Empty: any status."),
    )
    text = models.TextField(_("text in English"))
    text_es = models.TextField(_("text in Spanish"), blank=True, help_text=_("Empty: the English text is sent."))
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["order", "title", "id"]

    def __str__(self) -> str:
        return self.title

    def text_in(self, language: str) -> str:
        """The text in `language` (the resident's), English when there is no translation."""
        return self.text_es if language == "es" and self.text_es.strip() else self.text


class ServiceLevel(TimeStampedModel):
    """How many business days staff have to acknowledge and to resolve a concern. The most
    specific row wins (category and priority, then category, then priority, then the row with
    neither); without any row, settings JCR_CONCERN_ACK_DAYS and JCR_CONCERN_RESOLVE_DAYS."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_levels",
        help_text=_("Empty: every category."),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Concern.Priority, blank=True, help_text=_("Empty: every priority.")
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("business days to acknowledge"), validators=[MinValueValidator(1)]
    )
    resolve_days = models.PositiveSmallIntegerField(_("business days to resolve"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["category__name", "priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="prosecution_servicelevel_unique"),
            # NULL categories are distinct in a plain unique index: a partial one for them.
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(category__isnull=True),
                name="prosecution_servicelevel_any_category_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledge_days__gte=1, resolve_days__gte=models.F("acknowledge_days")),
                name="prosecution_servicelevel_days_valid",
                violation_error_message=_("Resolving cannot take fewer days than acknowledging."),
            ),
        ]

    def __str__(self) -> str:
        category = self.category.name if self.category_id else _("Any category")
        priority = self.get_priority_display() if self.priority else _("any priority")
        return f"{category}, {priority}"


class OverdueDigest(TimeStampedModel):
    """The daily e-mail that lists a person's overdue concerns: one row per person per day, so
    a second run on the same day sends nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    concern_count = models.PositiveIntegerField(_("overdue concerns"))
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("overdue digest")
        verbose_name_plural = _("overdue digests")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="prosecution_overduedigest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"


# --- Partners, referrals, problem-solving projects (SARA) and the "is it fixed?" follow-up
