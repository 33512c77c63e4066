"""The sitemap: every public page, in English and Spanish. Apps add their own sitemaps to
`sitemaps` through their AppConfig attribute `sitemaps` (a dict of name -> Sitemap class).

A page whose own text exists in one language only (a news item written in Spanish, a project
described in English) is listed once, in that language, without hreflang alternates: a
sitemap's `languages_of(item)` says so. Fixed pages and bilingual rows are listed in both,
each with its alternates and x-default."""

from collections.abc import Sequence

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.module_loading import import_string


class StaticPagesSitemap(Sitemap):
    """Fixed public pages named by URL name; apps subclass it with their own `names`."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    names: tuple[str, ...] = ("core:home", "core:accessibility", "core:privacy")

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)

    def languages_of(self, item) -> Sequence[str] | None:
        """The languages `item`'s page has its own text in; None: every language."""
        return None

    def get_languages_for_item(self, item):
        languages = self.languages_of(item)
        return [code for code in self._languages() if code in languages] if languages else self._languages()

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for info in urls:
            if sum(1 for alternate in info["alternates"] if alternate["lang_code"] != "x-default") < 2:
                info["alternates"] = []  # hreflang only where the page exists in both languages
        return urls


def sitemaps_collect() -> dict[str, type[Sitemap]]:
    """Called by the root URLconf once apps are loaded."""
    result: dict[str, type[Sitemap]] = {"core": StaticPagesSitemap}
    for config in apps.get_app_configs():
        for name, dotted in getattr(config, "sitemaps", {}).items():
            result[name] = import_string(dotted)
    return result
