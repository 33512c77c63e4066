"""The map's basemap tiles: which origins a tile URL template loads images from (for the
Content-Security-Policy img-src). Imported by the settings, so it imports nothing of Django's
models."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Leaflet's placeholders in a tile URL template; only {s} may stand in the host.
_PLACEHOLDERS = ("{z}", "{x}", "{y}", "{r}")


def tile_origins(url: str, subdomains: str = "abc") -> list[str]:
    """The origins (scheme://host[:port]) a Leaflet tile URL template loads tiles from.

    "{s}" is replaced by each of `subdomains` (Leaflet's `subdomains` option, one character
    each), so "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" gives the a., b. and c.
    hosts, and a host such as "tiles.example-data.org" is kept as it is. Empty URL: no origin.
    Raises ImproperlyConfigured for a template that is not an absolute http(s) URL.
    """
    url = (url or "").strip()
    if not url:
        return []
    letters = list(dict.fromkeys(subdomains or "")) if "{s}" in url else [""]
    if not letters:
        raise ImproperlyConfigured("JCR_MAP_TILE_URL uses {s} but JCR_MAP_TILE_SUBDOMAINS is empty")
    origins: list[str] = []
    for letter in letters:
        concrete = url.replace("{s}", letter)
        for placeholder in _PLACEHOLDERS:
            concrete = concrete.replace(placeholder, "0")
        parts = urlsplit(concrete)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host or "{" in parts.netloc:
            raise ImproperlyConfigured(
                f"JCR_MAP_TILE_URL must be an absolute http(s) URL template such as "
                f"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png, not {url!r}"
            )
        port = f":{parts.port}" if parts.port else ""
        origin = f"{parts.scheme}://{host}{port}"
        if origin not in origins:
            origins.append(origin)
    return origins
