"""Retention schedules of the confidential records, kept as data, and the monthly disposition
run a records officer approves.

A schedule says, for one kind of record, how long it is kept (years and months), counted from
what (its trigger), and what happens then (its disposition), with the citation or policy it
rests on. A record's retention date is computed from the schedule in force and the record's
trigger date (integrity/records/services_retention.py); staff may only extend it.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from integrity.records.models import Confidential
from jcr.core.models import TimeStampedModel

# The kinds of record a schedule may govern, by model label. Another feature's record with
# `retention_until`, `legal_hold` and the trigger fields may be added here.
RETAINED_RECORD_TYPES = [
    ("integrity.allegation", _("Misconduct allegation")),
    ("integrity.claim", _("Wrongful-conviction claim")),
    ("integrity.testingrequest", _("Testing request")),
    ("integrity.disclosureentry", _("Disclosure index entry")),
]


class RetentionSchedule(TimeStampedModel):
    class Trigger(models.TextChoices):
        CLOSED = "closed", _("Record closed")
        CASE_FINAL = "case_final", _("Underlying case final")
        LAST_UPDATE = "last_update", _("Last update of the record")
        CREATED = "created", _("Record received")

    class Disposition(models.TextChoices):
        DESTROY = "destroy", _("Destroy (marked deleted; the row is kept)")
        ANONYMISE = "anonymise", _("Anonymise (names and contacts blanked)")
        ARCHIVE = "archive", _("Transfer to the archive")
        REVIEW = "review", _("Review by the records officer")

    record_type = models.CharField(_("kind of record"), max_length=60, choices=RETAINED_RECORD_TYPES, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    period_years = models.PositiveSmallIntegerField(_("years"), default=0)
    period_months = models.PositiveSmallIntegerField(_("months"), default=0)
    trigger = models.CharField(_("counted from"), max_length=16, choices=Trigger)
    disposition = models.CharField(_("then"), max_length=16, choices=Disposition)
    citation = models.CharField(
        _("citation or policy reference"), max_length=300, help_text=_("Statute, records schedule or office policy.")
    )
    policy_url = models.URLField(_("link"), max_length=500, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Empty: still in force."))
    notes = models.TextField(_("notes"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_on = models.DateField(
        _("verified on"), null=True, blank=True, help_text=_("Empty: not yet checked against the law and policy.")
    )

    class Meta:
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")
        ordering = ["record_type", "-effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_years__gt=0) | Q(period_months__gt=0), name="integrity_retention_period_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="integrity_retention_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.citation})"

    @property
    def period_label(self) -> str:
        parts = []
        if self.period_years:
            parts.append(pgettext("retention period", "%(n)d y") % {"n": self.period_years})
        if self.period_months:
            parts.append(pgettext("retention period", "%(n)d m") % {"n": self.period_months})
        return " ".join(parts)

    def in_force(self, on) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class DispositionRun(TimeStampedModel):
    """The records due for disposition in one month (listed by the monthly task), and what
    the records officer decided. The run itself holds only counts; its items name records."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for approval")
        DONE = "done", _("Approved and carried out")

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month of the run."))
    listed_on = models.DateField(_("listed on"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("disposition run")
        verbose_name_plural = _("disposition runs")
        ordering = ["-month"]
        permissions = [("approve_disposition", "Can approve the disposition of confidential records")]

    def __str__(self) -> str:
        return pgettext("confidential record", "Disposition run %(month)s") % {"month": self.month.strftime("%Y-%m")}


class DispositionItem(Confidential, models.Model):
    """One record listed in a run. The record is named by its type, id and public id (the
    label is its receipt number or short id, never a person's name)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        EXCLUDED = "excluded", _("Excluded")

    class Outcome(models.TextChoices):
        NONE = "", _("Not carried out")
        DONE = "done", _("Done")
        HELD = "held", _("Refused: legal hold")
        NOT_DUE = "not_due", _("Refused: no longer due")

    run = models.ForeignKey(DispositionRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="items")
    record_type = models.CharField(_("kind of record"), max_length=60, choices=RETAINED_RECORD_TYPES)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_public_id = models.UUIDField(_("record public id"))
    label = models.CharField(_("record"), max_length=60)
    retention_until = models.DateField(_("keep until"))
    schedule = models.ForeignKey(
        RetentionSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="+"
    )
    disposition = models.CharField(_("disposition"), max_length=16, choices=RetentionSchedule.Disposition)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, default=Decision.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposition item")
        verbose_name_plural = _("disposition items")
        ordering = ["run", "retention_until", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "record_type", "record_id"], name="integrity_dispositionitem_once")
        ]

    def __str__(self) -> str:
        return pgettext("confidential record", "Disposition item %(id)s") % {"id": self.pk}
