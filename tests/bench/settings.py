"""Benchmark settings: the portal's own settings, plus the stack view to compare against
(tests/bench/urls.py)."""

from jcr.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
