"""The legal rules registry: each legal clock is a row per version, with its citation, a link
to the official text, the dates it is in force, its parameters and who verified it; and the
judicial holidays the court-day counts skip. A version is never edited in place: a change is a
new version from its effective date (services.rule_version_create)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from integrity.rules.courtdays import CALENDAR, COURT
from jcr.core.models import TimeStampedModel

# What a period may count from (the triggering event); the code that computes a date says which
# event it passes.
COUNTED_FROM = (
    "service_on_ag_and_da",
    "response_period_end",
    "received",
    "filed",
    # The last day of a period the rule extends (before any rolling), e.g. the CPRA's 14 more
    # days after the 10-day determination period.
    "determination_period_end",
)
REASON_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parameters_check(value) -> dict:
    """{"days": 90, "count": "calendar"|"court", "from": <event>, "roll": true}, and optionally
    "reasons": the codes of the grounds the law allows for the period (e.g. the CPRA's
    "unusual circumstances" for an extension), a non-empty list of distinct lower-case codes."""
    example = '{"days": 90, "count": "calendar", "from": "service_on_ag_and_da", "roll": true}'
    if not isinstance(value, dict):
        raise ValidationError(_("Write the parameters as an object, for example %(e)s.") % {"e": example})
    unknown = set(value) - {"days", "count", "from", "roll", "reasons"}
    if unknown:
        raise ValidationError(_("Unknown parameters: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    days = value.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or not 0 < days <= 3650:
        raise ValidationError(_('"days" must be a whole number of days between 1 and 3650.'))
    if value.get("count") not in (CALENDAR, COURT):
        raise ValidationError(_('"count" must be "calendar" or "court".'))
    if value.get("from") not in COUNTED_FROM:
        raise ValidationError(_('"from" must be one of: %(events)s.') % {"events": ", ".join(COUNTED_FROM)})
    if not isinstance(value.get("roll", True), bool):
        raise ValidationError(_('"roll" must be true or false.'))
    checked = {"days": days, "count": value["count"], "from": value["from"], "roll": value.get("roll", True)}
    if "reasons" in value:
        reasons = value["reasons"]
        if (
            not isinstance(reasons, list)
            or not reasons
            or not all(isinstance(r, str) and REASON_RE.match(r) for r in reasons)
            or len(set(reasons)) != len(reasons)
        ):
            raise ValidationError(
                _('"reasons" must be a list of distinct codes (lower-case letters, digits and _), at least one.')
            )
        checked["reasons"] = list(reasons)
    return checked


class LegalRule(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    citation = models.CharField(_("citation"), max_length=200, help_text=_("Statute or rule and subdivision."))
    official_url = models.URLField(_("official text"), max_length=500)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Empty: still in force."))
    parameters = models.JSONField(_("parameters"), default=dict)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="integrity_legalrule_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(effective_to__isnull=True), name="integrity_legalrule_one_open"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="integrity_legalrule_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version}, {self.citation})"

    def clean(self) -> None:
        super().clean()
        try:
            self.parameters = parameters_check(self.parameters)
        except ValidationError as exc:
            raise ValidationError({"parameters": exc.messages}) from exc
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("A rule cannot end before it starts.")})

    @property
    def days(self) -> int:
        return self.parameters["days"]


class JudicialHoliday(TimeStampedModel):
    """A day the courts are closed (Code Civ. Proc. § 135), kept as data."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    note = models.CharField(_("source or note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("judicial holiday")
        verbose_name_plural = _("judicial holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"
