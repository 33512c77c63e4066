"""The shared platform's models: kept small on purpose.

TimeStampedModel and WorkItem are abstract bases every app uses; AuditEntry is the
append-only history of every change; Area is the county's geography; OutboundEmail is the
e-mail log that doubles as the delivery queue.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class WorkItem(TimeStampedModel):
    """A unit of background work kept as a row: the database, not the broker, is the truth.

    A subclass sets the retry schedule and what happens to a row found stuck in flight
    (a worker died mid-call): `STUCK_POLICY = "retry"` puts it back in the queue (accepting a
    rare duplicate, fine for e-mail), `"flag"` sends it to a person (for public posts, where a
    duplicate is worse than a late one). See jcr.core.work for the helpers.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_FLIGHT = "in_flight", _("In flight")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        NEEDS_CHECK = "needs_check", _("Needs a person to check")
        CANCELLED = "cancelled", _("Cancelled")

    RETRY_SCHEDULE: tuple[int, ...] = (60, 300, 900, 3600, 3 * 3600, 6 * 3600)
    STUCK_AFTER = timedelta(minutes=15)
    STUCK_POLICY = "retry"
    REENQUEUE_AFTER = timedelta(minutes=5)

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("last handed to the broker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True

    @classmethod
    def max_attempts(cls) -> int:
        return len(cls.RETRY_SCHEDULE) + 1


class AuditEntry(models.Model):
    """One change (or, for confidential records, one read). Append-only.

    On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002), so history cannot be
    rewritten even by code that bypasses this model. `actor` keeps no foreign-key constraint
    so that entries outlive the rows they mention.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="core_audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Area(TimeStampedModel):
    """A piece of the county's geography, stored as a GeoJSON (Multi)Polygon.

    The bounding box is kept in columns so that a point lookup asks the database for a few
    candidates first and only then tests them exactly with shapely.
    """

    class Kind(models.TextChoices):
        POLICE_DISTRICT = "police_district", _("Police district")
        COUNCIL_DISTRICT = "council_district", _("Council district")
        SUPERVISORIAL_DISTRICT = "supervisorial_district", _("Supervisorial district")
        CITY = "city", _("City or unincorporated area")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        CPU_BEAT = "cpu_beat", _("Community prosecution beat")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    geometry = models.JSONField(_("boundary (GeoJSON geometry)"))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    is_approximate = models.BooleanField(
        _("approximate boundary"),
        default=False,
        help_text=_("Shown to the public as an approximate demonstration boundary."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="AreaAssignment",
        related_name="assigned_areas",
        verbose_name=_("assigned staff"),
        blank=True,
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="core_area_kind_slug_unique")]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="core_area_bbox_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class AreaAssignment(TimeStampedModel):
    class Role(models.TextChoices):
        COMMUNITY_PROSECUTOR = "community_prosecutor", _("Community prosecutor")
        OUTREACH = "outreach", _("Outreach contact")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role, default=Role.COMMUNITY_PROSECUTOR)

    class Meta:
        verbose_name = _("area assignment")
        verbose_name_plural = _("area assignments")
        constraints = [
            models.UniqueConstraint(fields=["area", "user", "role"], name="core_areaassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.area} ({self.get_role_display()})"


class OutboundEmail(WorkItem):
    """An e-mail: written in the sender's transaction, sent by a worker after commit."""

    RETRY_SCHEDULE = (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
    STUCK_POLICY = "retry"  # a rare duplicate e-mail beats a lost one

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    template = models.CharField(_("template"), max_length=120, blank=True)
    related_type = models.CharField(_("related object type"), max_length=100, blank=True)
    related_id = models.CharField(_("related object id"), max_length=64, blank=True)
    headers = models.JSONField(
        _("extra headers"), default=dict, blank=True, help_text=_("Header name to value, e.g. List-Unsubscribe.")
    )
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Files sent with the message: a list of {filename, content, mimetype} (text files only)."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "About a confidential record (a misconduct complaint, a wrongful-conviction claim): the "
            "address, subject and text are shown only to those who may read the record."
        ),
    )

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="core_email_due_idx")]

    def __str__(self) -> str:
        if self.confidential:  # the name ends up in histories and admin messages
            return _("Confidential e-mail %(id)s") % {"id": self.pk}
        return f"{self.to}: {self.subject}"


class Heartbeat(models.Model):
    """When a background process last proved it was alive (jcr.core.health): "worker" is
    written by the minute heartbeat task as it runs, "beat" with the time beat sent it."""

    name = models.CharField(_("process"), max_length=20, primary_key=True)
    at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name}: {self.at:%Y-%m-%d %H:%M:%S}"
