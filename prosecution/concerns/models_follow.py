"""Residents who keep up with concerns they did not report: followers of one concern, the
"me too" of a concern, e-mail alerts of new concerns in a police district and their daily
digests. Private: addresses are never shown publicly, and only non-sensitive concerns are
followed or supported."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area, TimeStampedModel
from prosecution.concerns.models import Concern

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]


def subscription_token_new() -> str:
    return secrets.token_urlsafe(32)


class OptInStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class OptIn(TimeStampedModel):
    """An address that asked for e-mails by double opt-in: it counts only once the address
    confirmed it. `token` is random and secret: the confirmation link carries it (signed, with
    an expiry) and so does the unsubscribe link of every message."""

    Status = OptInStatus

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    status = models.CharField(_("status"), max_length=16, choices=OptInStatus, default=OptInStatus.PENDING)
    token = models.CharField(_("token"), max_length=64, unique=True, default=subscription_token_new, editable=False)
    confirm_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        abstract = True


class ConcernFollow(OptIn):
    """One address following one concern: it receives the concern's public updates (never
    anything about the reporter)."""

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.CASCADE, related_name="follows")
    # The last update sent to this follower: a worker claims an update for a follower with a
    # conditional UPDATE on it, so a redelivered task sends nothing twice.
    last_update_id = models.BigIntegerField(_("last update sent"), default=0, editable=False)

    class Meta:
        verbose_name = _("concern follower")
        verbose_name_plural = _("concern followers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "email"], name="prosecution_concernfollow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.concern.public_ref} ({self.get_status_display()})"


class ConcernSupport(TimeStampedModel):
    """One "me too" on a concern: counted once per verified address or device. `voter` is a
    keyed hash, never an address or a session key in clear."""

    concern = models.ForeignKey(Concern, verbose_name=_("concern"), on_delete=models.CASCADE, related_name="supports")
    voter = models.CharField(_("voter key"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too” entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "voter"], name="prosecution_concernsupport_once"),
        ]

    def __str__(self) -> str:
        return self.concern.public_ref


class AreaAlert(OptIn):
    """One address subscribed to the daily digest of new non-sensitive concerns in a police
    district."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("area alert")
        verbose_name_plural = _("area alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["area", "email"], name="prosecution_areaalert_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} ({self.get_status_display()})"


class AreaAlertDigest(TimeStampedModel):
    """The digest of one alert on one day: one row per alert per day, so a second run on the
    same day sends nothing. `through` is where the digest stopped: the next one starts there."""

    alert = models.ForeignKey(AreaAlert, verbose_name=_("area alert"), on_delete=models.CASCADE, related_name="digests")
    day = models.DateField(_("day"))
    through = models.DateTimeField(_("new concerns up to"))
    concern_count = models.PositiveIntegerField(_("new concerns"))
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("area alert digest")
        verbose_name_plural = _("area alert digests")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "day"], name="prosecution_areaalertdigest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.day}"
