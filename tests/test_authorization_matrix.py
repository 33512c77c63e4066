"""Every route by every persona: the answer each person gets is computed from the route's
access declaration (jcr.core.access) and the person's permissions, never listed by hand.

Routes come from the URL walk (English URLs: both languages share their views); routes with
URL parameters take their values from the apps' `route_samples()` hooks (see
tests.support.hook_modules). One test per route group (an admin model's pages, or a URL
namespace and view module: tests.support.route_group) opens every route of the group as
every persona, each check as if it ran alone (tests.support.as_if_alone), and reports every
failure together, naming route, persona, the answer and the expected one. A route without a
declaration, or with parameters and no sample, fails its group with a message naming it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, resolve
from django.views.decorators.http import require_GET, require_POST

from conftest import PERSONA_NAMES
from jcr import urls as jcr_urls
from jcr.accounts import roles
from jcr.core.access import Access, public, staff, view_methods
from tests.support import (
    FLOW,
    FLOW_STATUSES,
    LOGIN,
    Failures,
    GroupWorld,
    Route,
    Sample,
    all_routes,
    as_if_alone,
    caches_snapshot,
    expected_status,
    group_params,
    route_exclusion,
    route_group,
    route_path,
    route_sample_factory,
    sample_url,
)

ROUTES = all_routes(languages=["en"])
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


class Excluded(Exception):
    """A route its app's hooks exclude from sampling (ROUTE_SAMPLE_EXCLUSIONS), with why."""


def _sample(route: Route, personas) -> Sample:
    factory = route_sample_factory(route)
    if factory is not None:
        return factory(personas, route)
    if route.has_params:
        reason = route_exclusion(route)
        if reason:
            raise Excluded(f"{route} is excluded from sampling: {reason}")
        raise AssertionError(f"{route} has URL parameters but no sample: add one to a tests/hooks.py route_samples()")
    return Sample()


def check_route(route: Route, persona: str, world, sample: Sample | None = None) -> None:
    """Open `route` as `persona` and compare with what the declaration says."""
    assert route.access is not None, f"{route} declares no access (see jcr.core.access)"
    user = world.personas[persona]
    if sample is None:
        sample = _sample(route, world.personas)
    url = sample_url(route, sample)
    assert resolve(urlsplit(url).path).func is route.view, f"{url} does not resolve to {route}"
    expected = expected_status(route, user, sample, persona=persona)
    response = world.client(persona).get(url)
    detail = f"{persona} GET {url} ({route.access}): got {response.status_code}, expected {expected}"
    if expected == LOGIN:
        assert response.status_code == 302, detail
        assert urlsplit(response["Location"]).path in LOGIN_PATHS, f"{detail}; to {response['Location']}"
        return
    if expected == FLOW:
        assert response.status_code in FLOW_STATUSES, detail
    else:
        assert response.status_code == expected, detail
    if response.status_code in (301, 302) and not (expected == FLOW and user is None):
        # (A sign-in stage opened with no sign-in in progress sends the visitor to its start.)
        # An allowed person is never bounced to the sign-in page.
        assert urlsplit(response["Location"]).path not in LOGIN_PATHS, detail


def check_group(routes: list[Route], world, personas=PERSONA_NAMES) -> tuple[Failures, list[str], int]:
    """Every route of `routes` as every persona.

    Each route's sample is made once, in a savepoint of the route's own (so samples of one
    route never meet another's: some look rows up by order or by slug). Each visit then
    starts from the state the sample left, database and caches, as a test of its own would,
    and is rolled back after it. Returns the failures, the routes excluded from sampling and
    the number of visits."""
    failures, excluded, visits = Failures(), [], 0
    world = GroupWorld(world)
    for route in routes:
        with as_if_alone():
            sample = None
            with failures.check(route):
                assert route.access is not None, f"{route} declares no access (see jcr.core.access)"
                try:
                    sample = _sample(route, world.personas)
                except Excluded as reason:
                    excluded.append(str(reason))
            if sample is None:
                continue
            after_sample = caches_snapshot()
            for persona in personas:
                visits += 1
                with as_if_alone(after_sample), failures.check(route, persona):
                    check_route(route, persona, world, sample)
    return failures, excluded, visits


