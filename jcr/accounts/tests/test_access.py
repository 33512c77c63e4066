"""Staff need a second factor everywhere; admin sign-in is the portal's; sign-up is for
residents only; staff join by invitation."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jcr.accounts import roles, services_invitations
from jcr.accounts.models import User
from jcr.accounts.tests.factories import PASSWORD, StaffFactory, totp_code
from jcr.core.abuse import TIMESTAMP_FIELD, form_timestamp
from jcr.core.access import Access
from jcr.core.models import AuditEntry, OutboundEmail
from tests.support import Failures, OneHandler, as_if_alone, group_params, routes_of_kind

pytestmark = pytest.mark.django_db

GUARDED_ROUTES = routes_of_kind(Access.STAFF) + routes_of_kind(Access.ADMIN)


@pytest.fixture
def staff_without_mfa():
    """A staff member with every unit's roles but no second factor, signed in with a password."""
    user = StaffFactory(totp=False, roles=[roles.ADMINISTRATOR, roles.BUREAU_CHIEF, roles.JTI_CHIEF])
    assert not Authenticator.objects.filter(user=user).exists()
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def test_guarded_routes_include_staff_and_admin_pages():
    names = {r.view_name for r in GUARDED_ROUTES}
    assert {"core:dashboard", "admin:index", "admin:core_area_changelist", "integrity:staff_landing"} <= names


@pytest.mark.parametrize("routes", group_params(GUARDED_ROUTES))
def test_staff_without_second_factor_is_sent_to_enrol(routes, staff_without_mfa):
    """Every staff and admin page of the group, each as if alone (tests.support.as_if_alone),
    on a fresh client carrying only the signed-in session."""
    failures, clients = Failures(), OneHandler()
    session = staff_without_mfa.cookies[settings.SESSION_COOKIE_NAME].value
    for route in routes:
        with as_if_alone(), failures.check(route, "staff without a second factor"):
            client = clients.client()
            client.cookies[settings.SESSION_COOKIE_NAME] = session
            response = client.get(route.url())
            assert response.status_code == 302, f"got {response.status_code}"
            assert response["Location"] == reverse("mfa_activate_totp"), f"to {response['Location']}"
    failures.raise_any("staff pages open without a second factor")


def test_staff_without_second_factor_can_enrol_and_sign_out(staff_without_mfa):
    activate = reverse("mfa_activate_totp")
    response = staff_without_mfa.get(activate)
    # allauth asks for the password again before enrolment; that page must stay open.
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_reauthenticate")
    assert staff_without_mfa.get(response["Location"]).status_code == 200
    response = staff_without_mfa.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == activate
    page = staff_without_mfa.get(activate)
    assert page.status_code == 200
    assert "form" in page.context
    response = staff_without_mfa.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in staff_without_mfa.session


def test_staff_with_second_factor_is_let_through(administrator, client_for):
    assert client_for(administrator).get(reverse("core:dashboard")).status_code == 200


