"""Every route declares who may open it (jcr.core.access), and the declaration holds.

The URLconf is walked recursively, through every include and in both languages of the
i18n patterns, so a new route without a declaration fails here by name. The checks of
public, staff and account routes run one test per route group (tests.support.route_group),
each route as if alone, and report every failing route of the group together.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission

from jcr.accounts.tests.factories import StaffFactory
from jcr.core.access import Access
from tests.support import Failures, OneHandler, all_routes, as_if_alone, group_params, routes_of_kind, sign_in_recently

ROUTES = all_routes()


def test_walk_sees_both_languages_and_every_include():
    names = {(r.language, r.view_name) for r in ROUTES}
    for language in ("en", "es"):
        assert (language, "core:home") in names
        assert (language, "admin:index") in names
        assert (language, "account_login") in names
        assert (language, "outreach:staff_landing") in names
    assert ("en", "healthz") in names
    assert any(r.route.startswith("es/") for r in ROUTES)


def test_every_route_declares_its_access():
    undeclared = [str(r) for r in ROUTES if r.access is None]
    assert not undeclared, "Routes without an access declaration (see jcr.core.access):\n" + "\n".join(undeclared)


def check_public_route(route, client) -> None:
    response = client.get(route.url())
    login = route.reverse("account_login")
    if route.view_name in ("mfa_authenticate", "mfa_login_webauthn", "account_confirm_login_code"):
        # Login stages: LoginRequiredMiddleware lets them through; allauth itself sends a
        # visitor with no sign-in in progress back to the start.
        assert getattr(route.view, "login_required", True) is False
        return
    # Readiness answers 503 here: no worker or beat runs in the tests (jcr/core/tests/test_health.py).
    assert response.status_code < 500 or route.view_name == "healthz_ready"
    location = response.headers.get("Location", "")
    assert not (response.status_code in (301, 302) and urlsplit(location).path.endswith(login)), (
        f"{route} sends anonymous visitors to {location}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("routes", group_params(routes_of_kind(Access.PUBLIC)))
def test_public_route_opens_without_login(routes):
    failures, clients = Failures(), OneHandler()
    for route in routes:
        with as_if_alone(), failures.check(route, "an anonymous visitor"):
            check_public_route(route, clients.client())
    failures.raise_any("public routes do not open without login")


STAFF_ROUTES = routes_of_kind(Access.STAFF)


def test_there_are_staff_routes_to_check():
    assert {r.view_name for r in STAFF_ROUTES} >= {
        "core:dashboard",
        "outreach:staff_landing",
        "prosecution:staff_landing",
        "govrelations:staff_landing",
        "integrity:staff_landing",
    }


def check_staff_route(route, clients: OneHandler, resident_user) -> None:
    url = route.url()
    permission = route.access.permission

    response = clients.client().get(url)
    assert response.status_code == 302, f"anonymous: {response.status_code}"
    location = response["Location"]
    assert urlsplit(location).path == route.reverse("account_login"), f"anonymous: to {location}"

    status = clients.client(resident_user).get(url).status_code
    assert status == 403, f"resident_user: {status}"

    without = StaffFactory()
    if permission:
        assert not without.has_perm(permission)
        # Confidential routes answer 404 to staff without the permission (nothing revealed).
        status = clients.client(without).get(url).status_code
        assert status == (404 if route.access.confidential else 403), f"staff without {permission}: {status}"
        with_it = StaffFactory()
        app_label, codename = permission.split(".")
        with_it.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    else:
        with_it = without
    client = clients.client(with_it)
    if route.access.confidential:
        # Every read of a confidential route asks for a recent sign-in; force_login records none.
        response = client.get(url)
        assert response.status_code == 302, f"staff with {permission}, no recent sign-in: {response.status_code}"
        assert urlsplit(response["Location"]).path == route.reverse("account_reauthenticate")
        sign_in_recently(client, with_it)
    status = client.get(url).status_code
    assert status == 200, f"staff with {permission or 'no permission'}: {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("routes", group_params(STAFF_ROUTES))
def test_staff_route_access(routes, resident_user):
    failures, clients = Failures(), OneHandler()
    for route in routes:
        with as_if_alone(), failures.check(route):
            check_staff_route(route, clients, resident_user)
    failures.raise_any("staff routes answer against their declaration")


def check_account_route(route, client) -> None:
    response = client.get(route.url())
    assert response.status_code == 302, f"anonymous: {response.status_code}"
    assert urlsplit(response["Location"]).path == route.reverse("account_login"), f"to {response['Location']}"


@pytest.mark.django_db
@pytest.mark.parametrize("routes", group_params(routes_of_kind(Access.ACCOUNT)))
def test_account_route_sends_anonymous_visitors_to_login(routes):
    failures, clients = Failures(), OneHandler()
    for route in routes:
        with as_if_alone(), failures.check(route, "an anonymous visitor"):
            check_account_route(route, clients.client())
    failures.raise_any("account routes do not send anonymous visitors to sign in")
