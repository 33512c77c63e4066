"""Community dialogues (like the Neighborhood Engagement Strategy Talks): a series of sessions,
one per police district, seats per participant group, applications, a verifiable lottery, and
the follow-up (subcommittees and their recommendations to the City).

The secret seed of the lottery is made with the series (`secrets`), never shown before the
draw; its commitment (SHA-256 of the seed) is public from the start. See outreach.dialogues.lottery.
"""

from __future__ import annotations

import hashlib
import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel

# Pseudonymous ids avoid letters and digits that are easy to confuse when read aloud.
PSEUDONYM_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def seed_new() -> str:
    """32 random bytes from the operating system's CSPRNG, as hex."""
    return secrets.token_hex(32)


def pseudonym_new() -> str:
    return "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(10))


def _localized(obj, field: str) -> str:
    spanish = getattr(obj, f"{field}_es", "")
    return spanish if translation.get_language() == "es" and spanish else getattr(obj, field)


class ParticipantGroup(models.TextChoices):
    YOUTH = "youth", _("Youth (18-25)")
    FAITH = "faith", _("Faith community")
    SOCIAL_SERVICES = "social_services", _("Social services / non-profit")
    BUSINESS = "business", _("Business")
    EDUCATORS = "educators", _("Educators")
    COMMUNITY = "community", _("Community at large")