@pytest.mark.django_db
@pytest.mark.parametrize("routes", group_params(ROUTES))
def test_routes_answer_each_persona_as_declared(routes, world):
    failures, excluded, visits = check_group(routes, world)
    failures.raise_any("routes answer a persona against their declaration")
    assert visits == (len(routes) - len(excluded)) * len(PERSONA_NAMES)  # every route, every persona
    if excluded:
        pytest.skip("; ".join(excluded)) if len(excluded) == len(routes) else print("\n".join(excluded))


# --- Outside the object's scope: 404, never 403 and never the content --------------------

SCOPED_ROUTES = [r for r in ROUTES if r.access is not None and r.access.scoped]


def check_outside_scope(route: Route, world) -> int:
    """Every persona the sample names as outside the object's scope gets a bare 404."""
    sample = _sample(route, world.personas)
    assert sample.outside, f"{route} is object-scoped but its sample names no persona outside the scope"
    url = sample_url(route, sample)
    for persona in sorted(sample.outside):
        assert expected_status(route, world.personas[persona], sample, persona=persona) == 404
        response = world.client(persona).get(url)
        assert response.status_code == 404, f"{persona} outside the scope of {url}: {response.status_code}"
    return len(sample.outside)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "routes",
    group_params(SCOPED_ROUTES) or [pytest.param([], marks=pytest.mark.skip(reason="no object-scoped routes yet"))],
)
def test_outside_scope_answers_404(routes, world):
    failures, excluded = Failures(), []
    world = GroupWorld(world)
    for route in routes:
        with as_if_alone(), failures.check(route):
            try:
                assert check_outside_scope(route, world) >= 1
            except Excluded as reason:
                excluded.append(str(reason))
    failures.raise_any("object-scoped routes open outside their scope")
    if excluded and len(excluded) == len(routes):
        pytest.skip("; ".join(excluded))


# A test-only object-scoped view, to prove the scope machinery on a route of our own.


@staff("accounts.access_prosecution", object_scoped=True)
@require_GET
def _area_note_view(request, slug: str) -> HttpResponse:
    """Supervisors see every area's note; a community prosecutor only their own areas'."""
    sees_all = request.user.groups.filter(name__in=[roles.CPU_SUPERVISOR, roles.BUREAU_CHIEF]).exists()
    if not sees_all and not request.user.area_assignments.filter(area__slug=slug).exists():
        raise Http404
    return HttpResponse(f"note for {slug}")


@staff("accounts.access_prosecution")
@require_POST
def _post_only_view(request) -> HttpResponse:
    return HttpResponse("done")


@public
@require_GET
def _closed_view(request, pk: int = 0) -> HttpResponse:
    """Declared public, yet refuses everyone: what the matrix is there to catch."""
    raise PermissionDenied


# The portal's URLs plus the test views (pages, templates and middleware reverse the
# portal's names).
urlpatterns = [
    path("test/areas/<slug:slug>/note/", _area_note_view, name="test_area_note"),
    path("test/post-only/", _post_only_view, name="test_post_only"),
    path("test/closed/", _closed_view, name="test_closed"),
    path("test/closed/<int:pk>/", _closed_view, name="test_closed_unsampled"),
    *jcr_urls.urlpatterns,
]


