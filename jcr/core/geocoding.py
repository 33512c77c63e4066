"""Address search (geocoding) through geopy, for every form that asks for a place.

    candidates = geocode_search("1200 J St")        # at most 5 Candidates inside the county
    point = geocode_one("1200 J St")                # the best one, or None

The provider is the JCR_GEOCODER setting: "demo" (jcr.core.geocoding_demo, no network: the
default, used by `make run` and the tests), "census" (the US Census Bureau's one-line address
geocoder, no key; geopy has none, so `CensusGeocoder` below is a small geopy adapter over its
documented endpoint) or "nominatim" (geopy.Nominatim, JCR_GEOCODER_USER_AGENT). Every answer is
bounded to the county (JCR_GEOCODER_BOUNDS, or the extent of the loaded areas), kept in the
cache (JCR_GEOCODER_CACHE_SECONDS, empty answers too), and the provider is called at most once
per JCR_GEOCODER_MIN_DELAY_SECONDS per process (geopy's RateLimiter) with a timeout. A provider
that fails or cannot be reached raises GeocodingUnavailable: callers say so and offer the pin on
the map and the district list instead, keeping what the resident typed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from jcr.core.abuse import rate_limit_check
from jcr.core.geocoding_demo import DemoGeocoder
from jcr.core.models import Area

log = logging.getLogger("jcr.geocoding")

SUGGESTIONS_MAX = 5
QUERY_MIN_LENGTH = 3
QUERY_MAX_LENGTH = 200
# The county when neither JCR_GEOCODER_BOUNDS nor any area is there (Sacramento County).
COUNTY_BOUNDS = (-121.87, 38.01, -121.02, 38.74)

PROVIDER_LABELS = {
    "demo": _("demo geocoder (a few demonstration streets, not real addresses)"),
    "census": _("US Census Bureau geocoder"),
    "nominatim": _("OpenStreetMap Nominatim (© OpenStreetMap contributors)"),
}
UNAVAILABLE_MESSAGE = _(
    "The address search is not available right now. Place a pin on the map or choose your district instead; "
    "what you typed is kept."
)
RATE_LIMITED_MESSAGE = _("Too many address searches came from your connection. Please wait a minute.")
NOT_FOUND_MESSAGE = _(
    "We could not find this address in the county. Check the spelling, choose one of the suggestions, "
    "or place a pin on the map."
)


class GeocodingUnavailable(Exception):
    """The provider failed, timed out or could not be reached."""


@dataclass(frozen=True)
class Candidate:
    label: str
    latitude: float
    longitude: float


class CensusGeocoder(Geocoder):
    """The US Census Bureau's one-line address geocoder in geopy's shape (US addresses only).

    https://geocoding.geo.census.gov/geocoder/Geocoding_Services_API.html:
    GET /geocoder/locations/onelineaddress?address=...&benchmark=Public_AR_Current&format=json
    → result.addressMatches[].{matchedAddress, coordinates: {x: longitude, y: latitude}}.
    """

    api = "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress"

    def __init__(self, *, benchmark: str = "Public_AR_Current", **kwargs):
        super().__init__(**kwargs)
        self.benchmark = benchmark

    def geocode(self, query, *, exactly_one=True, limit=None, timeout=None, **kwargs):
        params = {"address": str(query), "benchmark": self.benchmark, "format": "json"}
        url = f"{self.api}?{urlencode(params)}"
        return self._call_geocoder(url, lambda data: self._parse(data, exactly_one, limit), timeout=timeout)

    @staticmethod
    def _parse(data, exactly_one, limit):
        matches = ((data or {}).get("result") or {}).get("addressMatches") or []
        locations = []
        for match in matches:
            coordinates = match.get("coordinates") or {}
            try:
                point = (float(coordinates["y"]), float(coordinates["x"]))
            except (KeyError, TypeError, ValueError):
                continue
            locations.append(Location(match.get("matchedAddress", ""), point, match))
        if limit:
            locations = locations[:limit]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None


@lru_cache(maxsize=4)
def _provider(name: str):
    """The geocode callable of the provider `name`, rate-limited (per process) for real ones."""
    timeout = settings.JCR_GEOCODER_TIMEOUT_SECONDS
    if name == "demo":
        return DemoGeocoder(timeout=timeout).geocode
    if name == "census":
        geocoder = CensusGeocoder(timeout=timeout, user_agent=settings.JCR_GEOCODER_USER_AGENT or None)
    elif name == "nominatim":
        extra = {"domain": settings.JCR_GEOCODER_DOMAIN} if settings.JCR_GEOCODER_DOMAIN else {}
        geocoder = Nominatim(user_agent=settings.JCR_GEOCODER_USER_AGENT, timeout=timeout, **extra)
    else:
        raise ImproperlyConfigured(f"unknown geocoder {name!r}")
    return RateLimiter(
        geocoder.geocode,
        min_delay_seconds=settings.JCR_GEOCODER_MIN_DELAY_SECONDS,
        max_retries=0,
        swallow_exceptions=False,
    )


def provider_name() -> str:
    return settings.JCR_GEOCODER


def provider_label() -> str:
    return str(PROVIDER_LABELS.get(provider_name(), provider_name()))


def county_bounds() -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat): JCR_GEOCODER_BOUNDS, else the loaded areas' extent."""
    if settings.JCR_GEOCODER_BOUNDS:
        try:
            values = tuple(float(v) for v in settings.JCR_GEOCODER_BOUNDS.split(","))
        except ValueError:
            values = ()
        if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
            raise ImproperlyConfigured("JCR_GEOCODER_BOUNDS must be min_lon,min_lat,max_lon,max_lat")
        return values  # type: ignore[return-value]
    extent = Area.objects.aggregate(Min("min_lon"), Min("min_lat"), Max("max_lon"), Max("max_lat"))
    values = (extent["min_lon__min"], extent["min_lat__min"], extent["max_lon__max"], extent["max_lat__max"])
    return COUNTY_BOUNDS if None in values else values  # type: ignore[return-value]


