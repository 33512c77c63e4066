"""System checks of people and access (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.core import checks


def mfa_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Production needs its own key for second-factor secrets: the derived development key
    would tie every authenticator to DJANGO_SECRET_KEY."""
    from jcr.accounts.mfa_keys import mfa_key_problems

    return [
        checks.Error(
            problem,
            hint='Generate one with `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"` and keep it apart from DJANGO_SECRET_KEY.',
            id="accounts.E001",
        )
        for problem in mfa_key_problems()
    ]
