"""Test-wide setup and the personas every test can use.

The environment defaults below are set at import time, before pytest-django loads
jcr.settings. DJANGO_DEBUG stays off, so the production security settings are what the tests
see (secure cookies, HSTS, no default secret key).
"""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jcr")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret")
os.environ.setdefault("JCR_TESTING", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_DEBUG", "false")

from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from jcr.accounts import roles

# Persona name -> role group. `community_prosecutor` and `prosecutor_other_area` are both
# community prosecutors, each assigned to a different area.
ROLE_PERSONAS: dict[str, str] = {
    "bureau_chief": roles.BUREAU_CHIEF,
    "outreach_staff": roles.OUTREACH_STAFF,
    "outreach_supervisor": roles.OUTREACH_SUPERVISOR,
    "community_prosecutor": roles.COMMUNITY_PROSECUTOR,
    "prosecutor_other_area": roles.COMMUNITY_PROSECUTOR,
    "cpu_supervisor": roles.CPU_SUPERVISOR,
    "gr_analyst": roles.GR_ANALYST,
    "gr_supervisor": roles.GR_SUPERVISOR,
    "jti_staff": roles.JTI_STAFF,
    "jti_chief": roles.JTI_CHIEF,
    "administrator": roles.ADMINISTRATOR,
}
PERSONA_NAMES = ("resident", "resident_user", *ROLE_PERSONAS)
# Each persona's e-mail, shared by the per-test fixtures and `personas_create`.
PERSONA_EMAILS: dict[str, str] = {
    "resident_user": "resident@example.org",
    "bureau_chief": "chief@da.example.gov",
    "outreach_staff": "outreach@da.example.gov",
    "outreach_supervisor": "outreach.supervisor@da.example.gov",
    "community_prosecutor": "prosecutor@da.example.gov",
    "prosecutor_other_area": "prosecutor2@da.example.gov",
    "cpu_supervisor": "cpu.supervisor@da.example.gov",
    "gr_analyst": "analyst@da.example.gov",
    "gr_supervisor": "gr.supervisor@da.example.gov",
    "jti_staff": "jti@da.example.gov",
    "jti_chief": "jti.chief@da.example.gov",
    "administrator": "admin@da.example.gov",
}


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploads go to a fresh directory, each test gets an empty private cache (so allauth's
    rate limits and cached values never leak between tests) and passwords hash quickly."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"{tmp_path}:{alias}"}
        for alias in ("default", "pages")
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # LocaleMiddleware leaves the language of the last request active in the thread; every
    # test starts in the default language so reverse() gives unprefixed URLs.
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _staff(email: str, role: str):
    from jcr.accounts.tests.factories import StaffFactory

    return StaffFactory(email=email, roles=[role])


@pytest.fixture
def resident() -> Client:
    """An anonymous visitor (no account, not signed in)."""
    return Client()


@pytest.fixture
def resident_user(db):
    """A resident who signed up: verified address, no second factor, not staff."""
    from jcr.accounts.tests.factories import UserFactory

    return UserFactory(email=PERSONA_EMAILS["resident_user"], full_name="Jordan Lee")


@pytest.fixture
def area_in(db):
    """The area `community_prosecutor` works."""
    from jcr.core.tests.factories import AreaFactory

    return AreaFactory(name="Downtown", slug="downtown")


@pytest.fixture
def area_other(db):
    """The area `prosecutor_other_area` works."""
    from jcr.core.tests.factories import AreaFactory

    return AreaFactory(name="Natomas", slug="natomas")


@pytest.fixture
def bureau_chief(db):
    return _staff(PERSONA_EMAILS["bureau_chief"], roles.BUREAU_CHIEF)


@pytest.fixture
def outreach_staff(db):
    return _staff(PERSONA_EMAILS["outreach_staff"], roles.OUTREACH_STAFF)


@pytest.fixture
def outreach_supervisor(db):
    return _staff(PERSONA_EMAILS["outreach_supervisor"], roles.OUTREACH_SUPERVISOR)


@pytest.fixture
def community_prosecutor(db, area_in):
    from jcr.core.models import AreaAssignment

    user = _staff(PERSONA_EMAILS["community_prosecutor"], roles.COMMUNITY_PROSECUTOR)
    AreaAssignment.objects.create(area=area_in, user=user, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    return user


@pytest.fixture
def prosecutor_in_area(community_prosecutor):
    return community_prosecutor


@pytest.fixture
def prosecutor_other_area(db, area_other):
    from jcr.core.models import AreaAssignment

    user = _staff(PERSONA_EMAILS["prosecutor_other_area"], roles.COMMUNITY_PROSECUTOR)
    AreaAssignment.objects.create(area=area_other, user=user, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    return user


@pytest.fixture
def cpu_supervisor(db):
    return _staff(PERSONA_EMAILS["cpu_supervisor"], roles.CPU_SUPERVISOR)


@pytest.fixture
def supervisor(cpu_supervisor):
    return cpu_supervisor


@pytest.fixture
def gr_analyst(db):
    return _staff(PERSONA_EMAILS["gr_analyst"], roles.GR_ANALYST)


@pytest.fixture
def gr_supervisor(db):
    return _staff(PERSONA_EMAILS["gr_supervisor"], roles.GR_SUPERVISOR)


@pytest.fixture
def jti_staff(db):
    return _staff(PERSONA_EMAILS["jti_staff"], roles.JTI_STAFF)


@pytest.fixture
def jti_chief(db):
    return _staff(PERSONA_EMAILS["jti_chief"], roles.JTI_CHIEF)


@pytest.fixture
def administrator(db):
    return _staff(PERSONA_EMAILS["administrator"], roles.ADMINISTRATOR)


@pytest.fixture
def personas(request, db) -> dict:
    """Every persona by name: `resident` is None (anonymous), the others are users.

    Parametrise authorization tests over PERSONA_NAMES and use `client_for(personas[name])`.
    """
    return {name: None if name == "resident" else request.getfixturevalue(name) for name in PERSONA_NAMES}


@pytest.fixture
def client_for():
    """`client_for(user)` -> a Client signed in as `user` (anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


# --- Personas made once per module -------------------------------------------------------
#
# The route-wide gates (authorization matrix, public leaks, Observatory) open hundreds of
# pages as every persona. Creating the personas for each case would dominate their run time,
# so `world` makes them once per module inside an outer transaction that is rolled back at
# the end; each test still runs in its own savepoint (the `db` fixture), so what a test
# writes is undone after it.


def personas_create() -> dict:
    """Every persona (as the per-test fixtures make them) and the two areas, in one go."""
    from jcr.accounts.tests.factories import StaffFactory, UserFactory
    from jcr.core.models import AreaAssignment
    from jcr.core.tests.factories import AreaFactory

    area_in = AreaFactory(name="Downtown", slug="downtown")
    area_other = AreaFactory(name="Natomas", slug="natomas")
    users: dict = {"resident": None}
    users["resident_user"] = UserFactory(email=PERSONA_EMAILS["resident_user"], full_name="Jordan Lee")
    for name, role in ROLE_PERSONAS.items():
        users[name] = StaffFactory(email=PERSONA_EMAILS[name], roles=[role])
    for name, area in (("community_prosecutor", area_in), ("prosecutor_other_area", area_other)):
        AreaAssignment.objects.create(area=area, user=users[name], role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    return {"personas": users, "area_in": area_in, "area_other": area_other}


class World:
    """Personas made once (see `world`) and a signed-in client per persona."""

    def __init__(self, personas: dict, area_in, area_other, session_keys: dict[str, str]):
        self.personas = personas
        self.area_in = area_in
        self.area_other = area_other
        self._session_keys = session_keys

    def client(self, name: str) -> Client:
        """A fresh client signed in as persona `name` (anonymous for `resident`): only the
        session cookie is carried over, so no message or language cookie leaks between tests."""
        client = Client()
        key = self._session_keys.get(name)
        if key:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = key
        return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Personas and their sessions, made once for the module and rolled back after it.
    Tests using it must also use `db` (each then runs in its own savepoint)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = personas_create()
            keys = {}
            for name, user in made["personas"].items():
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    keys[name] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            yield World(made["personas"], made["area_in"], made["area_other"], keys)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
