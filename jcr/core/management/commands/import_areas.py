from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jcr.core.geo import areas_import
from jcr.core.models import Area


class Command(BaseCommand):
    help = "Import areas (police districts, cities, beats...) from a GeoJSON FeatureCollection, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=Area.Kind.values)
        parser.add_argument("--name-property", default="name", help="feature property holding the area's name")
        parser.add_argument("--approximate", action="store_true", help="label these boundaries as approximate")
        parser.add_argument("--source", default="", help="where the boundaries come from")

    def handle(self, *args, **options):
        try:
            result = areas_import(
                path=options["file"],
                kind=options["kind"],
                name_property=options["name_property"],
                approximate=options["approximate"],
                source=options["source"] or options["file"].name,
            )
        except ValidationError as exc:
            raise CommandError("Nothing was imported. " + " ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} new and {result.updated} updated areas."))
