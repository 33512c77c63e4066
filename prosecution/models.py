"""Models of the Community Prosecution Unit: neighborhood concerns and their categories."""

from __future__ import annotations

import secrets
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel
from jcr.core.structured import SLUG, TEXT, field_errors, json_answer_map, json_object_list

# Tracking codes avoid letters and digits that are easy to confuse when read aloud or typed.
TRACKING_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


# Public references are lower case and longer than tracking codes, so the two are never taken
# for each other; 12 characters of 31 give about 59 random bits.
PUBLIC_REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def public_ref_new() -> str:
    return "".join(secrets.choice(PUBLIC_REF_ALPHABET) for _ in range(12))


class Category(TimeStampedModel):
    """A kind of neighborhood concern; the Open311 service with the same `code`."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Open311 service_code."))
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True, help_text=_("Open311 group, e.g. Property."))
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Never shown on the public map, in the public API or in exports with its location or text."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"),
        default=150,
        help_text=_("Open concerns of this category within this distance are shown before submitting."),
    )

    class TextPublication(models.TextChoices):
        AFTER_REVIEW = "after_review", _("After staff review")
        NEVER = "never", _("Never")
        AT_ONCE = "at_once", _("At once")

    text_publication = models.CharField(
        _("publish the resident's text"),
        max_length=12,
        choices=TextPublication,
        default=TextPublication.AFTER_REVIEW,
        help_text=_(
            "When the resident's words (or the public version staff write) appear on public pages and in Open311. "
            "The kind of concern, its area and its status are public at once in every case."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language."""
        return self.name_es if translation.get_language() == "es" and self.name_es else self.name

    @property
    def description_label(self) -> str:
        return self.description_es if translation.get_language() == "es" and self.description_es else self.description


class Question(TimeStampedModel):
    """An extra question of a category: an Open311 service-definition attribute."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        TEXT = "text", _("Long text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        SINGLE = "singlevaluelist", _("One choice from a list")
        MULTI = "multivaluelist", _("Several choices from a list")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40, help_text=_("Open311 attribute code."))
    prompt = models.CharField(_("question"), max_length=200)
    prompt_es = models.CharField(_("question in Spanish"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    help_text_es = models.CharField(_("help text in Spanish"), max_length=300, blank=True)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "yes", "name": "Yes", "name_es": "Sí"}, ...]'),
    )

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="prosecution_question_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"

    @property
    def label(self) -> str:
        return self.prompt_es if translation.get_language() == "es" and self.prompt_es else self.prompt

    @property
    def help_label(self) -> str:
        return self.help_text_es if translation.get_language() == "es" and self.help_text_es else self.help_text

    OPTIONS_EXAMPLE = '[{"key": "yes", "name": "Yes", "name_es": "Sí"}]'
    OPTION_FIELDS = {"key": SLUG, "name": TEXT, "name_es": TEXT}

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI)

    def clean(self) -> None:
        """The options are checked (and their texts cleaned) on every save through a form: a
        list question needs well-formed options with distinct keys, any other has none."""
        super().clean()
        self.options = field_errors(
            "options",
            json_object_list,
            self.options,
            fields=self.OPTION_FIELDS,
            required=("key", "name"),
            unique="key",
            example=self.OPTIONS_EXAMPLE,
        )
        if self.is_list and not self.options:
            raise ValidationError(
                {
                    "options": ValidationError(
                        _("A list question needs at least one option, like %(example)s."),
                        code="options_missing",
                        params={"example": self.OPTIONS_EXAMPLE},
                    )
                }
            )
        if not self.is_list and self.options:
            raise ValidationError(
                {"options": _("Only list questions take options: empty the options or choose a list type.")}
            )

    def valid_options(self) -> list[dict]:
        """The well-formed options as {"key", "name", "name_es"} strings. Rows saved before the
        options were checked may hold others: they are skipped, so a public form or the Open311
        service definition never fails on them."""
        if not isinstance(self.options, list):
            return []
        valid = []
        for option in self.options:
            if not isinstance(option, dict):
                continue
            key, name, name_es = option.get("key"), option.get("name"), option.get("name_es")
            if isinstance(key, bool) or not isinstance(key, str | int) or str(key).strip() == "":
                continue
            key = str(key).strip()
            valid.append(
                {
                    "key": key,
                    "name": name.strip() if isinstance(name, str) and name.strip() else key,
                    "name_es": name_es.strip() if isinstance(name_es, str) else "",
                }
            )
        return valid

    def option_choices(self) -> list[tuple[str, str]]:
        spanish = translation.get_language() == "es"
        return [(o["key"], (o["name_es"] if spanish else "") or o["name"]) for o in self.valid_options()]


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
    # Service level (business days, see prosecution.service_levels): stored so that the
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
    the resident added, or a status change."""

    class Kind(models.TextChoices):
        PUBLIC_UPDATE = "public_update", _("Public update")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        RESIDENT_INFO = "resident_info", _("Information from the resident")
        NOT_FIXED = "not_fixed", _("The resident says it is not fixed")
        STATUS = "status", _("Status change")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    status_from = models.CharField(_("from status"), max_length=16, choices=Concern.Status, blank=True)
    status_to = models.CharField(_("to status"), max_length=16, choices=Concern.Status, blank=True)

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


