"""Dispose of, delete or anonymise confidential records of the Justice, Training & Integrity
Unit from the command line, through the same services as the staff pages and the admin:

    manage.py records_retention dispose KIND PUBLIC_ID... --by EMAIL [--reason TEXT]
    manage.py records_retention delete KIND PUBLIC_ID... --by EMAIL --reason TEXT
    manage.py records_retention anonymise KIND PUBLIC_ID... --by EMAIL --reason TEXT

KIND is allegation, claim, testing or disclosure. A record on legal hold is refused (and the
refusal logged, as everywhere); the others are done. Exit status 1 when any was refused.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrity.records import services

ROUTE = "command:records_retention"


class Command(BaseCommand):
    help = "Dispose of, delete or anonymise confidential records (refused under legal hold)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["dispose", "delete", "anonymise"])
        parser.add_argument("kind", choices=sorted(services.RECORD_KINDS))
        parser.add_argument("public_ids", nargs="+", metavar="PUBLIC_ID")
        parser.add_argument("--by", required=True, help="e-mail of the records officer who approved it")
        parser.add_argument("--reason", default="", help="the reason (required to delete or anonymise)")

    def handle(self, *args, **options):
        actor = get_user_model().objects.filter(email__iexact=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['by']}")
        reason = options["reason"]
        refused = 0
        for public_id in options["public_ids"]:
            record = services.record_for_kind(options["kind"], public_id)
            if record is None:
                self.stderr.write(f"{public_id}: no such record")
                refused += 1
                continue
            try:
                if options["action"] == "dispose":
                    services.record_dispose(record=record, actor=actor, note=reason, route=ROUTE)
                elif options["action"] == "delete":
                    services.record_soft_delete(record=record, actor=actor, reason=reason, route=ROUTE)
                else:
                    services.record_anonymise(record=record, actor=actor, reason=reason, route=ROUTE)
            except ValidationError as exc:
                self.stderr.write(f"{public_id}: {' '.join(exc.messages)}")
                refused += 1
            else:
                self.stdout.write(f"{public_id}: {options['action']} done")
        if refused:
            raise CommandError(f"{refused} record(s) refused")
