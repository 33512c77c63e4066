"""Production security settings, as a browser sees them (tests run with DJANGO_DEBUG off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jcr.core import views as core_views

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_tests_run_with_debug_off():
    assert settings.DEBUG is False
    assert settings.SECURE_COOKIES is True


def test_hsts_on_https(resident):
    response = resident.get("/", secure=True)
    value = response.headers["Strict-Transport-Security"]
    parts = [p.strip() for p in value.split(";")]
    max_age = int(next(p for p in parts if p.startswith("max-age=")).split("=")[1])
    assert max_age >= 31536000
    assert "includeSubDomains" in parts


def test_content_security_policy(resident):
    csp = _csp(resident.get("/", secure=True))
    assert "script-src" in csp
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_other_security_headers(resident):
    response = resident.get("/", secure=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_session_and_csrf_cookies_are_host_only_secure_and_httponly(resident_user):
    from django.test import Client

    from jcr.accounts.tests.factories import PASSWORD

    client = Client()
    page = client.get("/accounts/login/", secure=True)
    assert page.status_code == 200
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        "/accounts/login/",
        {"login": resident_user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie.key.startswith("__Host-")
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["path"] == "/"
        assert not cookie["domain"]  # __Host- cookies must not name a domain


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/staff/", "administrator"),
        ("/admin/", "administrator"),
        ("/accounts/login/", None),
        ("/accounts/sessions/", "resident_user"),
        ("/es/staff/", "administrator"),
    ],
)
def test_private_pages_are_not_cached(url, who, request, client_for):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_public_home_page_may_be_cached(resident):
    response = resident.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_healthz_up(resident, settings):
    # The real Redis cache, not the per-test memory cache, so all three checks are real.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    response = resident.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["up"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("down", ["_check_database", "_check_cache", "_check_broker"])
def test_healthz_reports_503_when_a_dependency_is_down(resident, monkeypatch, down):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setattr(core_views, "_check_cache", lambda: None)
    monkeypatch.setattr(core_views, "_check_broker", lambda: None)
    monkeypatch.setattr(core_views, down, broken)
    response = resident.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    name = down.removeprefix("_check_")
    assert body["checks"][name] == {"up": False, "detail": "ConnectionError"}
    assert all(check["up"] for key, check in body["checks"].items() if key != name)


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "tru"])
def test_envbool_rejects_unclear_values(monkeypatch, value):
    from jcr.settings import envbool

    monkeypatch.setenv("DJANGO_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        envbool("DJANGO_DEBUG", False)


@pytest.mark.parametrize(("value", "expected"), [("true", True), (" Yes ", True), ("0", False), ("off", False)])
def test_envbool_reads_clear_values(monkeypatch, value, expected):
    from jcr.settings import envbool

    monkeypatch.setenv("JCR_SOME_FLAG", value)
    assert envbool("JCR_SOME_FLAG", not expected) is expected


def test_envbool_default_when_unset(monkeypatch):
    from jcr.settings import envbool

    monkeypatch.delenv("JCR_SOME_FLAG", raising=False)
    assert envbool("JCR_SOME_FLAG", True) is True


def _settings_subprocess(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE"}
    }
    env.update(overrides, DJANGO_SETTINGS_MODULE="jcr.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_no_default_secret_key_with_debug_off():
    result = _settings_subprocess()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off." in result.stderr


def _manage_without_key(*args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE", "JCR_KEYLESS_COMMAND"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_code_reading_commands_run_without_a_secret_key():
    result = _manage_without_key("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize("command", ["check", "migrate"])
def test_other_commands_still_require_the_secret_key(command):
    result = _manage_without_key(command)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off." in result.stderr


def test_bad_debug_value_stops_start_up():
    result = _settings_subprocess(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="x")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_DEBUG" in result.stderr