class DialogueSeries(TimeStampedModel):
    """A series of community dialogues with an application window and one lottery."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DRAWN = "drawn", _("Lottery drawn")
        COMPLETED = "completed", _("Completed")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    description_es = models.TextField(_("description in Spanish"), blank=True)
    commitments = models.TextField(
        _("what participants commit to"),
        blank=True,
        help_text=_("Shown above the application form, with the three commitments each applicant accepts."),
    )
    commitments_es = models.TextField(_("what participants commit to, in Spanish"), blank=True)
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    response_days = models.PositiveSmallIntegerField(
        _("days to accept a seat"), default=7, help_text=_("Selected applicants accept or decline within this time.")
    )
    draw_automatically = models.BooleanField(
        _("draw automatically after the window closes"),
        default=False,
        help_text=_("Otherwise an outreach supervisor runs the draw from the staff pages."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    # The lottery. `seed` is secret until the draw; its SHA-256 (`commitment`) is public.
    seed = models.CharField(_("secret seed (hex)"), max_length=64, default=seed_new, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    draw_record = models.JSONField(
        _("published draw record"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Seed, pool, pool hash, algorithm version and results, as published."),
    )

    class Meta:
        verbose_name = _("dialogue series")
        verbose_name_plural = _("dialogue series")
        ordering = ["-applications_open_at", "-id"]
        permissions = [
            ("run_dialogue_draw", _("Can run the lottery of a dialogue series")),
            ("export_dialogue_participants", _("Can export the participant list of a dialogue series")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_at__gt=models.F("applications_open_at")),
                name="outreach_dialogueseries_window_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_label(self) -> str:
        return _localized(self, "title")

    @property
    def description_label(self) -> str:
        return _localized(self, "description")

    @property
    def commitments_label(self) -> str:
        return _localized(self, "commitments")

    @property
    def commitment(self) -> str:
        """SHA-256 of the secret seed's bytes (hex): published before the window closes."""
        return hashlib.sha256(bytes.fromhex(self.seed)).hexdigest()

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    def window_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.applications_open_at <= now < self.applications_close_at

    def window_has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.applications_close_at

    def is_ready_to_draw(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and self.window_has_closed(now) and not self.is_drawn


class DialogueSession(TimeStampedModel):
    """The series' meeting in one police district. Its location is told only to the people
    selected for it (by e-mail and on their accept/decline page)."""

    series = models.ForeignKey(DialogueSeries, on_delete=models.CASCADE, related_name="sessions")
    district = models.ForeignKey(
        Area,
        verbose_name=_("police district"),
        on_delete=models.PROTECT,
        related_name="dialogue_sessions",
        limit_choices_to={"kind": Area.Kind.POLICE_DISTRICT},
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.TextField(_("location (told only to selected participants)"))

    class Meta:
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "district"], name="outreach_dialoguesession_one_per_district"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="outreach_dialoguesession_time_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} — {self.district.name}"


class DialogueSeats(models.Model):
    """How many seats one participant group has in one session."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="seats")
    group = models.CharField(_("participant group"), max_length=20, choices=ParticipantGroup)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("seats of a group")
        verbose_name_plural = _("seats of the groups")
        ordering = ["session", "group"]
        constraints = [
            models.UniqueConstraint(fields=["session", "group"], name="outreach_dialogueseats_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.get_group_display()} x {self.seats}"


class DialogueApplication(TimeStampedModel):
    """A resident's application for a seat in their district's session."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("On the wait list")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Did not answer in time")

    # Statuses an application can be in after the draw.
    DRAWN_STATUSES = (Status.SELECTED, Status.WAITLISTED, Status.ACCEPTED, Status.DECLINED, Status.LAPSED)

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    series = models.ForeignKey(DialogueSeries, on_delete=models.CASCADE, related_name="applications")
    district = models.ForeignKey(
        Area, verbose_name=_("police district"), on_delete=models.PROTECT, related_name="dialogue_applications"
    )
    group = models.CharField(_("participant group"), max_length=20, choices=ParticipantGroup)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("home address"), max_length=255)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    commits_to_learning = models.BooleanField(_("open to learning from one another"), default=False)
    commits_to_research = models.BooleanField(_("prepared to research and ask questions"), default=False)
    commits_to_problem_solving = models.BooleanField(_("committed to collaborative problem solving"), default=False)
    pseudonym = models.CharField(_("pseudonymous id"), max_length=12, default=pseudonym_new, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.RECEIVED, db_index=True)
    ineligible_reason = models.CharField(_("reason not eligible"), max_length=300, blank=True)
    eligibility_overridden = models.BooleanField(_("eligibility set by staff"), default=False)
    override_reason = models.CharField(_("reason for the staff decision"), max_length=300, blank=True)
    waitlist_rank = models.PositiveIntegerField(_("place on the wait list"), null=True, blank=True)
    response_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    response_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    merged_count = models.PositiveSmallIntegerField(_("duplicates merged in"), default=0)
    merge_log = models.JSONField(
        _("merged duplicates"), default=list, blank=True, help_text=_("When a duplicate came in and what it changed.")
    )

    class Meta:
        verbose_name = _("dialogue application")
        verbose_name_plural = _("dialogue applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "pseudonym"], name="outreach_dialogueapplication_pseudonym"),
            models.UniqueConstraint(fields=["series", "email"], name="outreach_dialogueapplication_one_per_email"),
        ]
        indexes = [
            models.Index(fields=["series", "district", "group", "status"], name="outreach_dlgapp_stratum_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.series})"


class Subcommittee(TimeStampedModel):
    """A topical subcommittee formed from a series' dialogues."""

    series = models.ForeignKey(DialogueSeries, on_delete=models.CASCADE, related_name="subcommittees")
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("subcommittee")
        verbose_name_plural = _("subcommittees")
        ordering = ["series", "order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def title_label(self) -> str:
        return _localized(self, "title")

    @property
    def description_label(self) -> str:
        return _localized(self, "description")


class Recommendation(TimeStampedModel):
    """A recommendation a subcommittee brought to the City, the City's response and how far
    its implementation has come."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the City")
        UNDER_REVIEW = "under_review", _("Under review by the City")
        ACCEPTED = "accepted", _("Accepted")
        PARTIALLY_ACCEPTED = "partially_accepted", _("Partly accepted")
        DECLINED = "declined", _("Not accepted")
        IMPLEMENTED = "implemented", _("Implemented")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    subcommittee = models.ForeignKey(Subcommittee, on_delete=models.CASCADE, related_name="recommendations")
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    summary_es = models.TextField(_("summary in Spanish"), blank=True)
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    response = models.TextField(_("the City's official response"), blank=True)
    response_es = models.TextField(_("the official response in Spanish"), blank=True)
    response_on = models.DateField(_("response date"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("implementation progress (%)"), default=0)
    progress_note = models.TextField(_("implementation progress"), blank=True)
    progress_note_es = models.TextField(_("implementation progress in Spanish"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["subcommittee", "order", "submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="outreach_recommendation_progress_max"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_label(self) -> str:
        return _localized(self, "title")

    @property
    def summary_label(self) -> str:
        return _localized(self, "summary")

    @property
    def response_label(self) -> str:
        return _localized(self, "response")

    @property
    def progress_note_label(self) -> str:
        return _localized(self, "progress_note")


__all__ = [
    "DialogueApplication",
    "DialogueSeats",
    "DialogueSeries",
    "DialogueSession",
    "ParticipantGroup",
    "Recommendation",
    "Subcommittee",
]
