"""System checks of the deployment's shape (run by `manage.py check --deploy`).

With DEBUG off, the embedded defaults that make `make run` work on one machine are refused:
SQLite, the in-process cache, the filesystem broker (errors) and media on a disk only one
host sees (a warning, until the portal stores files in object storage). JCR_SINGLE_HOST=true
says a single machine runs everything on purpose; JCR_SHARED_MEDIA=true says MEDIA_ROOT and
the private media folder are on a volume every web and worker host mounts.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks


def geocoder_is_real(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A production portal looks up real addresses: the demo geocoder knows a few demo streets."""
    if settings.JCR_GEOCODER != "demo":
        return []
    return [
        checks.Warning(
            "JCR_GEOCODER is demo: residents' addresses are looked up in a small demonstration gazetteer.",
            hint="Set JCR_GEOCODER=census, or nominatim with JCR_GEOCODER_USER_AGENT (docs/operations.md).",
            id="core.W001",
        )
    ]


SINGLE_HOST_HINT = "Set JCR_SINGLE_HOST=true if one machine runs the web, the worker and beat on purpose."
LOCAL_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
LOCAL_BROKERS = ("filesystem:", "memory:", "sqla+sqlite:")
LOCAL_STORAGES = {
    "django.core.files.storage.FileSystemStorage",
    "django.core.files.storage.filesystem.FileSystemStorage",
}


def deployment_shape(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.JCR_SINGLE_HOST:
        return []
    found: list[checks.CheckMessage] = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        found.append(
            checks.Error(
                "The database is SQLite: one file on one machine, one writer at a time.",
                hint=f"Set DATABASE_URL to PostgreSQL. {SINGLE_HOST_HINT}",
                id="core.E101",
            )
        )
    if settings.CACHES["default"]["BACKEND"] in LOCAL_BACKENDS:
        found.append(
            checks.Error(
                "The cache is kept inside each process: sessions, rate limits and sign-in "
                "throttles are not shared between web processes.",
                hint=f"Set REDIS_URL. {SINGLE_HOST_HINT}",
                id="core.E102",
            )
        )
    if str(settings.CELERY_BROKER_URL).startswith(LOCAL_BROKERS):
        found.append(
            checks.Error(
                "The broker keeps its messages on this machine's disk (or in memory): a "
                "worker on another machine never sees them.",
                hint=f"Set REDIS_URL (or CELERY_BROKER_URL). {SINGLE_HOST_HINT}",
                id="core.E103",
            )
        )
    if settings.STORAGES["default"]["BACKEND"] in LOCAL_STORAGES and not settings.JCR_SHARED_MEDIA:
        found.append(
            checks.Warning(
                "Uploaded files are stored on this machine's disk (MEDIA_ROOT): other web and "
                "worker hosts cannot read them.",
                hint="Put MEDIA_ROOT and JCR_PRIVATE_MEDIA_ROOT on a volume every host mounts and "
                f"set JCR_SHARED_MEDIA=true. {SINGLE_HOST_HINT}",
                id="core.W104",
            )
        )
    return found
