from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from jcr.urls import handler500  # noqa: F401
from jcr.urls import urlpatterns as portal_urlpatterns


@login_not_required
def bare_view(request):
    """The yardstick: a Django view returning a short response, through the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare_view), *portal_urlpatterns]
