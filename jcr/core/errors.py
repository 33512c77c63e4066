"""Error reports that carry no confidential text.

Django's error report (the e-mail to ADMINS, the debug page) shows the request's POST values
and every frame's local variables. For a request that handles a confidential record - a JTI
staff page (declared `confidential` in its access declaration), the admin of a confidential
model, a public intake form marked with `confidential_request` - every POST value and local
variable is replaced by stars, and so is the query string (a search for a claimant's name):
the report keeps the traceback (file, line, function) and the path, which is what a developer
needs, and ids, not the complainant's words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


def request_is_confidential(request) -> bool:
    if request is None:
        return False
    if getattr(request, "confidential", False):
        return True
    access = getattr(getattr(getattr(request, "resolver_match", None), "func", None), "access", None)
    return bool(getattr(access, "confidential", False))


def confidential_request(view: Callable) -> Callable:
    """Mark a view's requests confidential for error reports (a public form whose answers
    are a confidential record)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.confidential = True
        return view(request, *args, **kwargs)

    return wrapper


class ConfidentialExceptionReporterFilter(SafeExceptionReporterFilter):
    """`DEFAULT_EXCEPTION_REPORTER_FILTER`: Django's filter, and for confidential requests
    no POST value and no local variable."""

    def get_post_parameters(self, request):
        if request_is_confidential(request):
            return dict.fromkeys(request.POST, self.cleansed_substitute)
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        if request_is_confidential(request):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if request_is_confidential(request) and meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = self.cleansed_substitute
        return meta


class ConfidentialExceptionReporter(ExceptionReporter):
    """`DEFAULT_EXCEPTION_REPORTER`: for confidential requests, the GET values and the query
    string of the request's address are starred too (the filter only sees POST and META)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        request = self.request
        if request_is_confidential(request):
            substitute = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, substitute) for key in request.GET]
            if "request_insecure_uri" in data:
                data["request_insecure_uri"] = request.build_absolute_uri(request.path)
        return data
