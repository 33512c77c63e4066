import pytest
from django.db import OperationalError
from django.test import Client

from jcr.core.tests.factories import AreaAssignmentFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def test_public_page_is_served_from_cache_to_anonymous_visitors():
    AreaAssignmentFactory()
    client = Client()
    first = client.get("/")
    assert first.status_code == 200
    with assert_max_queries(0):
        second = client.get("/")
    assert second.content == first.content
    assert "max-age=" in second["Cache-Control"]


def test_cache_is_per_language():
    client = Client()
    english = client.get("/")
    spanish = client.get("/es/")
    assert english.content != spanish.content
    assert b'lang="es"' in client.get("/es/").content


def test_signed_in_people_never_get_the_cached_page(resident_user, client_for):
    Client().get("/")  # fill the cache as an anonymous visitor
    client = client_for(resident_user)
    with assert_max_queries(20) as queries:
        response = client.get("/")
    assert len(queries) > 0
    assert resident_user.email.encode() in response.content or b"My submissions" in response.content
    assert response["Cache-Control"] == "no-store"


def test_a_page_that_sets_a_cookie_is_not_shared():
    client = Client()
    client.get("/accounts/login/")  # sets the CSRF cookie: must not be cached for others
    fresh = Client()
    response = fresh.get("/accounts/login/")
    assert response.cookies, "a cookie-less visitor must get their own CSRF cookie"


def test_cached_public_page_reaches_no_database_and_keeps_its_security_headers(monkeypatch):
    fresh = Client().get("/")  # the view fills the cache
    from django.db.backends.base.base import BaseDatabaseWrapper

    def unreachable(self):
        raise OperationalError("the database is unreachable")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
    cached = Client().get("/")
    assert cached.status_code == 200
    assert cached.content == fresh.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "X-Content-Type-Options"):
        assert cached[header] == fresh[header]
    assert "Cookie" in cached["Vary"]
    assert cached["Content-Language"] == "en"


def test_a_visitor_with_a_session_cookie_goes_past_the_early_cache(resident_user, client_for):
    Client().get("/")
    client = client_for(resident_user)
    response = client.get("/")
    assert response["Cache-Control"] == "no-store"
