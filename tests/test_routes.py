"""Every route declares who may open it (jcr.core.access), and the declaration holds.

The URLconf is walked recursively, through every include and in both languages of the
i18n patterns, so a new route without a declaration fails here by name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission

from jcr.accounts.tests.factories import StaffFactory
from jcr.core.access import Access
from tests.support import all_routes, routes_of_kind, sign_in_recently

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


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes_of_kind(Access.PUBLIC), ids=str)
def test_public_route_opens_without_login(route, resident):
    response = resident.get(route.url())
    login = route.reverse("account_login")
    if route.view_name in ("mfa_authenticate", "mfa_login_webauthn", "account_confirm_login_code"):
        # Login stages: LoginRequiredMiddleware lets them through; allauth itself sends a
        # visitor with no sign-in in progress back to the start.
        assert getattr(route.view, "login_required", True) is False
        return
    assert response.status_code < 500
    location = response.headers.get("Location", "")
    assert not (response.status_code in (301, 302) and urlsplit(location).path.endswith(login)), (
        f"{route} sends anonymous visitors to {location}"
    )


STAFF_ROUTES = routes_of_kind(Access.STAFF)


def test_there_are_staff_routes_to_check():
    assert {r.view_name for r in STAFF_ROUTES} >= {
        "core:dashboard",
        "outreach:staff_landing",
        "prosecution:staff_landing",
        "govrelations:staff_landing",
        "integrity:staff_landing",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=str)
def test_staff_route_access(route, client_for, resident_user):
    url = route.url()
    permission = route.access.permission

    response = client_for(None).get(url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == route.reverse("account_login")

    assert client_for(resident_user).get(url).status_code == 403

    without = StaffFactory()
    if permission:
        assert not without.has_perm(permission)
        # Confidential routes answer 404 to staff without the permission (nothing revealed).
        assert client_for(without).get(url).status_code == (404 if route.access.confidential else 403)
        with_it = StaffFactory()
        app_label, codename = permission.split(".")
        with_it.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    else:
        with_it = without
    client = client_for(with_it)
    if route.access.confidential:
        # Every read of a confidential route asks for a recent sign-in; force_login records none.
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == route.reverse("account_reauthenticate")
        sign_in_recently(client, with_it)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes_of_kind(Access.ACCOUNT), ids=str)
def test_account_route_sends_anonymous_visitors_to_login(route, resident):
    response = resident.get(route.url())
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == route.reverse("account_login")
