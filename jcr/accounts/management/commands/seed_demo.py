from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jcr.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE, RESIDENT, people_seed
from jcr.accounts.models import User
from jcr.core.geo import areas_import
from jcr.core.models import Area, AreaAssignment

DEMO_DIR = Path(apps.get_app_config("core").path) / "demo"
SOURCE = "Approximate demonstration boundaries, not official"

# Which demo prosecutor works which police district.
ASSIGNMENTS = {
    "prosecutor@demo.jcr.example": ["downtown-midtown", "natomas", "north-sacramento"],
    "prosecutor2@demo.jcr.example": ["south-sacramento", "land-park-pocket", "east-sacramento-oak-park"],
}


class Command(BaseCommand):
    help = "Load demo data (idempotent): areas, one person per role with a second factor, assignments."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off (never in production)")
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the login instructions")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo loads known demo passwords: it runs only with DJANGO_DEBUG on.")
        areas_import(
            path=DEMO_DIR / "police_districts.geojson", kind=Area.Kind.POLICE_DISTRICT, approximate=True, source=SOURCE
        )
        areas_import(path=DEMO_DIR / "cities.geojson", kind=Area.Kind.CITY, approximate=True, source=SOURCE)
        people_seed()
        for email, slugs in ASSIGNMENTS.items():
            user = User.objects.get(email=email)
            for area in Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT, slug__in=slugs):
                AreaAssignment.objects.get_or_create(
                    area=area, user=user, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR
                )
        self._apps_seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.stdout.write(self.logins())

    def _apps_seed(self):
        """Each unit app may provide `<app>.demo.seed()`; called in order, each idempotent."""
        for config in apps.get_app_configs():
            if getattr(config, "is_bureau_unit", False):
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed()

    @staticmethod
    def logins() -> str:
        lines = [
            "",
            "Demo sign-in (development only). Password for every demo person: " + DEMO_PASSWORD,
            "Staff also need a second factor; print the current code with:",
            "    .venv/bin/python manage.py demo_otp EMAIL      (or: make otp EMAIL=...)",
            "",
        ]
        lines += [f"  {role:<34} {email}" for email, _name, _title, role in DEMO_PEOPLE]
        lines.append(f"  {'Resident (no second factor)':<34} {RESIDENT[0]}")
        return "\n".join(lines) + "\n"
