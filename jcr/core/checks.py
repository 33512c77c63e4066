"""System checks of the platform run by `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


def geocoder_is_real(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A production portal looks up real addresses: the demo geocoder knows a few demo streets."""
    if settings.JCR_GEOCODER != "demo":
        return []
    return [
        checks.Warning(
            "JCR_GEOCODER is demo: residents' addresses are looked up in a small demonstration gazetteer.",
            hint="Set JCR_GEOCODER=census, or nominatim with JCR_GEOCODER_USER_AGENT (docs/operations.md).",
            id="core.W001",
        )
    ]
