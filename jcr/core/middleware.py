"""Request context for the audit trail, the security headers Django does not set, and a
clear 503 page while the database cannot be reached."""

from __future__ import annotations

import ipaddress
import logging
import re
import sys
import uuid

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation

from jcr.core.context import RequestContext, current
from jcr.core.text import text_clean, text_has_controls

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
PRIVATE_PREFIXES = ("/staff/", "/admin/", "/accounts/", "/es/staff/", "/es/admin/", "/es/accounts/")


def _clean_ip(value: str) -> str | None:
    """`value` as a normalised IP address (a port some balancers add is dropped), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 198.51.100.7:443
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the one function every part of the portal uses (audit trail,
    failed sign-ins and their throttle, rate limits, allauth's sessions).

    With JCR_TRUSTED_PROXIES = 0 (the default) it is the connection's address and
    X-Forwarded-For is ignored. With N proxies in front, each of them appends the address it
    received the request from, so the Nth entry from the right is the client as seen by the
    outermost proxy; anything to its left was written by the client and is not trusted. A
    header with fewer entries did not come through every proxy: the connection's address.
    """
    remote = _clean_ip(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.JCR_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    entries = [e for e in (part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")) if e]
    if len(entries) < proxies:
        return remote
    return _clean_ip(entries[-proxies]) or remote


class RequestContextMiddleware:
    """Give each request an id and expose it, the client IP and, once known, the user to
    jcr.core.audit and to every log line (jcr.core.logs). The id is a new uuid4, or a
    well-formed X-Request-ID set by the proxies in front (only when JCR_TRUSTED_PROXIES says
    there are some: a client's own header is not trusted). It is echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "") if settings.JCR_TRUSTED_PROXIES else ""
        request.id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current.set(RequestContext(request_id=request.id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request.id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ctx = current.get()
            current.set(RequestContext(ctx.request_id, ctx.ip, user.pk, user.email))


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; `Cache-Control: no-store` on staff, admin and account
    pages and on every response to a signed-in person, so nothing private stays in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if request.path.startswith(PRIVATE_PREFIXES) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


# --- Database unavailable ---------------------------------------------------------------

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_DB_ERROR_ATTR = "_jcr_database_error"
# Headers the inner middleware put on the response being replaced (CSP, frame options...).
_KEPT_HEADERS = {"content-type", "content-length", "retry-after", "cache-control"}
PLAIN_503 = "The portal is briefly unavailable. Please try again in a minute."


def database_error_in(exc: BaseException | None) -> BaseException | None:
    """The database error `exc` is or was raised from (a short walk up the chain), or None."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, DATABASE_ERRORS):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def database_unavailable_response(request) -> HttpResponse:
    """The 503 page, rendered without touching the database: no context processors (they
    read the session and the user), only the request and a CSRF token for the language
    form. Plain text if even that fails."""
    try:
        language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            body = loader.render_to_string("503.html", {"request": request, "csrf_token": get_token(request)})
        response = HttpResponse(body, status=503)
    except Exception:
        log.exception("503 page failed to render")
        response = HttpResponse(PLAIN_503, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _remember_database_error(sender, request=None, **kwargs) -> None:
    """Django turns an exception raised by a middleware into a 500 response before any
    outer middleware sees it; this receiver marks the request so the outer
    DatabaseUnavailableMiddleware can replace that 500 with the 503 page."""
    exc = database_error_in(sys.exc_info()[1])
    if request is not None and exc is not None:
        setattr(request, _DB_ERROR_ATTR, exc)


got_request_exception.connect(_remember_database_error, dispatch_uid="jcr.core.middleware.database_error")


class DatabaseUnavailableMiddleware:
    """A request that fails because the database cannot be reached (a restart, a failover,
    a dropped connection) gets a clear 503 page with Retry-After instead of a 500. Nothing
    is kept in a broken state: with ATOMIC_REQUESTS the request's transaction is rolled
    back, Django drops the broken connection at the end of the request, and
    CONN_HEALTH_CHECKS replaces a dead persistent connection on the next one.

    Errors in the view arrive in `process_exception`; errors in a middleware inside this
    one arrive as a 500 marked by `_remember_database_error`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:
            return self._unavailable(request, exc)
        exc = getattr(request, _DB_ERROR_ATTR, None)
        if exc is not None and response.status_code >= 500:
            replacement = self._unavailable(request, exc)
            for header, value in response.items():
                if header.lower() not in _KEPT_HEADERS:
                    replacement.headers.setdefault(header, value)
            return replacement
        return response

    def process_exception(self, request, exception):
        exc = database_error_in(exception)
        if exc is None:
            return None
        return self._unavailable(request, exc)

    def _unavailable(self, request, exc: BaseException) -> HttpResponse:
        log.error(
            "database unavailable: %s %s answered 503 (%s: %s)",
            request.method,
            request.path,
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
        )
        return database_unavailable_response(request)


class QueryCleaningMiddleware:
    """Query-string names and values lose control characters (jcr.core.text) before any view
    reads them. Forms clean their own fields, but lists, searches and APIs read request.GET
    directly, and a NUL there reached PostgreSQL as a 500. Line breaks and tabs stay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any(text_has_controls(k) or any(text_has_controls(v) for v in vs) for k, vs in query.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in query.lists():
                cleaned.setlist(text_clean(key), [text_clean(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
