"""The Open311 GeoReport v2 clients (API keys)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel


class Open311Client(TimeStampedModel):
    """An application allowed to post to the Open311 GeoReport v2 API with its own key.

    Only a SHA-256 hash of the key is stored, with its first characters (`prefix`) for
    display; the key itself is shown once, when it is created."""

    name = models.CharField(_("name"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    key_prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.revoked_at is None


# --- Transparency: precomputed figures of the public dashboard and the open data ----------
