"""Public pages of Government Relations' bills: the office's published positions by session and
a bill's page. Only bills with an approved position show; memos, comments and proposals
never do. A letter's page and the feed are in govrelations.positions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govrelations.bills import selectors
from jcr.core.access import public
from jcr.core.caching import cache_public_page


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "govrelations/bills/landing.html", selectors.landing_context())


@public
@require_GET
@cache_public_page
def session_positions_view(request: HttpRequest, session: str) -> HttpResponse:
    sessions = selectors.session_list_public()
    current = next((s for s in sessions if s.identifier == session), None)
    if current is None:
        raise Http404
    return render(
        request,
        "govrelations/bills/session_positions.html",
        {
            "sessions": sessions,
            "current": current,
            "rows": selectors.position_list_for_session(identifier=session),
        },
    )


@public
@require_GET
@cache_public_page
def bill_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    return render(request, "govrelations/bills/bill_detail.html", selectors.bill_get_public(public_id=public_id))
