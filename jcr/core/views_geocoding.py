"""The address suggestions behind every address input (static/js/address-suggest.js)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jcr.core import geocoding
from jcr.core.access import public
from jcr.core.context import current


@public
@require_GET
@never_cache
def geocode_suggest_view(request: HttpRequest) -> HttpResponse:
    """GET ?q=: {"query", "provider", "results": [{"label", "latitude", "longitude"}] (at most
    five, inside the county), "message"}. 429 over the "geocode" rate limit, 503 when the
    provider cannot be reached (with a message saying what to do instead)."""
    query = " ".join(request.GET.get("q", "").split())[: geocoding.QUERY_MAX_LENGTH]
    body: dict = {"query": query, "provider": geocoding.provider_name(), "results": [], "message": ""}
    status = 200
    if len(query) >= geocoding.QUERY_MIN_LENGTH:
        retry_after = geocoding.lookup_retry_after(current.get().ip)
        if retry_after:
            body["message"] = str(geocoding.RATE_LIMITED_MESSAGE)
            response = JsonResponse(body, status=429)
            response["Retry-After"] = str(retry_after)
            return _private(response)
        try:
            body["results"] = [asdict(c) for c in geocoding.geocode_search(query)]
        except geocoding.GeocodingUnavailable:
            body["message"] = str(geocoding.UNAVAILABLE_MESSAGE)
            status = 503
    return _private(JsonResponse(body, status=status))


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response
