"""Partner agencies, their contacts, referrals of concerns to them, and the resident's
"is it fixed?" follow-up."""

from __future__ import annotations

import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category


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
