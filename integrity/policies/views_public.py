"""Public pages of the office's public policies: the current version of each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrity.policies import selectors
from jcr.core.access import public
from jcr.core.caching import cache_public_page


@public
@require_GET
@cache_public_page
def policy_public_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "integrity/policies/policy_public_list.html", {"policies": selectors.policy_public_list()})


@public
@require_GET
@cache_public_page
def policy_public_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    policy, current = selectors.policy_public_get(slug=slug)
    return render(request, "integrity/policies/policy_public_detail.html", {"policy": policy, "version": current})
