"""Import bills from Open States: the active sync targets (as the nightly task does), or the
filters given on the command line."""

from datetime import UTC, date, datetime

from django.core.management.base import BaseCommand, CommandError

from govrelations.bills.openstates import OpenStatesClient, OpenStatesNotConfigured
from govrelations.bills.sync import SyncBusy, openstates_sync, sync_targets_run


def _since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError as exc:
            raise CommandError(f"--since: not a date or date and time: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


WOULD = {"created": "create", "updated": "update", "skipped": "skip"}


class Command(BaseCommand):
    help = (
        "Import bills from the Open States API v3 (OPENSTATES_API_KEY). Without --jurisdiction, "
        "every active sync target (Admin → Sync targets) from its last run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="A name (California) or an ocd-jurisdiction id")
        parser.add_argument("--session", default="", help="A session identifier, e.g. 20252026")
        parser.add_argument("--subject", default="")
        parser.add_argument("--q", dest="query", default="", help="Search terms")
        parser.add_argument("--since", help="Only bills updated since this date (UTC), e.g. 2025-06-01")
        parser.add_argument("--max-pages", type=int, default=None)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read from Open States (this spends requests) and print what would change; write no bill",
        )

    def handle(self, *args, **options):
        try:
            client = OpenStatesClient()
        except OpenStatesNotConfigured as exc:
            raise CommandError(f"{exc}: set it in the environment (see .env.example)") from exc
        since = _since(options["since"]) if options["since"] else None
        dry_run = options["dry_run"]
        try:
            if options["jurisdiction"]:
                runs = [
                    openstates_sync(
                        client=client,
                        jurisdiction=options["jurisdiction"],
                        session=options["session"],
                        subject=options["subject"],
                        query=options["query"],
                        updated_since=since,
                        max_pages=options["max_pages"],
                        dry_run=dry_run,
                    )
                ]
            else:
                runs = sync_targets_run(client=client, since=since, dry_run=dry_run)
        except SyncBusy as exc:
            raise CommandError(f"{exc}; try again when it has finished") from exc
        for run in runs:
            if dry_run:
                self.stdout.write(
                    f"dry run ({run.status}): {run.pages} pages, {run.requests} requests; would create "
                    f"{run.created}, update {run.updated}, skip {run.skipped}; {run.unchanged} unchanged"
                )
                for outcome, identifier, detail in run.changes:
                    self.stdout.write(f"  would {WOULD[outcome]} {identifier}: {detail}")
                continue
            self.stdout.write(
                f"{run.status}: {run.pages} pages, {run.requests} requests, {run.created} created, "
                f"{run.updated} updated, {run.unchanged} unchanged, {run.skipped} skipped"
                f"{' — ' + run.error if run.error else ''}"
            )
            for error in run.errors.all():
                self.stdout.write(f"  skipped {error.identifier or error.open_states_id}: {error.reason}")
        if any(run.status == "failed" for run in runs):
            raise CommandError("the sync did not finish (see above)")