class Open311Client(TimeStampedModel):
    """An application allowed to post to the Open311 GeoReport v2 API with its own key.

    Only a SHA-256 hash of the key is stored, with its first characters (`prefix`) for
    display; the key itself is shown once, when it is created."""

    name = models.CharField(_("name"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.revoked_at is None


# --- Transparency: precomputed figures of the public dashboard and the open data ----------


class ConcernStat(models.Model):
    """One precomputed figure row of the public dashboard (prosecution.transparency).

    A row counts the concerns received in its period (a calendar month in the portal's time
    zone, or a rolling window of whole months ending with the current one) for one category or
    all (`category` empty) and one area or all (`area` empty), with their present status and
    the medians. Rows by area leave out sensitive concerns; rows of a sensitive category carry
    counts only (no medians). Every number on the dashboard is one of these rows as stored.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Calendar month")
        LAST_3 = "3m", _("Last 3 months")
        LAST_12 = "12m", _("Last 12 months")
        LAST_24 = "24m", _("Last 24 months")
        ALL = "all", _("All time")

    period = models.CharField(_("period"), max_length=8, choices=Period)
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("First day of the month (month rows)."))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    received = models.PositiveIntegerField(_("received"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    closed = models.PositiveIntegerField(_("closed for another reason"), default=0)
    responded = models.PositiveIntegerField(_("with a first response"), default=0)
    median_response_days = models.FloatField(_("median days to first response"), null=True, blank=True)
    median_resolution_days = models.FloatField(_("median days to resolution"), null=True, blank=True)

    class Meta:
        verbose_name = _("concern figure")
        verbose_name_plural = _("concern figures")
        ordering = ["period", "month", "category", "area", "id"]
        indexes = [
            models.Index(fields=["period", "category", "area", "month"], name="prosecution_stat_lookup_idx"),
        ]

    def __str__(self) -> str:
        where = [str(self.month or self.get_period_display())]
        where += [str(x) for x in (self.category, self.area) if x is not None]
        return " / ".join(where)


class ConcernStatsBuild(models.Model):
    """One rebuild of the figures and of the open-data files (the latest one is served)."""

    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    method = models.CharField(_("method"), max_length=10, help_text=_("sql (PostgreSQL) or python."))
    concerns = models.PositiveIntegerField(_("concerns counted"), default=0)
    rows = models.PositiveIntegerField(_("figure rows"), default=0)
    open_data_rows = models.PositiveIntegerField(_("concerns in the open data"), default=0)
    concerns_csv = models.CharField(_("open data file (CSV)"), max_length=255, blank=True)
    concerns_json = models.CharField(_("open data file (JSON)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("figures rebuild")
        verbose_name_plural = _("figures rebuilds")
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.method})"


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


def followup_token_new() -> str:
    return secrets.token_urlsafe(32)


class Partner(TimeStampedModel):
    """An agency, community group or business the unit works with (code enforcement, police,
    a neighborhood association ...)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency")
        COMMUNITY_GROUP = "community_group", _("Community group")
        BUSINESS = "business", _("Business")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.AGENCY)
    areas = models.ManyToManyField(
        Area,
        related_name="partners",
        blank=True,
        verbose_name=_("jurisdiction (areas)"),
        help_text=_("The areas where this partner acts; used to suggest it for referrals."),
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=200, blank=True, help_text=_("In words, e.g. unincorporated county.")
    )
    categories = models.ManyToManyField(
        Category,
        related_name="partners",
        blank=True,
        verbose_name=_("categories of concern it handles"),
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes (staff only)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerContact(TimeStampedModel):
    """A person at a partner: who receives referrals (the primary contact first)."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["-is_primary", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class Referral(TimeStampedModel):
    """A concern passed to a partner, with the e-mail sent to the partner's contact."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        PartnerContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    to_email = models.EmailField(_("sent to"))
    message = models.TextField(_("message to the partner"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.concern.tracking_code} → {self.partner}"


class Project(TimeStampedModel):
    """A problem-solving project (SARA: scanning, analysis, response, assessment) that groups
    concerns at one location or property."""

    class Stage(models.TextChoices):
        SCANNING = "scanning", _("Scanning")
        ANALYSIS = "analysis", _("Analysis")
        RESPONSE = "response", _("Response")
        ASSESSMENT = "assessment", _("Assessment")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    parcel_number = models.CharField(_("parcel number (APN)"), max_length=40, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    public_latitude = models.FloatField(_("public latitude (blurred)"), null=True, blank=True, editable=False)
    public_longitude = models.FloatField(_("public longitude (blurred)"), null=True, blank=True, editable=False)
    areas = models.ManyToManyField(Area, related_name="projects", blank=True, verbose_name=_("areas"))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage, default=Stage.SCANNING, db_index=True)
    public_summary = models.TextField(_("summary for the public"), blank=True)
    analysis = models.TextField(_("internal analysis"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Never for a project with a concern of a sensitive category.")
    )
    is_repeat_location = models.BooleanField(_("repeat location"), default=False, editable=False)
    response_started_on = models.DateField(_("response started on"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_projects",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    stage_history = models.JSONField(
        _("stage history"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Each stage change: when, from, to, by whom (the audit entries hold the same)."),
    )
    concerns = models.ManyToManyField(
        Concern, through="ProjectConcern", related_name="projects", blank=True, verbose_name=_("concerns")
    )
    partners = models.ManyToManyField(
        Partner, through="ProjectPartner", related_name="projects", blank=True, verbose_name=_("partners")
    )

    class Meta:
        verbose_name = _("problem-solving project")
        verbose_name_plural = _("problem-solving projects")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ProjectConcern(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="concern_links")
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="project_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("concern of a project")
        verbose_name_plural = _("concerns of projects")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "concern"], name="prosecution_projectconcern_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.concern_id}"


class ProjectPartner(TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="project_links")
    role = models.CharField(_("role in the project"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner of a project")
        verbose_name_plural = _("partners of projects")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "partner"], name="prosecution_projectpartner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.partner}"


class ProjectAction(TimeStampedModel):
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("project action")
        verbose_name_plural = _("project actions")
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.description


class OwnerContact(TimeStampedModel):
    """A contact with the property owner or landlord (internal: never public)."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="owner_contacts")
    contacted_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=12, choices=Method, default=Method.PHONE)
    contact_name = models.CharField(_("who (owner, landlord, manager)"), max_length=200)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("owner contact")
        verbose_name_plural = _("owner contact log")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.contact_name}"


class FollowUp(TimeStampedModel):
    """The "is it fixed?" question sent to a resident some weeks after their concern was
    resolved; one per resolution. The random token in the link is the only key."""

    class Answer(models.TextChoices):
        FIXED = "fixed", _("Yes, it is fixed")
        NOT_FIXED = "not_fixed", _("No, it is not fixed")
        NOT_SURE = "not_sure", _("I am not sure")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="followups")
    resolved_at = models.DateTimeField(_("resolution asked about"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=followup_token_new, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer, blank=True)
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "resolved_at"], name="prosecution_followup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.concern.tracking_code}: {self.get_answer_display() or '—'}"
