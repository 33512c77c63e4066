"""Error reports that carry no confidential text.

Django's error report (the e-mail to ADMINS, the debug page) shows the request's POST values
and every frame's local variables. For a request that handles a confidential record - a JTI
staff page (declared `confidential` in its access declaration), the admin of a confidential
model, a public intake form marked with `confidential_request` - every POST value and local
variable is replaced by stars: the report keeps the traceback (file, line, function), which
is what a developer needs, and ids, not the complainant's words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.views.debug import SafeExceptionReporterFilter


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
