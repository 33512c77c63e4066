"""People for tests: residents, staff (with a second factor) and role-holders."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from jcr.accounts.models import User

PASSWORD = "correct horse battery staple 42"


class UserFactory(DjangoModelFactory):
    """A resident with a verified address and a known password (PASSWORD)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)
    is_staff = False

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    """A staff member with an authenticator app, optionally in role groups: StaffFactory(roles=[...])."""

    email = factory.Sequence(lambda n: f"staff{n}@da.example.gov")
    is_staff = True

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            totp_activate(self)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=role) for role in extracted])


def totp_activate(user: User) -> Authenticator:
    """Give `user` an authenticator app, as jcr.accounts.demo does. Returns the Authenticator."""
    return TOTP.activate(user, generate_totp_secret()).instance


def totp_code(user: User, *, margin: float = 6) -> str:
    """The current valid TOTP code of `user`. When fewer than `margin` seconds of the code's
    period are left, waits for the next period first, so that a slow request cannot carry the
    code past its period (the server accepts the current period's code only)."""
    import time

    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.utils import timezone

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    left = mfa_settings.TOTP_PERIOD - timezone.now().timestamp() % mfa_settings.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp() // mfa_settings.TOTP_PERIOD)))
