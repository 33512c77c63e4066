"""Models of the Community Outreach & Media Relations Unit: the program catalogue and
presentation requests, events, registrations and their reminders."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel, WorkItem
from jcr.core.structured import field_errors, json_date_list

# Reference codes avoid letters and digits that are easy to confuse when read aloud or typed.
REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


def reference_code_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def registration_token_new() -> str:
    """The secret of a registration's own page (cancel, online link): 256 random bits."""
    return secrets.token_urlsafe(32)


def _spanish() -> bool:
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
        return self.name_es if _spanish() and self.name_es else self.name


class Program(TimeStampedModel):
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
    def title_label(self) -> str:
        return self.title_es if _spanish() and self.title_es else self.title

    @property
    def summary_label(self) -> str:
        return self.summary_es if _spanish() and self.summary_es else self.summary


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


class EventQuerySet(models.QuerySet):
    def published(self):
        """Events the public may see: published or cancelled (a cancelled event stays visible
        and says so); never drafts."""
        return self.exclude(status=Event.Status.DRAFT)


class Event(TimeStampedModel):
    """A town hall, workshop or resource fair people register for."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    CAPACITY_ALERT_RATIO = 0.9

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    summary_es = models.CharField(_("summary in Spanish"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language, default=Language.ENGLISH)
    format = models.CharField(_("format"), max_length=12, choices=Format, default=Format.IN_PERSON)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Given only to confirmed registrants (their e-mail and their own registration page)."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    agenda_es = models.TextField(_("agenda in Spanish"), blank=True)
    accessibility = models.TextField(_("accessibility information"), blank=True)
    accessibility_es = models.TextField(_("accessibility information in Spanish"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    reserved_seats = models.PositiveIntegerField(
        _("reserved seats"), default=0, help_text=_("Seats kept back (speakers, partners): not offered online.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: when the event starts.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_events",
        help_text=_("Receives the capacity alert."),
    )
    capacity_alert_sent_at = models.DateTimeField(_("capacity alert sent"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        permissions = [
            ("publish_event", _("Can publish and cancel events (supervisors)")),
            ("export_registrations", _("Can export event registrations (supervisors)")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="outreach_event_ends_after"),
            models.CheckConstraint(
                condition=Q(reserved_seats__lte=models.F("capacity")), name="outreach_event_reserved_within"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_label(self) -> str:
        return self.title_es if _spanish() and self.title_es else self.title

    @property
    def summary_label(self) -> str:
        return self.summary_es if _spanish() and self.summary_es else self.summary

    @property
    def description_label(self) -> str:
        return self.description_es if _spanish() and self.description_es else self.description

    @property
    def agenda_label(self) -> str:
        return self.agenda_es if _spanish() and self.agenda_es else self.agenda

    @property
    def accessibility_label(self) -> str:
        return self.accessibility_es if _spanish() and self.accessibility_es else self.accessibility

    @property
    def seats(self) -> int:
        """Seats offered to the public."""
        return max(0, self.capacity - self.reserved_seats)

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registration_window(self):
        """(opens, closes): closes defaults to the start of the event."""
        return self.registration_opens_at, self.registration_closes_at or self.starts_at

    def registration_state(self, now) -> str:
        """ "open", "not_yet", "closed" or "cancelled" at `now`."""
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.status != self.Status.PUBLISHED:
            return "closed"
        opens, closes = self.registration_window()
        if opens and now < opens:
            return "not_yet"
        if now >= closes:
            return "closed"
        return "open"


class Registration(TimeStampedModel):
    """A person's seat at an event, or their place on its wait list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the wait list")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=registration_token_new, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="en")
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, db_index=True)
    promoted_at = models.DateTimeField(_("promoted from the wait list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One live registration per address per event; a cancelled one may register again.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="outreach_registration_one_live_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="outreach_reg_event_idx")]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"


class EventReminder(WorkItem):
    """A reminder e-mail to one confirmed registrant, due a set time before the event.

    Rows are dispatched by `outreach.services.event_reminders_dispatch` (every minute); see
    `event_reminder_send` for the rule that skips a reminder whose time has passed."""

    class Kind(models.TextChoices):
        WEEK = "week", _("One week before")
        DAY = "day", _("One day before")
        HOURS = "hours", _("Two hours before")

    OFFSETS = {Kind.WEEK: timedelta(days=7), Kind.DAY: timedelta(days=1), Kind.HOURS: timedelta(hours=2)}

    status = models.CharField(_("status"), max_length=16, choices=ReminderStatus, default=ReminderStatus.PENDING)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)

    class Meta:
        verbose_name = _("event reminder")
        verbose_name_plural = _("event reminders")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="outreach_eventreminder_one_per_kind"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="outreach_evrem_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.registration_id}"


from outreach.media.models import (  # noqa: E402, F401
    InquiryNote,
    JournalEpisode,
    MediaContact,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
)
from outreach.models_dialogues import *  # noqa: E402, F403
from outreach.social.models import (  # noqa: E402, F401
    ChannelAccount,
    Delivery,
    DevelopmentOutboxEntry,
    PostMedia,
    PostVariant,
    PublishingPause,
    SocialPost,
)
