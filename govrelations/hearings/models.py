"""Hearings of Government Relations: a committee hearing on a bill and the reminders its
analyst gets before it. A hearing points at its bill by label ("govrelations.Bill"): the
bills package reads hearings, never the reverse."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel, WorkItem

BILL = "govrelations.Bill"


class Hearing(TimeStampedModel):
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    bill = models.ForeignKey(BILL, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    committee = models.CharField(_("committee"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.bill.identifier} — {self.committee} {self.starts_at:%Y-%m-%d %H:%M}"


class HearingReminder(WorkItem):
    """An e-mail to the bill's analyst a few days before a hearing (due_at = hearing - lead)."""

    RETRY_SCHEDULE = (60, 300, 900, 3600)

    class Lead(models.IntegerChoices):
        THREE_DAYS = 3, _("3 days before")
        ONE_DAY = 1, _("1 day before")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE)
    lead_days = models.PositiveSmallIntegerField(_("when"), choices=Lead)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hearing reminder")
        verbose_name_plural = _("hearing reminders")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "recipient", "lead_days"], name="govrelations_hearingreminder_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="govrel_reminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.hearing} ({self.get_lead_days_display()})"
