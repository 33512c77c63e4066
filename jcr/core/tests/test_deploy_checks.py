"""`check --deploy` refuses the single-machine defaults unless told they are meant."""

from __future__ import annotations

import pytest
from django.core import checks

FILESYSTEM = "django.core.files.storage.FileSystemStorage"


@pytest.fixture
def production(settings):
    """The shape `make test` checks: PostgreSQL, Redis, a shared media volume."""
    settings.DEBUG = False
    settings.JCR_SINGLE_HOST = False
    settings.JCR_SHARED_MEDIA = True
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": FILESYSTEM}}
    return settings


def _toy(settings, toy: str) -> None:
    if toy == "sqlite":
        settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    elif toy == "locmem":
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    elif toy == "filesystem-broker":
        settings.CELERY_BROKER_URL = "filesystem://"
    elif toy == "local-media":
        settings.JCR_SHARED_MEDIA = False


def _found() -> dict[str, int]:
    """The deployment-shape messages (id -> level) of the registered deploy checks."""
    messages = checks.run_checks(tags=[checks.Tags.database, checks.Tags.caches], include_deployment_checks=True)
    return {m.id: m.level for m in messages if m.id and m.id.startswith(("core.E10", "core.W10"))}


def test_the_production_shape_passes(production):
    assert _found() == {}


@pytest.mark.parametrize(
    ("toy", "expected"),
    [
        ("sqlite", {"core.E101": checks.ERROR}),
        ("locmem", {"core.E102": checks.ERROR}),
        ("filesystem-broker", {"core.E103": checks.ERROR}),
        ("local-media", {"core.W104": checks.WARNING}),
    ],
)
def test_each_toy_is_refused(production, toy, expected):
    _toy(production, toy)
    assert _found() == expected


@pytest.mark.parametrize("allowed_by", ["JCR_SINGLE_HOST", "DEBUG"])
def test_single_host_or_debug_accepts_every_toy(production, allowed_by):
    for toy in ("sqlite", "locmem", "filesystem-broker", "local-media"):
        _toy(production, toy)
    setattr(production, allowed_by, True)
    assert _found() == {}
