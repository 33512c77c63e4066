"""Request context for the audit trail, and the security headers Django does not set."""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from jcr.core.context import RequestContext, current

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
PRIVATE_PREFIXES = ("/staff/", "/admin/", "/accounts/", "/es/staff/", "/es/admin/", "/es/accounts/")


def client_ip(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give each request an id (kept from a well-formed X-Request-ID) and expose it, the
    client IP and, once known, the user to jcr.core.audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
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
