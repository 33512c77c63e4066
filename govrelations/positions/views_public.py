"""Public pages of positions: a letter stating an approved position, and the RSS feed of new
positions. Only approved positions show."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govrelations.positions import selectors
from govrelations.positions.feeds import PositionsFeed
from jcr.core.access import public
from jcr.core.caching import cache_public_page


@public
@require_GET
@cache_public_page
def letter_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    letter = selectors.letter_get_public(public_id=public_id)
    return render(
        request, "govrelations/positions/letter_detail.html", {"letter": letter, "bill": letter.position.bill}
    )


positions_feed_view = public(require_GET(cache_public_page(PositionsFeed())))
