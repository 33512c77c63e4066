"""What happens behind the counter during a browser journey, run in a separate process against
the browser portal's own database (the clone server.py serves): reading a concern and the
e-mail rows the portal wrote, and a staff member's status change.

The browser tests' process cannot use the ORM while Playwright's sync API runs (its asyncio
loop makes Django refuse: SynchronousOnlyOperation), and its database is not the clone; so
`backstage(portal, command, **arguments)` runs this module with the server's environment and
returns the JSON line it prints.

    python -m tests.browser.backstage concern '{"tracking_code": "AB12CD34"}'
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def backstage(portal, command: str, **arguments) -> dict | list:
    """Run `command` with `arguments` against `portal`'s database; its JSON answer."""
    from tests.browser.server import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "tests.browser.backstage", command, json.dumps(arguments)],
        cwd=ROOT,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"backstage {command} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _concern(*, tracking_code: str) -> dict:
    from prosecution.concerns.models import Concern

    concern = Concern.objects.select_related("category").get(tracking_code=tracking_code)
    return {
        "public_ref": concern.public_ref,
        "status": concern.status,
        "language": concern.language,
        "public": not (concern.is_sensitive or concern.category.is_sensitive),
        "areas": sorted(concern.areas.values_list("name", flat=True)),
        "photos": concern.photos.count(),
    }


def _outbox(*, to: str) -> list[dict]:
    """The e-mail rows queued for `to`, oldest first."""
    from jcr.core.models import OutboundEmail

    rows = OutboundEmail.objects.filter(to=to).order_by("pk")
    return [
        {
            "template": row.template,
            "language": row.language,
            "subject": row.subject,
            "body_text": row.body_text,
            "body_html": row.body_html,
            "headers": row.headers,
        }
        for row in rows
    ]


def _status(*, tracking_code: str, status: str, public_text: str, staff_email: str) -> dict:
    """A staff member moves the concern to `status` with a public update (the staff desk's
    service), then the follower notice runs as the worker would run it: the browser portal's
    broker is a throw-away folder that no worker reads."""
    from django.contrib.auth import get_user_model

    from prosecution.concerns.models import Concern, ConcernUpdate
    from prosecution.concerns.services_desk import concern_set_status
    from prosecution.concerns.services_follow import concern_followers_notify

    actor = get_user_model().objects.get(email=staff_email)
    concern = Concern.objects.get(tracking_code=tracking_code)
    concern_set_status(concern=concern, status=status, actor=actor, public_text=public_text)
    update = ConcernUpdate.objects.filter(concern=concern, kind=ConcernUpdate.Kind.STATUS).latest("pk")
    return {"status": status, "followers_told": concern_followers_notify(update_id=update.pk)}


COMMANDS = {"concern": _concern, "outbox": _outbox, "status": _status}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")
    import django

    django.setup()
    command, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(COMMANDS[command](**arguments), default=str))


if __name__ == "__main__":
    main()
