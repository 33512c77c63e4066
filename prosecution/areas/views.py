"""Residents' pages of the unit's places: the landing page, the areas map, "Who is my community
prosecutor?" and a page per area."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jcr.core import geocoding
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.context import current
from jcr.core.geo import map_context
from prosecution.areas import selectors
from prosecution.concerns.forms import ProsecutorLookupForm
from prosecution.concerns.selectors import cpu_contact
from prosecution.projects import selectors as project_selectors


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "prosecution/areas/landing.html", selectors.landing_context())


@public
@require_GET
@cache_public_page
def areas_geojson_view(request: HttpRequest) -> HttpResponse:
    """The police districts' outlines, names and "approximate" flags (the map without tiles)."""
    response = JsonResponse(selectors.area_public_geojson())
    response["Content-Type"] = "application/geo+json"
    patch_cache_control(response, public=True, max_age=settings.JCR_PUBLIC_CACHE_SECONDS)
    return response


def _address_point(form: ProsecutorLookupForm) -> geocoding.Candidate | None:
    """The typed address looked up (rate-limited per client); None, with the reason on the
    form's address field, when it cannot be found or the search is unavailable."""
    found, message = geocoding.address_point(form.cleaned_data["address"], ip=current.get().ip or "")
    if found is None:
        form.add_error("address", message)
    return found


@public
@require_GET
def my_prosecutor_view(request: HttpRequest) -> HttpResponse:
    """ "Who is my community prosecutor?": an address, a point or a district → the area(s) →
    the card(s). The district chosen comes first, then a pin, then the typed address."""
    areas = selectors.area_public_list()
    bound = any(key in request.GET for key in ("area", "latitude", "longitude", "address"))
    form = ProsecutorLookupForm(request.GET if bound else None, areas=areas)
    results = None
    outside = False
    place = None
    if bound and form.is_valid():
        data = form.cleaned_data
        found = []
        if data["area"]:
            try:
                found = [selectors.area_get_public(slug=data["area"])]
            except Http404:
                form.add_error("area", _("Choose one of the districts listed."))
        else:
            point = (data["latitude"], data["longitude"])
            if point[0] is None:
                place = _address_point(form)
                point = (place.latitude, place.longitude) if place else None
            if point is not None:
                found = selectors.areas_for_point(latitude=point[0], longitude=point[1])
                outside = not found
        if not form.errors:
            prosecutors = selectors.area_prosecutors(areas=found)
            results = [{"area": area, "prosecutors": prosecutors[area.pk]} for area in found]
    return render(
        request,
        "prosecution/areas/my_prosecutor.html",
        {
            "form": form,
            "results": results,
            "outside": outside,
            "place": place,
            "any_approximate": any(item["area"].is_approximate for item in results or []),
            "contact": cpu_contact(),
            "map": map_context(),
        },
    )


@public
@require_GET
@cache_public_page
def area_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A neighborhood area: its community prosecutor and its open (non-sensitive) concerns."""
    area = selectors.area_get_public(slug=slug)
    counts = selectors.area_open_concerns_by_category(area=area)
    return render(
        request,
        "prosecution/areas/area_detail.html",
        {
            "area": area,
            "prosecutors": selectors.area_prosecutors(areas=[area])[area.pk],
            "counts": counts,
            "open_total": sum(row["count"] for row in counts),
            "latest": selectors.area_latest_open_concerns(area=area),
            "contact": cpu_contact(),
            "projects": project_selectors.area_public_projects(area=area),
        },
    )


# --- Public photos