def _scoped_sample(personas, route):
    return Sample(kwargs={"slug": "downtown"}, outside=frozenset({"prosecutor_other_area"}))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_scope_machinery_on_a_test_view(world, monkeypatch):
    routes = {r.view_name: r for r in all_routes(urlconf=__name__, languages=["en"])}
    scoped = routes["test_area_note"]
    assert scoped.access.scoped
    assert scoped.access.methods == ("GET",)
    monkeypatch.setattr("tests.support.route_sample_factories", lambda: {"test_area_note": _scoped_sample})
    assert route_path(scoped, {"slug": "downtown"}) == "/test/areas/downtown/note/"
    assert check_outside_scope(scoped, world) == 1
    for persona in PERSONA_NAMES:
        check_route(scoped, persona, world)
    # In scope: the content; outside: nothing of it.
    assert world.client("community_prosecutor").get("/test/areas/downtown/note/").content == b"note for downtown"
    assert b"note for" not in world.client("prosecutor_other_area").get("/test/areas/downtown/note/").content
    # A view that forgets its scope check is caught.
    monkeypatch.setattr(
        "tests.support.route_sample_factories",
        lambda: {"test_area_note": lambda p, r: Sample(kwargs={"slug": "natomas"}, outside=frozenset({"gr_analyst"}))},
    )
    with pytest.raises(AssertionError):
        check_outside_scope(scoped, world)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_post_only_route_answers_405_to_those_allowed(world):
    route = next(r for r in all_routes(urlconf=__name__, languages=["en"]) if r.view_name == "test_post_only")
    assert route.access.methods == ("POST",)
    statuses = {}
    for persona in PERSONA_NAMES:
        check_route(route, persona, world)
        statuses[persona] = world.client(persona).get("/test/post-only/").status_code
    assert statuses["community_prosecutor"] == 405
    assert statuses["gr_analyst"] == 403
    assert statuses["resident"] == 302
    assert statuses["resident_user"] == 403


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_group_reports_every_failing_route_and_persona(world):
    """A group goes on after a failure and names each one: route, persona, answer, expectation."""
    names = ("test_post_only", "test_closed", "test_closed_unsampled")
    routes = [r for r in all_routes(urlconf=__name__, languages=["en"]) if r.view_name in names]
    failures, excluded, visits = check_group(routes, world)
    assert not excluded
    assert visits == 2 * len(PERSONA_NAMES)  # the unsampled route cannot be visited
    assert len(failures.lines) == len(PERSONA_NAMES) + 1, failures.lines
    closed = [line for line in failures.lines if line.startswith("test/closed/ (test_closed) as ")]
    assert len(closed) == len(PERSONA_NAMES)
    assert all("GET /test/closed/" in line and "got 403, expected 200" in line for line in closed), closed
    unsampled = "test/closed/<int:pk>/ (test_closed_unsampled) has URL parameters but no sample"
    assert failures.lines[-1].startswith(unsampled), failures.lines[-1]
    with pytest.raises(AssertionError, match=rf"^{len(PERSONA_NAMES) + 1} routes answer"):
        failures.raise_any("routes answer a persona against their declaration")


def test_methods_are_read_from_django_decorators():
    assert view_methods(require_POST(lambda request: None)) == ("POST",)
    assert view_methods(require_GET(lambda request: None)) == ("GET",)
    assert view_methods(lambda request: None) is None
    keepalive = next(r for r in ROUTES if r.view_name == "accounts:session_keepalive")
    assert keepalive.access.methods == ("POST",)
    login = next(r for r in ROUTES if r.view_name == "account_login")
    assert "POST" in login.access.methods
    assert "GET" in login.access.methods


def test_every_route_is_in_the_matrix():
    names = {r.view_name for r in ROUTES}
    assert {"core:dashboard", "admin:index", "account_login", "outreach:staff_landing"} <= names
    assert all(r.access is not None for r in ROUTES), [str(r) for r in ROUTES if r.access is None]
    grouped = [route for param in group_params(ROUTES) for route in param.values[0]]
    assert sorted(grouped, key=str) == sorted(ROUTES, key=str)  # every route in exactly one group
    assert len({route_group(r) for r in ROUTES}) == len(group_params(ROUTES))
    assert Access.STAFF in {r.access.kind for r in ROUTES}
