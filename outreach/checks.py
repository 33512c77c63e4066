"""System checks of the outreach unit (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


def social_credentials_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production the social channels' credentials need their own Fernet key: without it
    they are encrypted with a key derived from DJANGO_SECRET_KEY, and rotating the secret key
    would make every stored token unreadable."""
    from cryptography.fernet import Fernet

    key = settings.JCR_SOCIAL_CREDENTIALS_KEY
    if not key:
        return [
            checks.Error(
                "JCR_SOCIAL_CREDENTIALS_KEY is not set.",
                hint='Generate one with `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"` and keep it apart from DJANGO_SECRET_KEY.',
                id="outreach.E001",
            )
        ]
    try:
        Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError):
        return [
            checks.Error(
                "JCR_SOCIAL_CREDENTIALS_KEY is not a Fernet key (44 url-safe base64 characters).",
                id="outreach.E002",
            )
        ]
    return []
