"""WSGI entry point of the minimal yardstick (tests/bench/minimal_settings.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.minimal_settings"
application = get_wsgi_application()
