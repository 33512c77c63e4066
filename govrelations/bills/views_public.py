"""Public pages of Government Relations: the office's published positions by session, a
bill's page, a letter, and the RSS feed of new positions. Only approved positions show;
memos, comments and proposals never do."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govrelations import selectors
from govrelations.feeds import PositionsFeed
from jcr.core.access import public
from jcr.core.caching import cache_public_page


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "govrelations/landing.html", selectors.landing_context())


@public
@require_GET
@cache_public_page
def session_positions_view(request: HttpRequest, session: str) -> HttpResponse:
    sessions = selectors.public_sessions()
    current = next((s for s in sessions if s.identifier == session), None)
    if current is None:
        raise Http404
    return render(
        request,
        "govrelations/session_positions.html",
        {
            "sessions": sessions,
            "current": current,
            "rows": selectors.public_positions_for_session(identifier=session),
        },
    )


@public
@require_GET
@cache_public_page
def bill_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    return render(request, "govrelations/bill_detail.html", selectors.public_bill_get(public_id=public_id))


@public
@require_GET
@cache_public_page
def letter_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    letter = selectors.public_letter_get(public_id=public_id)
    return render(request, "govrelations/letter_detail.html", {"letter": letter, "bill": letter.position.bill})


positions_feed_view = public(require_GET(cache_public_page(PositionsFeed())))