def inside(bounds, *, latitude: float, longitude: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = bounds
    return min_lon <= longitude <= max_lon and min_lat <= latitude <= max_lat


def _clean(query: str) -> str:
    return " ".join((query or "").split())[:QUERY_MAX_LENGTH]


def _cache_key(name: str, query: str) -> str:
    digest = hashlib.sha256(query.casefold().encode()).hexdigest()[:40]
    return f"geocode:{name}:{digest}"


def _ask(name: str, query: str, bounds) -> list[Candidate]:
    min_lon, min_lat, max_lon, max_lat = bounds
    kwargs: dict = {"exactly_one": False, "limit": SUGGESTIONS_MAX}
    if name == "nominatim":
        kwargs.update(viewbox=[(min_lat, min_lon), (max_lat, max_lon)], bounded=True, country_codes="us")
    try:
        locations = _provider(name)(query, **kwargs) or []
    except GeopyError as exc:
        log.warning("geocoder %s failed: %s", name, exc.__class__.__name__)
        raise GeocodingUnavailable(str(exc)) from exc
    return [
        Candidate(label=location.address, latitude=location.latitude, longitude=location.longitude)
        for location in locations
    ]


def geocode_search(query: str, *, limit: int = SUGGESTIONS_MAX) -> list[Candidate]:
    """At most `limit` places matching `query` inside the county, best first (cached).

    Raises GeocodingUnavailable when the provider fails; a short query gives []."""
    query = _clean(query)
    if len(query) < QUERY_MIN_LENGTH:
        return []
    name = provider_name()
    key = _cache_key(name, query)
    try:
        cached = cache.get(key)
    except Exception:  # the cache is down: ask the provider
        cached = None
    if cached is None:
        bounds = county_bounds()
        found = [c for c in _ask(name, query, bounds) if inside(bounds, latitude=c.latitude, longitude=c.longitude)]
        cached = [asdict(c) for c in found]
        try:
            cache.set(key, cached, timeout=settings.JCR_GEOCODER_CACHE_SECONDS)
        except Exception:
            log.warning("geocoding result not cached (cache unavailable)")
    return [Candidate(**row) for row in cached[: max(0, min(limit, SUGGESTIONS_MAX))]]


def geocode_one(query: str) -> Candidate | None:
    """The best place for `query` inside the county, or None. Raises GeocodingUnavailable."""
    found = geocode_search(query, limit=1)
    return found[0] if found else None


def address_point(address: str, *, ip: str | None = None) -> tuple[Candidate | None, str]:
    """For a form sent without a pin: (the place found for the typed address, or None; the
    message saying why not, "" when found or when nothing was typed). With `ip`, the lookup
    counts against the "geocode" rate limit (for forms that are not rate-limited themselves).
    Never raises."""
    if not (address or "").strip():
        return None, ""
    if ip is not None and lookup_retry_after(ip):
        return None, str(RATE_LIMITED_MESSAGE)
    try:
        found = geocode_one(address)
    except GeocodingUnavailable:
        return None, str(UNAVAILABLE_MESSAGE)
    return found, "" if found else str(NOT_FOUND_MESSAGE)


RATE_SCOPE = "geocode"


def lookup_retry_after(ip: str | None) -> int:
    """Count one address lookup from `ip` (suggestions, "find my prosecutor"): 0 when within
    the JCR_RATE_LIMITS "geocode" limits, otherwise the seconds to wait."""
    return rate_limit_check(scope=RATE_SCOPE, ip=ip, email=None)


def address_input_attrs(*, lat_id: str = "id_latitude", lon_id: str = "id_longitude") -> dict:
    """The attributes that make an address input offer suggestions (static/js/address-suggest.js)
    and fill the inputs `lat_id` and `lon_id` with the place chosen."""
    return {
        "data-geocode-suggest": reverse("core:geocode_suggest"),
        "data-lat-input": lat_id,
        "data-lon-input": lon_id,
        "data-msg-list": _("Suggested addresses"),
        "data-msg-count": _("{count} suggested addresses. Use the up and down arrow keys to choose one."),
        "data-msg-none": _("No suggested address. You can send the address as you typed it or place a pin."),
        "data-msg-chosen": _("Chosen: {place}. The pin is on the map."),
        "data-msg-unavailable": UNAVAILABLE_MESSAGE,
    }
