"""`manage.py concern_stats_rebuild [--method sql|python]`: recompute the public dashboard's
figures and the open-data files now (the beat task does it every 15 minutes)."""

from django.core.management.base import BaseCommand

from prosecution.transparency.services import concern_stats_rebuild


class Command(BaseCommand):
    help = "Recompute the public concern dashboard's figures and the open-data files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--method", choices=["sql", "python"], help="sql (PostgreSQL only) or python; default: sql on PostgreSQL"
        )

    def handle(self, *args, method=None, **options):
        build = concern_stats_rebuild(method=method)
        self.stdout.write(
            f"{build.rows} figure rows from {build.concerns} concerns, {build.open_data_rows} in the open data, "
            f"in {build.duration_ms} ms ({build.method})"
        )
