from __future__ import annotations

import logging

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jcr.core import selectors
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


def _check(fn) -> tuple[bool, str]:
    try:
        fn()
    except Exception as exc:
        return False, type(exc).__name__
    return True, "ok"


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("jcr:healthz", "1", 10)
    if cache.get("jcr:healthz") != "1":
        raise RuntimeError("cache did not return the value")


def _check_broker() -> None:
    from jcr.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@public
@never_cache
@require_GET
def healthz_view(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the broker all answer; 503 otherwise."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    results = {}
    for name, fn in checks.items():
        up, detail = _check(fn)
        results[name] = {"up": up, "detail": detail}
    healthy = all(r["up"] for r in results.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": results}, status=200 if healthy else 503)


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
