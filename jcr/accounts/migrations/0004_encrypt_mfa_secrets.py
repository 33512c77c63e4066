"""Encrypt the second-factor secrets stored before JCR_MFA_KEY existed (TOTP keys and
recovery-code seeds were kept in the clear by allauth's default adapter)."""

from django.db import migrations

from jcr.accounts.mfa_keys import mfa_decrypt, mfa_encrypt, mfa_is_encrypted

SECRET_KEYS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, *, encrypt: bool) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for auth in Authenticator.objects.filter(type__in=SECRET_KEYS).iterator():
        data = dict(auth.data or {})
        changed = False
        for key in SECRET_KEYS[auth.type]:
            value = data.get(key)
            if isinstance(value, str) and mfa_is_encrypted(value) != encrypt:
                data[key] = mfa_encrypt(value) if encrypt else mfa_decrypt(value)
                changed = True
        codes = data.get("migrated_codes")
        if isinstance(codes, list):
            data["migrated_codes"] = [
                (mfa_encrypt(c) if encrypt else mfa_decrypt(c)) if mfa_is_encrypted(c) != encrypt else c for c in codes
            ]
            changed = changed or data["migrated_codes"] != codes
        if changed:
            Authenticator.objects.filter(pk=auth.pk).update(data=data)


def encrypt_secrets(apps, schema_editor):
    _convert(apps, encrypt=True)


def decrypt_secrets(apps, schema_editor):
    _convert(apps, encrypt=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_grant"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=True)]
