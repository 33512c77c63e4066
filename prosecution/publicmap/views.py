"""The public map of concerns: the page (a GET filter form, the map and the list that is its
accessible equivalent, all working without JavaScript), the map's data (JSON, aggregated in
the database, cached briefly) and "already reported nearby" for the report form (JSON).

Only non-sensitive concerns, only public values, only blurred positions. Both JSON endpoints
are rate-limited per client IP (JCR_RATE_LIMITS scopes `publicmap_data`, `publicmap_nearby`).
"""

from __future__ import annotations

import hashlib
import math
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from jcr.core.abuse import MESSAGES as ABUSE_MESSAGES
from jcr.core.abuse import rate_limit_check
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.context import current
from jcr.core.geo import map_context
from prosecution.areas.selectors import area_public_list
from prosecution.publicmap import selectors
from prosecution.publicmap.forms import FILTER_NAMES, MapFilterForm, MapViewForm, NearbyForm

CONCERNS_PER_PAGE = 20
DATA_CACHE_PREFIX = "publicmap:data:v1:"


def _filter_form(request: HttpRequest) -> MapFilterForm:
    bound = any(name in request.GET for name in FILTER_NAMES)
    return MapFilterForm(
        request.GET if bound else None, categories=selectors.category_choices(), areas=area_public_list()
    )


def _rate_limited(scope: str) -> JsonResponse | None:
    retry_after = rate_limit_check(scope=scope, ip=current.get().ip, email=None)
    if not retry_after:
        return None
    message = ABUSE_MESSAGES["rate_limited"] % {"minutes": max(1, math.ceil(retry_after / 60))}
    response = JsonResponse({"error": str(message)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _errors(*forms_) -> JsonResponse:
    errors = {name: [str(e) for e in messages] for form in forms_ for name, messages in form.errors.items()}
    return JsonResponse({"errors": errors}, status=400)


@public
@require_GET
@cache_public_page
def concern_map_view(request: HttpRequest) -> HttpResponse:
    """The map of reported concerns with its filters and, beside it, the list of the same
    concerns (paginated), which is what a visitor without the map reads."""
    form = _filter_form(request)
    filters = form.filters()
    page = Paginator(selectors.concern_list_public(filters), CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(form.query())
    return render(
        request,
        "prosecution/publicmap/concern_map.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.concern_rows(page.object_list),
            "filters_query": query,
            "filtered": bool(query),
            "map": map_context(),
            "data_url": reverse("prosecution:concern_map_data") + (f"?{query}" if query else ""),
        },
    )


@public
@require_GET
def concern_map_data_view(request: HttpRequest) -> HttpResponse:
    """The map's data for a box and a zoom (`bbox`, `zoom`) and the page's filters: clusters
    with counts when many concerns are in view, the concerns one by one when few. Answers
    are kept JCR_PUBLIC_CACHE_SECONDS, keyed by the box grown to whole cells."""
    refused = _rate_limited("publicmap_data")
    if refused is not None:
        return refused
    view_form = MapViewForm(request.GET)
    filter_form = _filter_form(request)
    if not view_form.is_valid() or (filter_form.is_bound and not filter_form.is_valid()):
        return _errors(view_form, filter_form)
    filters = filter_form.filters()
    bbox, zoom = view_form.cleaned_data["bbox"], view_form.cleaned_data["zoom"]
    cell = selectors.grid_cell(zoom=zoom, bbox=bbox)
    box = bbox.snapped(cell)
    raw_key = f"{get_language()}|{filters.key()}|{cell}|{box.min_lon},{box.min_lat},{box.max_lon},{box.max_lat}"
    key = DATA_CACHE_PREFIX + hashlib.sha256(raw_key.encode()).hexdigest()[:40]
    data = cache.get(key)
    if data is None:
        data = selectors.map_data(filters=filters, bbox=bbox, zoom=zoom)
        base = reverse("prosecution:concern_public", kwargs={"public_ref": "REF"})
        for point in data["points"]:
            point["url"] = base.replace("REF", point["ref"])
        cache.set(key, data, settings.JCR_PUBLIC_CACHE_SECONDS)
    response = JsonResponse(data)
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=settings.JCR_PUBLIC_CACHE_SECONDS)
    return response


@public
@require_GET
def concern_nearby_view(request: HttpRequest) -> HttpResponse:
    """Open, non-sensitive concerns near a point (`lat`, `lon`, optional `radius` in metres),
    nearest first, at most ten: the report form's "already reported nearby". The point is
    the resident's: the answer is never kept by a shared cache."""
    refused = _rate_limited("publicmap_nearby")
    if refused is not None:
        return refused
    form = NearbyForm(request.GET)
    if not form.is_valid():
        return _errors(form)
    data = form.cleaned_data
    rows = selectors.concerns_nearby_public(latitude=data["lat"], longitude=data["lon"], radius_m=data["radius"])
    results = []
    for row in rows:
        url = reverse("prosecution:concern_public", kwargs={"public_ref": row["public_ref"]})
        results.append(
            {
                "ref": row["public_ref"],
                "lat": row["latitude"],
                "lon": row["longitude"],
                "category": row["category_label"],
                "status": str(row["status_label"]),
                "areas": row["areas"],
                "reported": timezone.localtime(row["created_at"]).date().isoformat(),
                "summary": row["summary"],
                "distance_m": row["distance_m"],
                "url": url,
                "me_too_url": f"{url}#me-too",
                "follow_url": f"{url}#follow",
            }
        )
    response = JsonResponse({"radius_m": data["radius"], "count": len(results), "results": results})
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, max_age=60)
    return response
