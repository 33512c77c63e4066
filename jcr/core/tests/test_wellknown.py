"""robots.txt, /.well-known/security.txt and the sitemap's hreflang alternates."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from outreach.events.tests.factories import EventFactory
from outreach.media.tests import factories as media

pytestmark = pytest.mark.django_db


def test_robots_keeps_crawlers_out_of_staff_pages_and_points_at_the_sitemap(client, settings):
    settings.SITE_URL = "https://portal.example.test"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/staff/", "/es/staff/", "/admin/", "/es/admin/", "/accounts/", "/es/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the public site stays open
    assert "Sitemap: https://portal.example.test/sitemap.xml" in lines


@pytest.mark.parametrize("expires", ["2027-03-01", ""])
def test_security_txt_comes_from_settings(client, settings, expires):
    settings.SITE_URL = "https://portal.example.test"
    settings.JCR_SECURITY_CONTACTS = ["mailto:security@da.example.gov", "https://da.example.gov/report"]
    settings.JCR_SECURITY_TXT_EXPIRES = expires
    settings.JCR_SECURITY_POLICY_URL = "https://da.example.gov/disclosure"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert [v for k, v in fields if k == "Contact"] == settings.JCR_SECURITY_CONTACTS
    assert dict(fields)["Policy"] == "https://da.example.gov/disclosure"
    assert dict(fields)["Preferred-Languages"] == "en, es"
    assert dict(fields)["Canonical"] == "https://portal.example.test/.well-known/security.txt"
    stamp = datetime.strptime(dict(fields)["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if expires:
        assert stamp.date().isoformat() == expires
    else:  # RFC 9116: in the future, less than a year ahead
        assert 0 < (stamp - datetime.now(UTC)).days < 365


def _entries(client) -> dict[str, set[str]]:
    """Each <loc> of the sitemap with the hreflang codes of its alternates."""
    xml = client.get("/sitemap.xml").content.decode()
    entries = {}
    for block in re.findall(r"<url>(.*?)</url>", xml, re.S):
        loc = re.search(r"<loc>(.*?)</loc>", block).group(1)
        entries[loc] = set(re.findall(r'hreflang="([^"]+)"', block))
    return entries


def test_sitemap_hreflang_only_where_the_page_exists_in_both_languages(client):
    media.news_item(slug="spanish-only", language="es")
    EventFactory(slug="bilingual-event", summary_es="Una reunión sobre seguridad.")  # every text in Spanish
    EventFactory(slug="english-event", title_es="")
    entries = _entries(client)
    paths = {re.sub(r"^https?://[^/]+", "", loc): langs for loc, langs in entries.items()}
    both = {"en", "es", "x-default"}
    assert paths["/"] == paths["/es/"] == both
    assert paths["/outreach/events/bilingual-event/"] == both
    assert paths["/es/outreach/events/bilingual-event/"] == both
    assert paths["/outreach/events/english-event/"] == set()
    assert "/es/outreach/events/english-event/" not in paths
    news = [p for p in paths if "spanish-only" in p]
    assert news == ["/es/news/spanish-only/"]
    assert paths[news[0]] == set()
