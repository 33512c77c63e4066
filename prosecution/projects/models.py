"""Problem-solving projects (SARA): their concerns, partners, actions and owner contacts."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel
from prosecution.concerns.models import Concern
from prosecution.partners.models import Partner


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
