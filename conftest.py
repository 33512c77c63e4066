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

import pytest
from django.test import Client
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


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploads go to a fresh directory, each test gets an empty private cache (so allauth's
    rate limits and cached values never leak between tests) and passwords hash quickly."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
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

    return UserFactory(email="resident@example.org", full_name="Jordan Lee")


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
    return _staff("chief@da.example.gov", roles.BUREAU_CHIEF)


@pytest.fixture
def outreach_staff(db):
    return _staff("outreach@da.example.gov", roles.OUTREACH_STAFF)


@pytest.fixture
def outreach_supervisor(db):
    return _staff("outreach.supervisor@da.example.gov", roles.OUTREACH_SUPERVISOR)


@pytest.fixture
def community_prosecutor(db, area_in):
    from jcr.core.models import AreaAssignment

    user = _staff("prosecutor@da.example.gov", roles.COMMUNITY_PROSECUTOR)
    AreaAssignment.objects.create(area=area_in, user=user, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    return user


@pytest.fixture
def prosecutor_in_area(community_prosecutor):
    return community_prosecutor


@pytest.fixture
def prosecutor_other_area(db, area_other):
    from jcr.core.models import AreaAssignment

    user = _staff("prosecutor2@da.example.gov", roles.COMMUNITY_PROSECUTOR)
    AreaAssignment.objects.create(area=area_other, user=user, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    return user


@pytest.fixture
def cpu_supervisor(db):
    return _staff("cpu.supervisor@da.example.gov", roles.CPU_SUPERVISOR)


@pytest.fixture
def supervisor(cpu_supervisor):
    return cpu_supervisor


@pytest.fixture
def gr_analyst(db):
    return _staff("analyst@da.example.gov", roles.GR_ANALYST)


@pytest.fixture
def gr_supervisor(db):
    return _staff("gr.supervisor@da.example.gov", roles.GR_SUPERVISOR)


@pytest.fixture
def jti_staff(db):
    return _staff("jti@da.example.gov", roles.JTI_STAFF)


@pytest.fixture
def jti_chief(db):
    return _staff("jti.chief@da.example.gov", roles.JTI_CHIEF)


@pytest.fixture
def administrator(db):
    return _staff("admin@da.example.gov", roles.ADMINISTRATOR)


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
