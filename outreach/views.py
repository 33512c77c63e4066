from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jcr.core.access import public, staff
from jcr.core.caching import cache_public_page
from outreach.events import selectors


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/landing.html", selectors.landing_context())


@staff("accounts.access_outreach")
@require_GET
def staff_landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/staff_landing.html", selectors.staff_landing_context(user=request.user))
