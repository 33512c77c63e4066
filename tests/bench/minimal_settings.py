"""The minimal yardstick of `make bench`: a Django app of its own with only SecurityMiddleware
and CommonMiddleware and one view returning a short response. No database, no session, no
templates: what Django itself costs per request on this machine. Served by its own gunicorn
with the same options as the portal (tests/bench/minimal_wsgi.py)."""

import os

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = __name__
USE_TZ = True


def minimal_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal_view)]
