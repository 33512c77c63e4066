"""Nobody signs in as someone else: second-factor secrets are stored encrypted and never shown
(not even to an Administrator, who may only remove a lost one), and nobody sets another
person's password (they get a link by e-mail)."""

from __future__ import annotations

import importlib
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import call_command
from django.test import Client

from jcr.accounts import mfa_keys, services_access
from jcr.accounts.checks import mfa_key
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

encryption_migration = importlib.import_module("jcr.accounts.migrations.0004_encrypt_mfa_secrets")


def _secrets_of(user) -> list[str]:
    """Every second-factor secret of `user` in clear and as stored."""
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    codes = RecoveryCodes.activate(user)
    stored = [totp.data["secret"], codes.instance.data["seed"]]
    clear = [mfa_keys.mfa_decrypt(v) for v in stored]
    return stored + clear + codes.generate_codes()


def test_impersonation_totp_secret_and_recovery_seed_are_ciphertext_in_the_database(administrator):
    totp = Authenticator.objects.get(user=administrator, type=Authenticator.Type.TOTP)
    seed = RecoveryCodes.activate(administrator).instance.data["seed"]
    for stored in (totp.data["secret"], seed):
        assert stored.startswith(mfa_keys.TOKEN_PREFIX)
        clear = mfa_keys.mfa_decrypt(stored)
        assert clear
        assert clear not in stored
    assert re.fullmatch(r"[A-Z2-7]+=*", mfa_keys.mfa_decrypt(totp.data["secret"]))


def test_impersonation_administrator_cannot_read_a_second_factor_in_admin(administrator, jti_chief, client_for):
    client = client_for(administrator)
    secrets = _secrets_of(jti_chief)
    pages = ["/admin/mfa/authenticator/"] + [
        f"/admin/mfa/authenticator/{pk}/change/"
        for pk in Authenticator.objects.filter(user=jti_chief).values_list("pk", flat=True)
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert str(jti_chief) in body
        for secret in secrets:
            assert secret not in body, path
        for key in ("used_mask", '"seed"', '"secret"'):
            assert key not in body
    assert client.post(pages[1], {"data": '{"secret": "AAAA"}'}).status_code == 403


def test_impersonation_administrator_removes_a_lost_authenticator_audited_and_notified(
    administrator, jti_chief, client_for
):
    totp = Authenticator.objects.get(user=jti_chief, type=Authenticator.Type.TOTP)

    response = client_for(administrator).post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    entry = AuditEntry.objects.get(action="mfa.authenticator.remove")
    assert entry.actor_id == administrator.pk
    assert entry.before["user"] == jti_chief.email
    assert entry.before["type"] == "totp"
    assert "secret" not in str(entry.before)
    mail = OutboundEmail.objects.get(to=jti_chief.email)
    assert mail.template == "accounts/authenticator_removed"


def test_impersonation_an_administrator_cannot_remove_a_superusers_authenticator(administrator, client_for):
    root = StaffFactory(is_superuser=True)
    totp = Authenticator.objects.get(user=root)
    client_for(administrator).post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert Authenticator.objects.filter(pk=totp.pk).exists()
    with pytest.raises(PermissionDenied):
        services_access.authenticator_remove(actor=administrator, authenticator=totp)


@pytest.mark.parametrize("actor", ["administrator", "superuser"])
def test_impersonation_nobody_sets_another_persons_password(actor, administrator, jti_chief, client_for):
    user = administrator if actor == "administrator" else StaffFactory(is_superuser=True)
    client = client_for(user)
    old_hash = jti_chief.password

    page = client.get(f"/admin/accounts/user/{jti_chief.pk}/password/", follow=True).content.decode()
    assert 'name="password1"' not in page
    for path in (
        f"/admin/accounts/user/{jti_chief.pk}/password/",
        f"/admin/accounts/user/{jti_chief.pk}/password/change/",
    ):
        response = client.post(
            path,
            {"password1": "attacker chosen pass 99", "password2": "attacker chosen pass 99", "usable_password": "true"},
        )
        assert response.status_code in (302, 404)
    change_page = client.get(f"/admin/accounts/user/{jti_chief.pk}/change/").content.decode()
    assert "/password/" not in change_page
    assert 'name="password' not in change_page
    add = client.get("/admin/accounts/user/add/")  # no "add with a password" form: the invitation
    if user.is_superuser:
        assert add["Location"].endswith("/admin/accounts/user/invite/")
    else:
        assert add.status_code == 403
    jti_chief.refresh_from_db()
    assert jti_chief.password == old_hash
    with pytest.raises(PermissionDenied):
        services_access.user_update(actor=user, user=jti_chief, fields={"password": "x"})


def test_impersonation_a_reset_link_is_mailed_instead_audited(administrator, jti_chief, client_for):
    response = client_for(administrator).post(
        "/admin/accounts/user/",
        {"action": "send_password_reset", "_selected_action": [str(jti_chief.pk)], "index": "0"},
    )

    assert response.status_code == 302
    mail = OutboundEmail.objects.get(to=jti_chief.email)
    assert mail.template == "accounts/password_reset"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.body_text).group(1)
    assert "attacker" not in mail.body_text
    entry = AuditEntry.objects.get(action="accounts.user.password_reset_send")
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(jti_chief.public_id)
    # The link is allauth's own reset page (it moves the key into the session, then asks).
    follow = Client().get(link, follow=True)
    assert follow.status_code == 200
    assert "password1" in follow.content.decode()


