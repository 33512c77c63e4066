"""Transparency: precomputed figures of the public dashboard and the open data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area
from prosecution.concerns.models_categories import Category


class ConcernStat(models.Model):
    """One precomputed figure row of the public dashboard (prosecution.transparency).

    A row counts the concerns received in its period (a calendar month in the portal's time
    zone, or a rolling window of whole months ending with the current one) for one category or
    all (`category` empty) and one area or all (`area` empty), with their present status and
    the medians. Rows by area leave out sensitive concerns; rows of a sensitive category carry
    counts only (no medians). Every number on the dashboard is one of these rows as stored.
    """

    class Period(models.TextChoices):
        MONTH = "month", _("Calendar month")
        LAST_3 = "3m", _("Last 3 months")
        LAST_12 = "12m", _("Last 12 months")
        LAST_24 = "24m", _("Last 24 months")
        ALL = "all", _("All time")

    period = models.CharField(_("period"), max_length=8, choices=Period)
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("First day of the month (month rows)."))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    received = models.PositiveIntegerField(_("received"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    closed = models.PositiveIntegerField(_("closed for another reason"), default=0)
    responded = models.PositiveIntegerField(_("with a first response"), default=0)
    median_response_days = models.FloatField(_("median days to first response"), null=True, blank=True)
    median_resolution_days = models.FloatField(_("median days to resolution"), null=True, blank=True)

    class Meta:
        verbose_name = _("concern figure")
        verbose_name_plural = _("concern figures")
        ordering = ["period", "month", "category", "area", "id"]
        indexes = [
            models.Index(fields=["period", "category", "area", "month"], name="prosecution_stat_lookup_idx"),
        ]

    def __str__(self) -> str:
        where = [str(self.month or self.get_period_display())]
        where += [str(x) for x in (self.category, self.area) if x is not None]
        return " / ".join(where)


class ConcernStatsBuild(models.Model):
    """One rebuild of the figures and of the open-data files (the latest one is served)."""

    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    method = models.CharField(_("method"), max_length=10, help_text=_("sql (PostgreSQL) or python."))
    concerns = models.PositiveIntegerField(_("concerns counted"), default=0)
    rows = models.PositiveIntegerField(_("figure rows"), default=0)
    open_data_rows = models.PositiveIntegerField(_("concerns in the open data"), default=0)
    concerns_csv = models.CharField(_("open data file (CSV)"), max_length=255, blank=True)
    concerns_json = models.CharField(_("open data file (JSON)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("figures rebuild")
        verbose_name_plural = _("figures rebuilds")
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} ({self.method})"
