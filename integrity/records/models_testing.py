"""Continuances of a PC 1405 request's response date granted by the court for good cause.

The statutory date is computed from the rules registry (integrity.rules); a continuance is the
one case where a typed date replaces it: the date the court set, with the order's date and the
cause. Every continuance is kept, the latest one is in force (services_testing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from integrity.records.models import Confidential, TestingRequest


class TestingContinuance(Confidential, models.Model):
    __test__ = False  # not a pytest test class, whatever its name

    request = models.ForeignKey(
        TestingRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="continuances"
    )
    ordered_on = models.DateField(_("date of the court's order"))
    response_due = models.DateField(_("new response date"), help_text=_("The date the court set, as in its order."))
    previous_due = models.DateField(_("response date before the order"))
    cause = models.TextField(_("good cause"), help_text=_("The cause the court found, or the order's wording."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("continuance")
        verbose_name_plural = _("continuances")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return pgettext("confidential record", "Continuance of %(date)s") % {"date": self.ordered_on.isoformat()}
