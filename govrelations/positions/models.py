"""Positions of Government Relations: the office's position on a bill, its sign-off history
and the letters that state it. A position points at its bill by label ("govrelations.Bill"):
the bills package reads positions, never the reverse."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel

BILL = "govrelations.Bill"


class Position(TimeStampedModel):
    """The office's position on a bill. An analyst proposes it; a Government Relations
    Supervisor approves it (signing it off for the District Attorney) or returns it."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        SUPPORT_IF_AMENDED = "support_if_amended", _("Support if amended")
        OPPOSE_UNLESS_AMENDED = "oppose_unless_amended", _("Oppose unless amended")
        NEUTRAL = "neutral", _("Neutral")
        WATCH = "watch", _("Watch")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting sign-off")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to the analyst")
        SUPERSEDED = "superseded", _("Superseded")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    bill = models.ForeignKey(BILL, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="positions")
    stance = models.CharField(_("position"), max_length=24, choices=Stance)
    reasons = models.TextField(_("reasons"), help_text=_("Published with the position once it is approved."))
    reasons_es = models.TextField(
        _("reasons in Spanish"),
        blank=True,
        help_text=_("Shown on the Spanish pages; without it they show the English text and say so."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROPOSED, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_position", _("Can approve or return a position for the District Attorney"))]
        constraints = [
            models.UniqueConstraint(
                fields=["bill"], condition=Q(status="proposed"), name="govrelations_position_one_proposed"
            ),
            models.UniqueConstraint(
                fields=["bill"], condition=Q(status="approved"), name="govrelations_position_one_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill}: {self.get_stance_display()} ({self.get_status_display()})"

    @property
    def has_spanish(self) -> bool:
        return bool(self.reasons_es.strip())

    @property
    def reasons_label(self) -> str:
        return self.reasons_es if translation.get_language() == "es" and self.has_spanish else self.reasons


class PositionEvent(models.Model):
    """One step of a position's history."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded")
        LETTER = "letter", _("Letter recorded")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("position history entry")
        verbose_name_plural = _("position history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.position_id} {self.kind} {self.at:%Y-%m-%d}"


class PositionLetter(TimeStampedModel):
    """A letter stating an approved position, made from the letter template."""

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="letters")
    committee = models.CharField(_("committee"), max_length=200)
    addressee = models.CharField(_("addressed to"), max_length=200)
    body = models.TextField(_("letter text"))
    sent_on = models.DateField(_("date sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("position letter")
        verbose_name_plural = _("position letters")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.position.bill} → {self.committee}"
