"""`make run` (DEBUG on, JCR_DEBUG_ERROR_PAGES on) shows the portal's own 404 and 500 pages,
not Django's technical ones."""

from __future__ import annotations

import pytest
from django.test import Client

from jcr.core import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_client(settings):
    settings.DEBUG = True
    settings.JCR_DEBUG_ERROR_PAGES = True
    return Client(raise_request_exception=False)  # middleware is loaded with these settings


@pytest.mark.parametrize("url", ["/no-such-page/", "/es/no-such-page/", "/outreach/events/no-such-event/"])
def test_missing_pages_get_the_portal_404_page(debug_client, url):
    response = debug_client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "DEBUG = True" not in body
    assert 'id="main"' in body or "<main" in body  # the portal's layout
    assert ("Página no encontrada" if url.startswith("/es/") else "Page not found") in body


def test_an_error_gets_the_portal_500_page(debug_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(search, "search", broken)
    response = debug_client.get("/search/?q=anything")
    assert response.status_code == 500
    assert "broken on purpose" not in response.content.decode()
    assert "<main" in response.content.decode()
