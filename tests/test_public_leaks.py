"""Nothing private shows on a public page.

Every app's `seed_private_markers` hook (see tests.support.hook_modules) writes unique
tokens into private fields: residents' names and phones, staff phones, history before/after
values, queued e-mails, failed sign-ins, locks. Then every public response is fetched as an
anonymous visitor: every URL the sitemap lists (both languages, alternates included), every
public route of the URL walk in both languages (parametrized ones through their samples),
the sitemap itself, /healthz and the 404 page. No token may appear in any of them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from jcr.core.access import Access
from jcr.core.models import Area
from tests.support import GroupWorld, all_routes, marker, route_sample_factory, sample_url, seed_private_markers

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/es/accounts/login/", "/es/admin/login/")


def _sitemap_paths(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    urls = re.findall(r"<loc>([^<]+)</loc>", body) + re.findall(r'<xhtml:link[^>]*href="([^"]+)"', body)
    return {urlsplit(url).path for url in urls}


def _public_urls(world) -> dict[str, str]:
    """Every public URL, each with where it came from."""
    client = world.client("resident")
    urls: dict[str, str] = {}
    for path in _sitemap_paths(client):
        urls.setdefault(path, "sitemap")
    for route in all_routes():
        if route.access is None or route.access.kind != Access.PUBLIC:
            continue
        if route.has_params:
            factory = route_sample_factory(route)
            if factory is None:
                continue  # the authorization matrix fails for it already
            url = sample_url(route, factory(world.personas, route))
        else:
            url = route.url()
        urls.setdefault(url, str(route))
    urls.update({"/sitemap.xml": "sitemap", "/healthz": "health", "/no-such-page/": "404", "/es/no-such-page/": "404"})
    return urls


def _fetch_all(world, urls: dict[str, str]) -> dict[str, bytes]:
    bodies = {}
    world = GroupWorld(world)  # one request handler for every fetch
    for url in urls:
        response = world.client("resident").get(url)
        # Readiness is 503 without a worker and beat, which the tests do not run; its body counts.
        assert response.status_code < 500 or url == "/healthz/ready", f"{url}: {response.status_code}"
        # Downloads are streamed (a file from storage, a generator): read them whole.
        bodies[url] = b"".join(response.streaming_content) if response.streaming else response.content
    return bodies


def test_no_private_marker_on_any_public_response(world):
    seeded = seed_private_markers(world.personas)
    markers = [m for tokens in seeded.values() for m in tokens]
    assert len(markers) >= 10, seeded  # accounts and core seed theirs at least
    urls = _public_urls(world)
    sitemap_paths = {u for u, source in urls.items() if source == "sitemap"}
    assert {"/", "/es/", "/outreach/", "/es/outreach/"} <= sitemap_paths
    bodies = _fetch_all(world, urls)
    leaks = [
        f"{token} on {url} ({urls[url]})" for url, body in bodies.items() for token in markers if token.encode() in body
    ]
    assert not leaks, "Private values on public pages:\n" + "\n".join(leaks)


def test_the_check_sees_what_public_pages_show(world):
    """A marker in a public field (a police district's name) is found, so the scan is real."""
    token = marker("districtname")
    Area.objects.create(
        kind=Area.Kind.POLICE_DISTRICT,
        name=token,
        slug="leak-check",
        geometry={"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]},
        min_lon=0,
        min_lat=0,
        max_lon=1,
        max_lat=1,
    )
    bodies = _fetch_all(world, {"/": "home", "/es/": "home"})
    assert all(token.encode() in body for body in bodies.values())


STAFF_ONLY = [
    r for r in all_routes() if not r.has_params and r.access and r.access.kind in (Access.STAFF, Access.ADMIN)
]


def test_staff_only_pages_are_not_reachable_anonymously(world):
    seeded = seed_private_markers(world.personas)
    markers = [m for tokens in seeded.values() for m in tokens]
    assert {"core:dashboard", "admin:index"} <= {r.view_name for r in STAFF_ONLY}
    client = world.client("resident")
    for route in STAFF_ONLY:
        response = client.get(route.url())
        assert response.status_code == 302, f"{route}: {response.status_code}"
        assert urlsplit(response["Location"]).path in LOGIN_PATHS, f"{route} -> {response['Location']}"
        assert not any(token.encode() in response.content for token in markers), route
        followed = client.get(route.url(), follow=True)
        assert followed.status_code == 200
        assert followed.request["PATH_INFO"] in LOGIN_PATHS
        body = followed.content.decode()
        assert "JCR Portal administration" not in body
        assert 'id="staff-dashboard"' not in body
        assert not any(token in body for token in markers), route
