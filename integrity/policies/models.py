"""Legal update bulletins and office policies of the Justice, Training & Integrity Unit.

A bulletin is written in Markdown (rendered and sanitised into `body_html` by the services),
addressed to every deputy or to chosen units (role groups), and published once: publishing
fixes its recipients (one `BulletinRecipient` row each, e-mailed through the e-mail queue),
whose read acknowledgements and reminders are tracked on those rows.

A policy is a numbered document with versions. A version is a draft until published; a
published version takes effect on its effective date and supersedes the version that was
published before it. The current version is the latest published one that is in effect.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Policy(TimeStampedModel):
    """An office policy or protocol; its text lives in its versions."""

    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    number = models.CharField(
        _("policy number"), max_length=30, unique=True, help_text=_("The office's number, e.g. JTI-2026-04.")
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public policies show their current version on the public site.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PolicyVersion(TimeStampedModel):
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"), help_text=_("Markdown: headings, lists, emphasis and links."))
    body_html = models.TextField(editable=False, blank=True)
    change_summary = models.CharField(_("summary of changes"), max_length=300, blank=True)
    effective_on = models.DateField(_("effective date"))
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    supersedes = models.ForeignKey(
        "self", verbose_name=_("supersedes"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="superseded_by",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        permissions = [("publish_policyversion", _("Can publish policy versions"))]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="integrity_policyversion_unique_number"),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT) | Q(published_at__isnull=False),
                name="integrity_policyversion_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.number} v{self.number}"


class PolicyAcknowledgement(models.Model):
    """A staff member's statement that they have read one version of a policy."""

    version = models.ForeignKey(
        PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="policy_acknowledgements",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("acknowledged"))

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="integrity_policyack_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.person}"


class Bulletin(TimeStampedModel):
    """A legal update for deputies: a new case, statute or practice point."""

    class Audience(models.TextChoices):
        ALL = "all", _("All deputies")
        UNITS = "units", _("Chosen units")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, help_text=_("One or two sentences for the e-mail."))
    summary_es = models.CharField(
        _("summary in Spanish"), max_length=400, blank=True, help_text=_("Sent to people who read in Spanish.")
    )
    body = models.TextField(_("text"), help_text=_("Markdown: headings, lists, emphasis and links."))
    body_html = models.TextField(editable=False, blank=True)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.ALL)
    audience_groups = models.ManyToManyField(
        "auth.Group", verbose_name=_("units"), blank=True, related_name="+",
        help_text=_("The role groups that receive it when the audience is chosen units."),
    )  # fmt: skip
    # Government Relations' bill record (read only from here; a bill deleted there leaves the
    # bulletin without it).
    bill = models.ForeignKey(
        "govrelations.Bill", verbose_name=_("related bill"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="legal_updates",
        help_text=_("A bill in Government Relations' tracker, e.g. SB 1234 (20252026)."),
    )  # fmt: skip
    policies = models.ManyToManyField(
        Policy, verbose_name=_("related policies"), blank=True, related_name="bulletins",
    )  # fmt: skip
    other_reference = models.CharField(
        _("other reference"), max_length=200, blank=True,
        help_text=_("A bill not in the tracker, a case or another source, e.g. SB 1234 (2026)."),
    )  # fmt: skip
    other_reference_url = models.URLField(_("address of the other reference"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("legal update bulletin")
        verbose_name_plural = _("legal update bulletins")
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_bulletin", _("Can publish legal update bulletins"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT) | Q(published_at__isnull=False),
                name="integrity_bulletin_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BulletinRecipient(models.Model):
    """One person a published bulletin was sent to, and whether they have acknowledged it."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.PROTECT, related_name="recipients"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="bulletin_receipts",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulletin recipient")
        verbose_name_plural = _("bulletin recipients")
        ordering = ["bulletin", "person"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "person"], name="integrity_bulletinrecipient_once")]

    def __str__(self) -> str:
        return f"{self.bulletin} — {self.person}"


class BulletinReminder(models.Model):
    """A reminder sent to a recipient who had not acknowledged; `sequence` 1 is the first.

    The unique (recipient, sequence) pair makes the daily reminder run safe to repeat."""

    recipient = models.ForeignKey(
        BulletinRecipient, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="reminders"
    )
    sequence = models.PositiveSmallIntegerField(_("reminder number"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("bulletin reminder")
        verbose_name_plural = _("bulletin reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "sequence"], name="integrity_bulletinreminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} #{self.sequence}"
