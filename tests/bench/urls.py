from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from jcr.urls import handler500  # noqa: F401
from jcr.urls import urlpatterns as portal_urlpatterns


@login_not_required
def stack_view(request):
    """The stack yardstick: a short response through the portal's whole middleware (sessions,
    locale, CSRF, authentication, session limits, MFA, messages, CSP...) and its database
    transaction, without a template or a query of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/stack", stack_view), *portal_urlpatterns]
