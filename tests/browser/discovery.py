"""What the browser tests check, found rather than listed.

- Public pages: every <loc> of /sitemap.xml (following a sitemap index), in both languages
  (the sitemap lists each page once per language); the language of a page is its URL prefix.
- More public pages: parameter-less public routes of the route walk that answer an HTML page
  (200, not a redirect) to an anonymous visitor (sign-in, sign-up, password reset, ...), not
  part of the sitemap. These are checked with axe and for forms, not for the sitemap rules.
- Staff pages: parameter-less routes of kind "staff" and "account" from the route walk, in
  both languages, opened by the seeded superuser.
- Forms: every <form method="post"> on those pages with at least one field a person fills
  in (forms of only hidden inputs and buttons, such as "Sign out", are actions, not forms).
  Found in the browser page by page (forms.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from jcr.core.access import Access
from tests.support import routes_of_kind

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE


def language_of(path: str) -> str:
    """The language a URL is in: its /<code>/ prefix, else the default language."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGES and first != DEFAULT_LANGUAGE else DEFAULT_LANGUAGE


@dataclass
class Site:
    sitemap: dict[str, list[str]] = field(default_factory=dict)  # language -> paths
    public_extra: dict[str, list[str]] = field(default_factory=dict)  # language -> paths
    staff: dict[str, list[str]] = field(default_factory=dict)  # language -> paths

    def public(self, language: str) -> list[str]:
        """Every public HTML page of `language`: the sitemap's, then the route walk's others."""
        return self.sitemap.get(language, []) + self.public_extra.get(language, [])

    @classmethod
    def discover(cls, portal) -> Site:
        site = cls(
            sitemap={code: [] for code in LANGUAGES},
            public_extra={code: [] for code in LANGUAGES},
            staff={code: [] for code in LANGUAGES},
        )
        for path in sitemap_paths(portal):
            site.sitemap[language_of(path)].append(path)
        listed = {p for paths in site.sitemap.values() for p in paths}
        for route in routes_of_kind(Access.PUBLIC):
            if not route.access.allows("GET"):
                continue
            path = route.url()
            if path in listed:
                continue
            status, content_type, _body = portal.get(path)
            if status == 200 and content_type.startswith("text/html"):
                site.public_extra[route.language].append(path)
        for kind in (Access.STAFF, Access.ACCOUNT):
            for route in routes_of_kind(kind):
                if route.access.allows("GET"):
                    site.staff[route.language].append(route.url())
        for pages in (site.sitemap, site.public_extra, site.staff):
            for code in pages:
                pages[code] = sorted(dict.fromkeys(pages[code]))
        return site


def sitemap_paths(portal, path: str = "/sitemap.xml") -> list[str]:
    status, _content_type, body = portal.get(path)
    assert status == 200, f"{path} answered {status}"
    root = ET.fromstring(body)  # noqa: S314 - our own server's sitemap
    if root.tag.endswith("sitemapindex"):
        found = []
        for loc in root.iterfind("sm:sitemap/sm:loc", SITEMAP_NS):
            found += sitemap_paths(portal, urlsplit(loc.text.strip()).path + "?" + urlsplit(loc.text.strip()).query)
        return found
    paths = []
    for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS):
        parts = urlsplit(loc.text.strip())
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths
