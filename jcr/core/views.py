from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jcr.core import health, selectors
from jcr.core.access import public, staff
from jcr.core.caching import cache_public_page

log = logging.getLogger(__name__)


@public
@require_GET
@cache_public_page
def home_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"districts": selectors.police_districts_with_prosecutors(), "units": selectors.units()},
    )


@public
@require_GET
@cache_public_page
def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
@require_GET
@cache_public_page
def privacy_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@staff()
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """What waits for this person across the units they work in."""
    panels = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "dashboard_panel", None)
        if dotted:
            panel = import_string(dotted)(user=request.user)
            if panel is not None:
                panels.append(panel)
    return render(
        request,
        "core/dashboard.html",
        {"panels": panels, "platform": selectors.platform_panel(user=request.user)},
    )


# Module names the health views look up when called (tests replace them).
_check_database = health.check_database
_check_cache = health.check_cache
_check_broker = health.check_broker


def _dependencies() -> dict:
    return {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def _health_response(healthy: bool, results: dict) -> JsonResponse:
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": results}, status=200 if healthy else 503)


@public
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz_view(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the broker all answer; 503 otherwise."""
    return _health_response(*health.run_checks(_dependencies()))


@public
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz_live_view(request: HttpRequest) -> JsonResponse:
    """The process answers: no database, cache or broker is asked."""
    return JsonResponse({"status": "ok"})


@public
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz_ready_view(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the broker answer and the worker and beat showed
    a heartbeat recently enough; 503 with what is wrong otherwise."""
    return _health_response(*health.run_checks(_dependencies() | health.heartbeats_or_down()))


def server_error_view(request: HttpRequest) -> HttpResponse:
    """500 with the portal's layout when it can render, plain text when even that fails."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", {}, request=request))
    except Exception:
        log.exception("500 page failed to render")
        return HttpResponseServerError("Server error. Please try again later.", content_type="text/plain")


SEARCH_PER_PAGE = 20


@public
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """The site search: public content of every unit, in the page's language first."""
    from django.core.paginator import Paginator
    from django.utils.translation import get_language

    from jcr.core import search

    q = request.GET.get("q", "").strip()[: search.MAX_QUERY_LENGTH]
    language = (get_language() or "en")[:2]
    page = Paginator(search.search(q, language=language), SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/search.html", {"q": q, "page": page, "searched": bool(q)})
