"""Staff pages of hearings: the calendar of coming hearings. A hearing is added from its bill's
page (govrelations.bills)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govrelations.hearings import selectors
from jcr.core.access import staff

VIEW = "accounts.access_govrelations"  # the unit and the bureau chief; not administrators


@staff(VIEW)
@require_GET
def staff_hearing_calendar_view(request: HttpRequest) -> HttpResponse:
    watched_only = request.GET.get("all") != "1"
    hearings = selectors.hearing_list_upcoming(days=90, watched_only=watched_only)
    return render(
        request,
        "govrelations/hearings/staff_hearing_calendar.html",
        {"days": selectors.hearings_by_local_day(hearings), "watched_only": watched_only},
    )
