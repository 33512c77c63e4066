"""Query budgets over every page, found by the route walk: a public page runs at most 8 queries
for an anonymous visitor, a staff page at most 12. A page added later is held to the same
budget without anyone adding it here. (Lists also keep the same count at 5 and at 50 rows:
each unit's list tests check that with `assert_max_queries`.) One test per route group
(tests.support.route_group) measures each page of the group as if alone and lists every page
over its budget."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.support import (
    Failures,
    OneHandler,
    as_if_alone,
    assert_max_queries,
    group_params,
    routes_of_kind,
    sign_in_recently,
)

pytestmark = pytest.mark.django_db

PUBLIC_BUDGET = 8
STAFF_BUDGET = 12
# The staff dashboard is the sum of every unit's panel: for someone in every unit (as here) it
# runs the platform's queries plus each panel's few counts (outreach 5, government relations 1,
# integrity 6, one of them the person's State Bar record, which decides whether the MCLE line
# shows), and for administrators the worker's and beat's heartbeats (1). It is held to its own
# budget so a new panel query is still noticed.
PAGE_BUDGETS = {"core:dashboard": 17}
# Not pages: machine endpoints with budgets of their own (or none).
NOT_PAGES = {
    "django.contrib.sitemaps.views.sitemap",
    "healthz",
    "healthz_live",
    "healthz_ready",
    "set_language",
    "account_logout",
}


PUBLIC = [r for r in routes_of_kind("public") if r.view_name not in NOT_PAGES]
STAFF = routes_of_kind("staff")


def check_public_page(route, client) -> str | None:
    """None, or why the route is not a page (it does not answer 200 to GET)."""
    first = client.get(route.url())
    if first.status_code != 200:
        return f"{route} answers {first.status_code} to GET: not a page"
    with assert_max_queries(PUBLIC_BUDGET):
        response = client.get(route.url())
    assert response.status_code == 200
    return None


@pytest.mark.parametrize("routes", group_params(PUBLIC))
def test_public_page_query_budget(routes):
    failures, clients, not_pages = Failures(), OneHandler(), []
    for route in routes:
        with as_if_alone(), failures.check(route, "an anonymous visitor"):
            reason = check_public_page(route, clients.client())
            if reason:
                not_pages.append(reason)
    failures.raise_any("public pages over their query budget")
    if not_pages and len(not_pages) == len(routes):
        pytest.skip("; ".join(not_pages))


@pytest.fixture
def all_units_staff(django_user_model):
    """A staff member of every unit (superuser permissions, second factor enrolled)."""
    user = django_user_model.objects.create_superuser("budget@da.example.gov", "x" * 16)
    TOTP.activate(user, generate_totp_secret())
    assert Authenticator.objects.filter(user=user).exists()
    return user


def check_staff_page(route, client) -> None:
    first = client.get(route.url())
    assert first.status_code == 200, f"{route} answered {first.status_code}"
    with assert_max_queries(PAGE_BUDGETS.get(route.view_name, STAFF_BUDGET)):
        response = client.get(route.url())
    assert response.status_code == 200


@pytest.mark.parametrize("routes", group_params(STAFF))
def test_staff_page_query_budget(routes, all_units_staff):
    failures, clients = Failures(), OneHandler()
    for route in routes:
        with as_if_alone(), failures.check(route, "a staff member of every unit"):
            client = clients.client(all_units_staff)
            sign_in_recently(client, all_units_staff)  # the confidential pages ask for a recent sign-in
            check_staff_page(route, client)
    failures.raise_any("staff pages over their query budget")
