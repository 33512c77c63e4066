"""Whole-page caching for anonymous visitors of public pages."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.utils import translation
from django.utils.cache import get_cache_key, patch_vary_headers
from django.views.decorators.cache import cache_page

CACHE_ALIAS = "pages"
KEY_PREFIX = "public"
# django.contrib.messages' cookie storage: a visitor with a message waiting gets a fresh page.
MESSAGES_COOKIE = "messages"


def cache_public_page(view):
    """Serve this public page from the cache to anonymous visitors (JCR_PUBLIC_CACHE_SECONDS).

    Signed-in people always get a fresh page (it shows their name and is `no-store`). Django's
    cache middleware keys the entry by URL (the language is in the URL) and the request's Vary
    headers, and never stores a response that sets a cookie for a cookie-less request, so a
    page with a form (CSRF cookie) or a message is not shared. A visitor without a session
    cookie is answered from the entry before the session, the user and the database are
    touched (PublicPageCacheMiddleware).
    """
    cached = cache_page(settings.JCR_PUBLIC_CACHE_SECONDS, cache=CACHE_ALIAS, key_prefix=KEY_PREFIX)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return cached(request, *args, **kwargs)

    return wrapper


class PublicPageCacheMiddleware:
    """Answer a cookie-less GET from the public page cache before the session, the user, the
    request's transaction and the view: such a visitor is anonymous (there is no session to
    sign anyone in), so the entry `cache_public_page` stored for the same URL, language and
    Vary headers is exactly the page its view would serve. Anything else, and every miss,
    goes the usual way, where the view fills the cache.

    It sits inside the middleware that set the security headers (CSP, frame options,
    Permissions-Policy, HSTS, request id), so a cached page gets them as a fresh one does;
    it adds what the session and locale middleware would have added (Vary: Cookie,
    Content-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        cookies = request.COOKIES
        if request.method == "GET" and self.session_cookie not in cookies and MESSAGES_COOKIE not in cookies:
            response = self._cached(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _cached(self, request):
        # The language LocaleMiddleware would pick for these i18n_patterns: the URL's prefix,
        # else the default language (the cache key carries it).
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                cache = caches[CACHE_ALIAS]
            except InvalidCacheBackendError:  # settings without the page cache
                return None
            key = get_cache_key(request, KEY_PREFIX, "GET", cache=cache)
            response = cache.get(key) if key is not None else None
        if response is None:
            return None
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        if not response.streaming:
            response.headers.setdefault("Content-Length", str(len(response.content)))
        return response
