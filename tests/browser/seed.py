"""Seeds the browser tests' own database (run by server.py in a subprocess, against the clone).

Loads the demo content (seed_demo, so the sitemap lists real detail pages) and makes the
people the browser tests act as: a superuser with an authenticator app, signed in through a
session made here (`session_key`), and a second one who signs in for real in the keyboard
journey (password + the TOTP code computed from `totp_secret`). Prints one JSON line.

    DATABASE_URL=... python -m tests.browser.seed
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")

import django

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.utils import decrypt  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from jcr.accounts.roles import roles_sync  # noqa: E402
from jcr.accounts.tests.factories import PASSWORD, StaffFactory  # noqa: E402

STAFF_EMAIL = "browser.admin@da.example.gov"
LOGIN_EMAIL = "browser.login@da.example.gov"


LOCAL_APPS = ("accounts", "core", "prosecution", "outreach", "govrelations", "integrity")


def _data_migrations_replay() -> None:
    """Run again, in migration order, every RunPython step of the project's own apps (each is
    idempotent), except one-time conversions marked hints={"replay": False}."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(connection)
    leaves = [node for node in loader.graph.leaf_nodes() if node[0] in LOCAL_APPS]
    seen = set()
    with connection.schema_editor() as schema_editor:
        for leaf in leaves:
            for node in loader.graph.forwards_plan(leaf):
                if node in seen or node[0] not in LOCAL_APPS:
                    continue
                seen.add(node)
                for operation in loader.graph.nodes[node].operations:
                    # A one-time conversion of old rows says hints={"replay": False}: it is
                    # written against historical models, and the current ones have moved on.
                    if isinstance(operation, RunPython) and operation.hints.get("replay", True):
                        operation.code(apps, schema_editor)


def main() -> None:
    # The clone is of the test database, which a transactional test may have flushed of the
    # rows its data migrations made: put the role groups back first, then replay the project's
    # data migrations (role grants, categories, rule sets, schedules; each is idempotent).
    roles_sync(apps)
    _data_migrations_replay()
    call_command("seed_demo", force=True, quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    staff = StaffFactory(email=STAFF_EMAIL, full_name="Avery Browser", is_superuser=True)
    login = StaffFactory(email=LOGIN_EMAIL, full_name="Kai Keyboard", is_superuser=True)
    client = Client()
    client.force_login(staff)
    totp = Authenticator.objects.get(user=login, type=Authenticator.Type.TOTP)
    print(
        json.dumps(
            {
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "session_key": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "login_email": LOGIN_EMAIL,
                "login_password": PASSWORD,
                "totp_secret": decrypt(totp.data["secret"]),
            }
        )
    )


if __name__ == "__main__":
    main()
