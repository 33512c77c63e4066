"""Models of community events: events, the registrations people make, and their reminders."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcr.core.images import ContentImageMixin
from jcr.core.models import Area, TimeStampedModel, WorkItem
from outreach.programs.models import Language, ReminderStatus, Topic, spanish_active


def registration_token_new() -> str:
    """The secret of a registration's own page (cancel, online link): 256 random bits."""
    return secrets.token_urlsafe(32)


class EventQuerySet(models.QuerySet):
    def published(self):
        """Events the public may see: published or cancelled (a cancelled event stays visible
        and says so); never drafts."""
        return self.exclude(status=Event.Status.DRAFT)


class Event(ContentImageMixin, TimeStampedModel):
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
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("The SEQUENCE of its calendar files: one more each time its time or place changes."),
    )

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

    TRANSLATED_FIELDS = ("title", "summary", "description", "agenda", "accessibility")

    @property
    def has_spanish(self) -> bool:
        """Every text written in English has its Spanish (what the /es/ page and the sitemap ask)."""
        return all(getattr(self, f"{name}_es") for name in self.TRANSLATED_FIELDS if getattr(self, name))

    @property
    def english_fields(self) -> set[str]:
        """On a Spanish page: the texts shown in English, having no Spanish yet (marked lang="en")."""
        if not spanish_active():
            return set()
        return {name for name in self.TRANSLATED_FIELDS if getattr(self, name) and not getattr(self, f"{name}_es")}

    @property
    def title_label(self) -> str:
        return self.title_es if spanish_active() and self.title_es else self.title

    @property
    def summary_label(self) -> str:
        return self.summary_es if spanish_active() and self.summary_es else self.summary

    @property
    def description_label(self) -> str:
        return self.description_es if spanish_active() and self.description_es else self.description

    @property
    def agenda_label(self) -> str:
        return self.agenda_es if spanish_active() and self.agenda_es else self.agenda

    @property
    def accessibility_label(self) -> str:
        return self.accessibility_es if spanish_active() and self.accessibility_es else self.accessibility

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

    Rows are dispatched by `outreach.events.services.reminders_dispatch` (every minute); see
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
