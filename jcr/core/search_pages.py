"""The portal's fixed public pages in the site search (jcr.core.search): the about pages and
each unit's public landing page, described by its AppConfig (verbose_name, summary)."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jcr.core.search import Page

LABEL = _("Page")


def _fixed(key: str, url_name: str, title, summary) -> Page:
    return Page(
        key=key, label=LABEL, url=lambda: reverse(url_name), title=lambda: str(title), summary=lambda: str(summary)
    )


def sources() -> list[Page]:
    pages = [
        _fixed(
            "page:accessibility",
            "core:accessibility",
            _("Accessibility statement"),
            _("How this portal meets the Web Content Accessibility Guidelines and how to report a barrier."),
        ),
        _fixed(
            "page:privacy",
            "core:privacy",
            _("Privacy notice"),
            _("What the portal records about you, why, for how long, and your rights."),
        ),
    ]
    for config in apps.get_app_configs():
        url_name = getattr(config, "public_url_name", None)
        if url_name and getattr(config, "summary", None):
            pages.append(
                Page(
                    key=f"page:{config.label}",
                    label=LABEL,
                    url=lambda url_name=url_name: reverse(url_name),
                    title=lambda config=config: str(config.verbose_name),
                    summary=lambda config=config: str(config.summary),
                )
            )
    return pages
