"""Benchmark settings: the portal's own settings, plus a bare view to compare against."""

from jcr.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
