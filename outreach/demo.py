"""Demo data of the unit for `manage.py seed_demo` (idempotent): each feature seeds its own."""

from __future__ import annotations

from django.db import transaction

from jcr.accounts.models import User
from outreach.dialogues import demo as dialogues_demo
from outreach.events import demo as events_demo
from outreach.media import demo as demo_media
from outreach.programs import demo as programs_demo
from outreach.social import demo as demo_social


def seed() -> None:
    """Programs, past and upcoming events in the demo districts (one full, with a wait list),
    registrations with reminders and check-ins, and a presentation request in each state."""
    owner = User.objects.filter(email="outreach@demo.jcr.example").first()
    with transaction.atomic():
        programs_demo.catalogue_seed()
        events_demo.seed(owner)
        programs_demo.requests_seed(owner)
    dialogues_demo.seed()
    demo_media.seed()
    demo_social.seed()
