"""Re-run a community dialogue lottery from its published record and say whether it matches.

    manage.py dialogue_draw_verify SERIES_SLUG        the record kept in this portal's database
    manage.py dialogue_draw_verify --file draw.json   a record downloaded from the public page

Checks that SHA-256(seed) is the commitment published before the window closed, that the pool
hashes to the published pool hash, and that the draw re-run from seed + pool + seats gives the
published selection and wait lists. From the database it also checks that the pool is exactly
the applications the draw placed (by pseudonymous id and stratum). Exit status 1 on a mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outreach.dialogues.lottery import record_verify, stratum_key
from outreach.dialogues.models import DialogueApplication, DialogueSeries


class Command(BaseCommand):
    help = "Re-run a community dialogue lottery from its published record and check it matches."

    def add_arguments(self, parser):
        parser.add_argument("series", nargs="?", help="the series' short name (slug)")
        parser.add_argument("--file", help="a JSON file of the published draw record")

    def handle(self, *args, **options):
        if bool(options["series"]) == bool(options["file"]):
            raise CommandError("give either a series slug or --file PATH")
        problems: list[str] = []
        if options["file"]:
            try:
                record = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        else:
            record, problems = self._from_database(options["series"])
        result = record_verify(record)
        out = self.stdout
        out.write(f"Series:            {record.get('series', '?')}")
        out.write(f"Algorithm:         {record.get('algorithm_version', '?')}")
        out.write(f"Commitment:        {'matches the seed' if result.commitment_ok else 'DOES NOT MATCH'}")
        out.write(f"Pool hash:         {'matches the pool' if result.pool_hash_ok else 'DOES NOT MATCH'}")
        out.write(f"Re-run of the draw: {'same selection' if result.results_ok else 'DIFFERENT'}")
        for problem in [*result.problems, *problems]:
            out.write(f"  - {problem}")
        if result.ok and not problems:
            out.write(self.style.SUCCESS("MATCH: the published draw is reproduced exactly."))
            return
        raise CommandError("MISMATCH: the published draw is not reproduced.")

    def _from_database(self, slug: str) -> tuple[dict, list[str]]:
        series = DialogueSeries.objects.filter(slug=slug).first()
        if series is None:
            raise CommandError(f"no dialogue series {slug!r}")
        if not series.draw_record:
            raise CommandError(f"the lottery of {slug!r} has not been drawn yet")
        record = series.draw_record
        placed: dict[str, set[str]] = {}
        rows = series.applications.filter(status__in=DialogueApplication.DRAWN_STATUSES).values_list(
            "district__slug", "group", "pseudonym"
        )
        for district, group, pseudonym in rows:
            placed.setdefault(stratum_key(district, group), set()).add(pseudonym)
        published = {key: set(ids) for key, ids in record.get("pool", {}).items()}
        problems = []
        if placed != published:
            differing = sorted(k for k in set(placed) | set(published) if placed.get(k) != published.get(k))
            problems.append(
                "the database's drawn applications differ from the published pool in: " + ", ".join(differing)
            )
        if series.commitment != record.get("commitment"):
            problems.append("the series' seed does not match the record's commitment")
        return record, problems
