"""Whole-page caching for anonymous visitors of public pages."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.views.decorators.cache import cache_page


def cache_public_page(view):
    """Serve this public page from the cache to anonymous visitors (JCR_PUBLIC_CACHE_SECONDS).

    Signed-in people always get a fresh page (it shows their name and is `no-store`). Django's
    cache middleware keys the entry by URL (the language is in the URL) and the request's Vary
    headers, and never stores a response that sets a cookie for a cookie-less request, so a
    page with a form (CSRF cookie) or a message is not shared.
    """
    cached = cache_page(settings.JCR_PUBLIC_CACHE_SECONDS, cache="pages", key_prefix="public")(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return cached(request, *args, **kwargs)

    return wrapper
