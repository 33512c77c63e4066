"""Models of the program catalogue: topics, the programs the unit presents, and the
presentation requests groups send (with their reminders)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jcr.core.images import ContentImageMixin
from jcr.core.models import TimeStampedModel, WorkItem
from jcr.core.structured import field_errors, json_date_list

# Reference codes avoid letters and digits that are easy to confuse when read aloud or typed.
REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def reference_code_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def spanish_active() -> bool:
    """True while the current request (or e-mail) is rendered in Spanish."""
    return translation.get_language() == "es"


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    BILINGUAL = "en_es", _("English and Spanish")


class Audience(models.TextChoices):
    ADULT = "adult", _("Adults")
    YOUTH = "youth", _("Youth")


class Topic(TimeStampedModel):
    """A subject of programs and events (scams, youth violence prevention, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_es if spanish_active() and self.name_es else self.name


class Program(ContentImageMixin, TimeStampedModel):
    """An education or prevention program the unit presents to groups on request."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        EITHER = "either", _("In person or online")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    title_es = models.CharField(_("title in Spanish"), max_length=150)
    summary = models.TextField(_("summary"))
    summary_es = models.TextField(_("summary in Spanish"))
    audience = models.CharField(_("audience"), max_length=8, choices=Audience)
    topics = models.ManyToManyField(Topic, related_name="programs", blank=True, verbose_name=_("topics"))
    language = models.CharField(_("languages"), max_length=8, choices=Language, default=Language.BILINGUAL)
    format = models.CharField(_("format"), max_length=12, choices=Format, default=Format.EITHER)
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_spanish(self) -> bool:
        return bool(self.title_es and self.summary_es)

    @property
    def title_label(self) -> str:
        return self.title_es if spanish_active() and self.title_es else self.title

    @property
    def summary_label(self) -> str:
        return self.summary_es if spanish_active() and self.summary_es else self.summary


class PresentationRequest(TimeStampedModel):
    """A school, group or business asks for a presentation; staff schedule and deliver it."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        SCHEDULED = "scheduled", _("Scheduled")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")

    class RequestAudience(models.TextChoices):
        ADULT = "adult", _("Adults")
        YOUTH = "youth", _("Youth")
        MIXED = "mixed", _("Adults and youth")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=reference_code_new)
    submission_key = models.UUIDField(_("submission key"), unique=True, null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    audience = models.CharField(_("audience"), max_length=8, choices=RequestAudience)
    audience_size = models.PositiveIntegerField(_("audience size"))
    program = models.ForeignKey(
        Program, verbose_name=_("program"), null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    presentation_language = models.CharField(_("presentation language"), max_length=8, choices=Language)
    preferred_dates = models.JSONField(_("preferred dates"), default=list)
    location = models.CharField(_("location"), max_length=255)
    notes = models.TextField(_("notes"), blank=True)
    language = models.CharField(_("language of the requester"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NEW, db_index=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentations",
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("presentation request")
        verbose_name_plural = _("presentation requests")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_presentationrequest", _("Can approve presentation requests (supervisors)"))]

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation})"

    def clean(self) -> None:
        super().clean()
        self.preferred_dates = field_errors(
            "preferred_dates", json_date_list, self.preferred_dates, example='["2027-03-01", "2027-03-08"]'
        )

    @property
    def subject_label(self) -> str:
        return self.program.title_label if self.program_id else self.topic


MIN_PREFERRED_DATES = 2
MAX_PREFERRED_DATES = 3


def preferred_dates_check(dates: Sequence[date], *, today: date | None = None) -> list[date]:
    """The preferred dates, sorted, or ValidationError: two or three, distinct, all after today."""
    today = today or timezone.localdate()
    dates = [d for d in dates if d]
    if len(dates) < MIN_PREFERRED_DATES or len(dates) > MAX_PREFERRED_DATES:
        raise ValidationError(gettext("Give two or three preferred dates."), code="dates_count")
    if len(set(dates)) != len(dates):
        raise ValidationError(gettext("The preferred dates must be different days."), code="dates_distinct")
    if any(d <= today for d in dates):
        raise ValidationError(gettext("The preferred dates must be in the future."), code="dates_past")
    return sorted(dates)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_FLIGHT = "in_flight", _("In flight")
    DONE = "done", _("Sent")
    FAILED = "failed", _("Failed")
    NEEDS_CHECK = "needs_check", _("Needs a person to check")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Skipped (its time had passed)")


class PresentationReminder(WorkItem):
    """The reminder e-mail to a requester two days before their scheduled presentation."""

    status = models.CharField(_("status"), max_length=16, choices=ReminderStatus, default=ReminderStatus.PENDING)
    request = models.ForeignKey(PresentationRequest, on_delete=models.CASCADE, related_name="reminders")
    scheduled_for = models.DateTimeField(_("for the presentation at"))

    class Meta:
        verbose_name = _("presentation reminder")
        verbose_name_plural = _("presentation reminders")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="outreach_presrem_due_idx")]

    def __str__(self) -> str:
        return f"{self.request.reference} @ {self.due_at:%Y-%m-%d %H:%M}"
