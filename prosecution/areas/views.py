from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jcr.core.access import public
from jcr.core.caching import cache_public_page
from prosecution import selectors


@public
@require_GET
@cache_public_page
def landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "prosecution/landing.html", selectors.landing_context())
