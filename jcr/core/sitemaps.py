"""The sitemap: every public page, in English and Spanish. Apps add their own sitemaps to
`sitemaps` through their AppConfig attribute `sitemaps` (a dict of name -> Sitemap class)."""

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


def sitemaps_collect() -> dict[str, type[Sitemap]]:
    """Called by the root URLconf once apps are loaded."""
    result: dict[str, type[Sitemap]] = {"core": StaticPagesSitemap}
    for config in apps.get_app_configs():
        for name, dotted in getattr(config, "sitemaps", {}).items():
            result[name] = import_string(dotted)
    return result
