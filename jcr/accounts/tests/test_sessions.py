"""Session limits (30 idle minutes, 12 hours in all), sign-out everywhere, deactivation."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from jcr.accounts import services
from jcr.accounts.models import User
from jcr.accounts.tests.factories import PASSWORD
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
STAFF_PAGE = "/staff/"


def at(time_machine, minutes: float) -> None:
    time_machine.move_to(T0 + dt.timedelta(minutes=minutes), tick=False)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def assert_sent_to_login(response) -> None:
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")


def notices(client: Client, response) -> list[str]:
    """The messages shown on the page `response` redirects to."""
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


@pytest.fixture
def staff_client(administrator, client_for, time_machine):
    at(time_machine, 0)
    client = client_for(administrator)
    assert client.get(STAFF_PAGE).status_code == 200  # the first request starts the clock
    return client


def test_idle_for_29_minutes_stays_signed_in(staff_client, time_machine):
    at(time_machine, 29)
    assert staff_client.get(STAFF_PAGE).status_code == 200
    assert signed_in(staff_client)


def test_idle_for_31_minutes_is_signed_out(staff_client, time_machine):
    at(time_machine, 31)
    response = staff_client.get(STAFF_PAGE)
    assert_sent_to_login(response)
    assert not signed_in(staff_client)
    assert notices(staff_client, response) == ["You were signed out after 30 minutes without activity."]


def test_activity_resets_the_idle_clock(staff_client, time_machine):
    for minute in (25, 50, 75):
        at(time_machine, minute)
        assert staff_client.get(STAFF_PAGE).status_code == 200


def test_sessions_end_after_12_hours_even_when_active(staff_client, time_machine):
    minute = 0
    while minute + 25 < 12 * 60:
        minute += 25
        at(time_machine, minute)
        assert staff_client.get(STAFF_PAGE).status_code == 200, f"signed out early, at minute {minute}"
    at(time_machine, 12 * 60 + 5)
    response = staff_client.get(STAFF_PAGE)
    assert_sent_to_login(response)
    assert not signed_in(staff_client)
    assert notices(staff_client, response) == ["You were signed out because sessions last at most 12 hours."]


def test_session_status_is_not_activity(staff_client, time_machine):
    at(time_machine, 20)
    response = staff_client.get(reverse("accounts:session_status"))
    assert response.status_code == 200
    assert response.json() == {"remaining": 10 * 60}
    at(time_machine, 31)
    assert_sent_to_login(staff_client.get(STAFF_PAGE))


def test_keepalive_is_activity(staff_client, time_machine):
    at(time_machine, 20)
    response = staff_client.post(reverse("accounts:session_keepalive"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"remaining": 30 * 60}
    at(time_machine, 45)
    assert staff_client.get(STAFF_PAGE).status_code == 200
    assert staff_client.get(reverse("accounts:session_status")).json() == {"remaining": 30 * 60}


def test_keepalive_refuses_get(staff_client):
    assert staff_client.get(reverse("accounts:session_keepalive")).status_code == 405


def _two_browsers(user) -> tuple[Client, Client]:
    browsers = (Client(), Client())
    for client in browsers:
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert signed_in(client)
    return browsers


def test_logout_ends_every_session_of_the_person(resident_user):
    first, second = _two_browsers(resident_user)
    stranger = Client()
    stranger.force_login(User.objects.create_user("other@example.org", PASSWORD))

    response = first.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not signed_in(first)
    assert_sent_to_login(second.get(reverse("accounts:my_submissions")))
    assert not signed_in(second)
    assert stranger.get(reverse("accounts:my_submissions")).status_code == 200


def test_logout_by_get_does_not_sign_out(resident_user, client_for):
    client = client_for(resident_user)
    client.get(reverse("account_logout"))
    assert signed_in(client)


def test_user_deactivate_ends_sessions(resident_user, administrator):
    first, second = _two_browsers(resident_user)

    services.user_deactivate(user=resident_user, actor=administrator)

    resident_user.refresh_from_db()
    assert resident_user.is_active is False
    for client in (first, second):
        assert_sent_to_login(client.get(reverse("accounts:my_submissions")))
    entry = AuditEntry.objects.get(action="accounts.user.deactivate")
    assert entry.actor_id == administrator.pk
    assert entry.before["is_active"] is True
    assert entry.after["is_active"] is False
    assert "password" not in entry.after


def test_unticking_active_in_admin_ends_sessions(resident_user, administrator, client_for):
    first, second = _two_browsers(resident_user)
    url = reverse("admin:accounts_user_change", args=[resident_user.pk])
    admin = client_for(administrator)
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, "") and name != "password"}
    data.pop("is_active")
    data["groups"] = []
    data["user_permissions"] = []
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    resident_user.refresh_from_db()
    assert resident_user.is_active is False
    for client in (first, second):
        assert_sent_to_login(client.get(reverse("accounts:my_submissions")))
    entry = AuditEntry.objects.get(action="accounts.user.change", object_type="accounts.user")
    assert entry.before == {"is_active": True}
    assert entry.after == {"is_active": False}


def test_deactivated_person_cannot_sign_in(resident_user, administrator):
    services.user_deactivate(user=resident_user, actor=administrator)
    client = Client()
    client.post("/accounts/login/", {"login": resident_user.email, "password": PASSWORD})
    assert not signed_in(client)


def test_idle_sign_out_on_a_public_page_says_why(staff_client, time_machine):
    at(time_machine, 31)
    response = staff_client.get("/")
    assert response.status_code == 200
    assert not signed_in(staff_client)
    assert [str(m) for m in response.context["messages"]] == ["You were signed out after 30 minutes without activity."]


def test_idle_timeout_in_one_browser_leaves_the_others_signed_in(resident_user, time_machine):
    at(time_machine, 0)
    first, second = _two_browsers(resident_user)
    page = reverse("accounts:my_submissions")
    assert first.get(page).status_code == 200
    at(time_machine, 20)
    assert second.get(page).status_code == 200  # the second browser is in use
    at(time_machine, 31)
    assert_sent_to_login(first.get(page))  # the first one was idle for 31 minutes
    assert not signed_in(first)
    assert second.get(page).status_code == 200
    assert signed_in(second)