def test_staff_who_remove_their_last_second_factor_are_sent_to_enrol_within_minutes(
    administrator, client_for, time_machine
):
    """The middleware trusts a positive check for MFA_RECHECK_SECONDS, then looks again."""
    from jcr.accounts.middleware import MFA_RECHECK_SECONDS

    time_machine.move_to("2026-03-02 08:00:00+00:00", tick=False)
    client = client_for(administrator)
    assert client.get(reverse("core:dashboard")).status_code == 200
    Authenticator.objects.filter(user=administrator).delete()
    time_machine.move_to("2026-03-02 08:01:00+00:00", tick=False)
    assert client.get(reverse("core:dashboard")).status_code == 200  # still inside the window
    time_machine.shift(MFA_RECHECK_SECONDS)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_resident_without_second_factor_is_not_sent_to_enrol(resident_user, client_for):
    client = client_for(resident_user)
    for url in (reverse("accounts:my_submissions"), reverse("usersessions_list"), "/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_full_staff_sign_in_with_password_and_code(administrator):
    client = Client()
    response = client.post("/accounts/login/", {"login": administrator.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(administrator)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)


def test_admin_login_goes_through_the_portal_sign_in(resident):
    response = resident.get("/admin/login/", {"next": "/admin/core/area/"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query) == {"next": ["/admin/core/area/"]}

    response = resident.get("/admin/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path in ("/admin/login/", reverse("account_login"))


@pytest.mark.parametrize("persona", ["outreach_staff", "jti_staff", "bureau_chief", "resident_user"])
def test_admin_refuses_people_without_the_admin_permission(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/core/area/").status_code == 403


def test_admin_opens_for_an_administrator(administrator, client_for):
    assert client_for(administrator).get("/admin/").status_code == 200


def test_the_jti_chief_reaches_the_admin_site_for_the_units_models_only(jti_chief, client_for):
    """The JTI Chief holds the admin-site permission (integrity migration 0004) to keep the
    unit's models; the rest of the administration stays closed to them."""
    client = client_for(jti_chief)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/integrity/claim/" in index.content.decode()
    assert "/admin/core/area/" not in index.content.decode()
    assert client.get("/admin/core/area/").status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 403


# --- Staff invitations ------------------------------------------------------------------


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_staff_invite_creates_a_staff_account_and_mails_a_link():
    # A role holding unit permissions is given by someone who holds them (here a superuser);
    # see test_escalation for the Administrator's limits.
    administrator = StaffFactory(is_superuser=True)
    group = Group.objects.get(name=roles.OUTREACH_STAFF)

    user = services_invitations.staff_invite(
        email=" New.Person@DA.example.gov ", full_name="New Person", groups=[group], actor=administrator
    )

    user.refresh_from_db()
    assert user.email == "new.person@da.example.gov"
    assert user.is_staff is True
    assert user.is_superuser is False
    assert not user.has_usable_password()
    assert list(user.groups.all()) == [group]
    email = OutboundEmail.objects.get(to=user.email)
    assert email.status == OutboundEmail.Status.PENDING
    assert email.template == "accounts/invitation"
    assert email.related_id == str(user.public_id)
    assert _link_path(email.body_text).startswith("/accounts/invitation/")
    entry = AuditEntry.objects.get(action="accounts.user.invite")
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(user.public_id)
    assert entry.after["groups"] == [roles.OUTREACH_STAFF]


def test_staff_invite_refuses_a_residents_address(resident_user, administrator):
    with pytest.raises(ValidationError, match="resident"):
        services_invitations.staff_invite(email=resident_user.email, full_name="X", groups=[], actor=administrator)
    resident_user.refresh_from_db()
    assert resident_user.is_staff is False
    assert not OutboundEmail.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.user.invite").exists()


def test_staff_invite_refuses_an_existing_staff_address(outreach_staff, administrator):
    with pytest.raises(ValidationError, match="already exists"):
        services_invitations.staff_invite(email=outreach_staff.email, full_name="X", groups=[], actor=administrator)


def test_invitation_accept_sets_the_password_once(administrator):
    user = services_invitations.staff_invite(
        email="invitee@da.example.gov", full_name="Invitee", groups=[], actor=administrator
    )
    path = _link_path(OutboundEmail.objects.get(to=user.email).body_text)
    client = Client()
    assert client.get(path).status_code == 200

    new_password = "a long new staff password 7"
    response = client.post(path, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert user.emailaddress_set.get().verified is True
    assert AuditEntry.objects.filter(action="accounts.user.invitation_accept", actor_id=user.pk).exists()
    assert client.get(path).status_code == 404  # the link works once: the password changed


def test_invitation_accept_rejects_a_bad_token(administrator):
    user = services_invitations.staff_invite(
        email="invitee@da.example.gov", full_name="Invitee", groups=[], actor=administrator
    )
    path = _link_path(OutboundEmail.objects.get(to=user.email).body_text)
    uid = path.split("/")[3]
    for bad in (f"/accounts/invitation/{uid}/not-a-token/", "/accounts/invitation/xx/whatever/"):
        response = Client().post(bad, {"password1": "a long new staff password 7", "password2": "x"})
        assert response.status_code == 404
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_invitation_accept_validates_the_password(administrator):
    user = services_invitations.staff_invite(
        email="invitee@da.example.gov", full_name="Invitee", groups=[], actor=administrator
    )
    path = _link_path(OutboundEmail.objects.get(to=user.email).body_text)
    response = Client().post(path, {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_invited_staff_must_enrol_a_second_factor(administrator, client_for):
    user = services_invitations.staff_invite(
        email="invitee@da.example.gov", full_name="Invitee", groups=[], actor=administrator
    )
    response = client_for(user).get(reverse("core:dashboard"))
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Sign-up and development commands ---------------------------------------------------


def test_signup_creates_a_resident_even_when_staff_is_posted(resident):
    response = resident.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "a long resident password 9",
            "password2": "a long resident password 9",
            TIMESTAMP_FIELD: form_timestamp(scope="signup", seconds_ago=30),
            "is_staff": "1",
            "is_superuser": "1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert user.is_staff is False
    assert user.is_superuser is False
    assert not user.groups.exists()
    assert OutboundEmail.objects.filter(to="newcomer@example.org").exists()  # the verification mail


def test_demo_otp_refuses_with_debug_off(administrator):
    with pytest.raises(CommandError, match="refuses to run with DJANGO_DEBUG off"):
        call_command("demo_otp", administrator.email)
