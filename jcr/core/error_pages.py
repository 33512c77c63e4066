"""The portal's own 404 and 500 pages while DEBUG is on (`make run`), when
JCR_DEBUG_ERROR_PAGES says so: with DEBUG, Django answers a missing page or an error with its
technical pages, which are not what a resident would see. Off (and not even installed) unless
both DEBUG and JCR_DEBUG_ERROR_PAGES are on; the traceback still goes to the console."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import Resolver404, get_resolver, resolve
from django.views.defaults import page_not_found

from jcr.core.middleware import database_error_in

log = logging.getLogger("django.request")


class DebugErrorPagesMiddleware:
    def __init__(self, get_response):
        if not (settings.DEBUG and getattr(settings, "JCR_DEBUG_ERROR_PAGES", False)):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        # An address no route matches never reaches a view (nor process_exception).
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django's own 403 and 400 answers
        if database_error_in(exception) is not None:
            return None  # the 503 page of DatabaseUnavailableMiddleware
        log.error("Internal Server Error: %s", request.path, exc_info=exception)
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(500)(request)
