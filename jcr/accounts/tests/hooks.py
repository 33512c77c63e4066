"""Quality-gate hooks of accounts (see tests.support.hook_modules): real keys and tokens
for the invitation and allauth's e-mail confirmation and password reset, and private
markers in people's details, failed sign-ins and locks."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jcr.accounts.models import AccountLock, LoginFailure
from jcr.accounts.tests.factories import StaffFactory, UserFactory
from tests.support import Route, Sample


def admin_rows_ensure() -> None:
    """A pending JTI role grant, so the grant admin's object pages have a row to open."""
    from django.contrib.auth.models import Group

    from jcr.accounts import roles
    from jcr.accounts.models import RoleGrant, User

    if not RoleGrant.objects.exists():
        RoleGrant.objects.create(
            user=User.objects.filter(is_staff=True).order_by("pk").first() or StaffFactory(),
            group=Group.objects.get(name=roles.JTI_STAFF),
            reason="sample",
        )


def _invitation(personas: Mapping[str, object], route: Route) -> Sample:
    invitee = StaffFactory(totp=False, password=None)
    uidb64 = urlsafe_base64_encode(force_bytes(invitee.pk))
    return Sample(kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(invitee)})


def _confirm_email(personas: Mapping[str, object], route: Route) -> Sample:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    user = UserFactory(verified_email=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return Sample(kwargs={"key": EmailConfirmationHMAC(address).key})


def _password_reset_key(personas: Mapping[str, object], route: Route) -> Sample:
    """A real reset link: allauth moves the key into the session and redirects (302) to the
    same URL with "set-password" in place of the key, so the key never stays in the address."""
    from allauth.account.forms import default_token_generator as allauth_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = UserFactory()
    key = allauth_token_generator.make_token(user)
    return Sample(kwargs={"uidb36": user_pk_to_url_str(user), "key": key}, ok=302)


def _webauthn_key(personas: Mapping[str, object], route: Route) -> Sample:
    """A security key of `resident_user`. allauth asks for the password again before it looks
    the key up, so these pages are flow steps, not object-scoped routes (no 404 to others)."""
    from allauth.mfa.models import Authenticator

    owner = personas["resident_user"]
    key = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.WEBAUTHN, data={"name": "Test key", "credential": {}}
    )
    return Sample(kwargs={"pk": key.pk})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "accounts:invitation_accept": _invitation,
        "account_confirm_email": _confirm_email,
        "account_reset_password_from_key": _password_reset_key,
        "mfa_remove_webauthn": _webauthn_key,
        "mfa_edit_webauthn": _webauthn_key,
    }


def seed_private_markers(*, personas: Mapping[str, object], marker: Callable[[str], str]) -> list[str]:
    """A resident's name and phone, a prosecutor's phone (the prosecutor's name is public on
    the home page, the phone is not), the e-mail typed in failed sign-ins and locks."""
    name, phone, staff_phone, failure, lock = (
        marker("residentname"),
        marker("residentphone"),
        marker("staffphone"),
        marker("failure"),
        marker("lock"),
    )
    UserFactory(full_name=name, phone=phone)
    prosecutor = personas["community_prosecutor"]
    prosecutor.phone = staff_phone
    prosecutor.save(update_fields=["phone"])
    LoginFailure.objects.create(email=f"{failure}@example.org", kind=LoginFailure.Kind.PASSWORD)
    AccountLock.objects.create(email=f"{lock}@example.org")
    return [name, phone, staff_phone, failure, lock]