def test_impersonation_an_invited_person_gets_the_invitation_again(administrator):
    invitee = StaffFactory(totp=False)
    invitee.set_unusable_password()
    invitee.save()
    services_access.password_reset_send(actor=administrator, user=invitee)
    assert OutboundEmail.objects.get(to=invitee.email).template == "accounts/invitation"


def test_impersonation_the_migration_encrypts_secrets_stored_in_the_clear(administrator):
    totp = Authenticator.objects.get(user=administrator, type=Authenticator.Type.TOTP)
    codes = RecoveryCodes.activate(administrator).instance
    clear_secret = mfa_keys.mfa_decrypt(totp.data["secret"])
    clear_seed = mfa_keys.mfa_decrypt(codes.data["seed"])
    Authenticator.objects.filter(pk=totp.pk).update(data={"secret": clear_secret})
    Authenticator.objects.filter(pk=codes.pk).update(data={**codes.data, "seed": clear_seed})

    encryption_migration.encrypt_secrets(django_apps, None)
    encryption_migration.encrypt_secrets(django_apps, None)  # a second run changes nothing

    totp.refresh_from_db()
    codes.refresh_from_db()
    assert mfa_keys.mfa_decrypt(totp.data["secret"]) == clear_secret
    assert mfa_keys.mfa_decrypt(codes.data["seed"]) == clear_seed
    assert codes.data["used_mask"] == 0
    encryption_migration.decrypt_secrets(django_apps, None)
    totp.refresh_from_db()
    assert totp.data["secret"] == clear_secret


def test_impersonation_the_key_is_required_in_production(settings):
    settings.JCR_MFA_KEY = ""
    assert [m.id for m in mfa_key()] == ["accounts.E001"]
    settings.JCR_MFA_KEY = "not-a-key"
    assert [m.id for m in mfa_key()] == ["accounts.E001"]
    settings.JCR_MFA_KEY = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    assert mfa_key() == []

    settings.JCR_MFA_KEY = ""
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(ImproperlyConfigured):
        mfa_keys.mfa_encrypt("secret")


def test_impersonation_rotating_the_key_keeps_old_secrets_readable(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.JCR_MFA_KEY = old
    token = mfa_keys.mfa_encrypt("JBSWY3DPEHPK3PXP")
    settings.JCR_MFA_KEY = f"{new},{old}"
    assert mfa_keys.mfa_decrypt(token) == "JBSWY3DPEHPK3PXP"
    settings.JCR_MFA_KEY = new
    with pytest.raises(ValueError, match="JCR_MFA_KEY"):
        mfa_keys.mfa_decrypt(token)


def test_impersonation_demo_otp_prints_the_code_of_an_encrypted_secret(settings, administrator, capsys):
    from jcr.accounts.tests.factories import totp_code

    settings.DEBUG = True
    expected = totp_code(administrator)  # waits for a fresh period when this one is nearly over
    call_command("demo_otp", administrator.email)
    assert capsys.readouterr().out.split()[0] == expected
