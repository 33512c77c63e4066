"""The triage queue's saved filters: one set per person, applied when they open the queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel


class SavedQueueFilter(TimeStampedModel):
    """The filters a person saved on the triage queue (the query string's parameters, without
    the page cursors). Opening the queue with no filters applies them; "reset" deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="concern_queue_filter",
    )
    params = models.JSONField(_("filters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("saved queue filter")
        verbose_name_plural = _("saved queue filters")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return str(self.user)
