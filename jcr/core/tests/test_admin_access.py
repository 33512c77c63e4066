"""The administration site answers the roles that need it: the pages that once answered 403 to
every role (Open311 clients, concerns, projects) open for the roles whose work they hold (the
Administrator: Open311 clients; the CPU Supervisor: the unit's records and settings), and the
admin's sign-in never sends a signed-in person to another site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prosecution.concerns.tests.factories import ConcernFactory
from prosecution.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# (admin page, persona) pairs: each answered 403 to every role before.
ADMIN_PAGES = {
    "administrator": ["admin:prosecution_open311client_changelist", "admin:prosecution_open311client_add"],
    "cpu_supervisor": [
        "admin:prosecution_concern_changelist",
        "admin:prosecution_concern_change",
        "admin:prosecution_project_changelist",
        "admin:prosecution_project_change",
        "admin:prosecution_responsetemplate_changelist",
        "admin:prosecution_servicelevel_changelist",
    ],
}


@pytest.mark.parametrize("persona", sorted(ADMIN_PAGES))
def test_admin_pages_open_for_the_role_that_needs_them(persona, personas, client_for):
    objects = {"concern": ConcernFactory(), "project": ProjectFactory()}
    client = client_for(personas[persona])
    failed = {}
    for name in ADMIN_PAGES[persona]:
        model = name.split("_")[1]
        args = [objects[model].pk] if name.endswith("_change") else []
        response = client.get(reverse(name, args=args))
        if response.status_code != 200:
            failed[name] = response.status_code
    assert failed == {}


def test_admin_concern_page_is_read_only_for_a_cpu_supervisor(personas, client_for):
    """A concern changes on its staff page (notifications, service levels, audit); the admin
    shows it without a save button."""
    concern = ConcernFactory()
    client = client_for(personas["cpu_supervisor"])
    url = reverse("admin:prosecution_concern_change", args=[concern.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert client.post(url, {"status": "closed"}).status_code == 403


def test_admin_concerns_and_projects_stay_with_the_unit(personas, client_for):
    """The Administrator is given no concern or project permission: it would also open the
    unit's staff pages."""
    client = client_for(personas["administrator"])
    for name in ("admin:prosecution_concern_changelist", "admin:prosecution_project_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("prosecution:staff_concern_list")).status_code == 403


def test_admin_open311_clients_stay_with_the_administrator(personas, client_for):
    for persona in ("cpu_supervisor", "community_prosecutor", "outreach_staff"):
        response = client_for(personas[persona]).get(reverse("admin:prosecution_open311client_changelist"))
        assert response.status_code == 403, persona


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com/",
        "https:evil.example.com",
        "javascript:alert(1)",
        "JavaScript:alert(document.domain)",
    ],
)
def test_admin_login_refuses_a_foreign_next_for_a_signed_in_person(next_url, personas, client_for):
    response = client_for(personas["administrator"]).get("/admin/login/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_admin_login_refuses_a_foreign_next_for_an_anonymous_visitor(client):
    response = client.get("/admin/login/", {"next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_admin_login_keeps_a_local_next(personas, client_for):
    response = client_for(personas["administrator"]).get("/admin/login/", {"next": "/admin/core/area/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/core/area/"
