"""Encryption at rest of second-factor secrets (allauth's TOTP keys and recovery-code seeds).

allauth stores them through `MFAAdapter.encrypt`/`decrypt`; both come here. The key is
JCR_MFA_KEY (Fernet; several comma-separated keys rotate: the first encrypts, all decrypt).
Whoever can read the database (or an admin page) without the key sees only ciphertext, so a
stolen row cannot be turned into someone's codes.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Fernet tokens are base64 of a version byte 0x80 followed by a timestamp: they begin "gAAAAA".
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


def _keys() -> list[bytes]:
    raw = getattr(settings, "JCR_MFA_KEY", "") or ""
    keys = [k.strip().encode() for k in raw.split(",") if k.strip()]
    if keys:
        return keys
    if settings.DEBUG or getattr(settings, "TESTING", False):
        # DEVELOPMENT AND TESTS ONLY: a key derived from the secret key. Production must set
        # JCR_MFA_KEY (`check --deploy` reports accounts.E001), else rotating the secret key
        # would make every second factor unusable.
        derived = hashlib.sha256(f"jcr-mfa-development-key:{settings.SECRET_KEY}".encode()).digest()
        return [base64.urlsafe_b64encode(derived)]
    raise ImproperlyConfigured("JCR_MFA_KEY is required when DJANGO_DEBUG and JCR_TESTING are off.")


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def mfa_encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def mfa_decrypt(token: str) -> str:
    """The clear text of `token`. Raises ValueError when it is not one of our tokens (a secret
    stored in the clear, or encrypted with a key no longer configured)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("A second-factor secret cannot be decrypted with JCR_MFA_KEY.") from exc


def mfa_is_encrypted(value: str) -> bool:
    """True when `value` decrypts with the configured key(s)."""
    if not isinstance(value, str) or not value.startswith(TOKEN_PREFIX):
        return False
    try:
        mfa_decrypt(value)
    except ValueError:
        return False
    return True


def mfa_key_problems() -> list[str]:
    """What is wrong with JCR_MFA_KEY for production (empty list: nothing)."""
    raw = getattr(settings, "JCR_MFA_KEY", "") or ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        return ["JCR_MFA_KEY is not set."]
    problems = []
    for key in keys:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            problems.append("JCR_MFA_KEY holds a value that is not a Fernet key (44 url-safe base64 characters).")
    return problems
