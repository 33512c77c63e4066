"""The demo dialogues load through the real services and show every state."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcr.core.geo import areas_import
from jcr.core.models import Area, OutboundEmail
from outreach.dialogues import demo as demo_dialogues
from outreach.dialogues import lottery
from outreach.dialogues.models import DialogueApplication, DialogueSeries, Recommendation

pytestmark = pytest.mark.django_db
DISTRICTS = Path(__file__).resolve().parents[3] / "jcr" / "core" / "demo" / "police_districts.geojson"


def test_demo_dialogues_seed_is_complete_and_idempotent():
    areas_import(path=DISTRICTS, kind=Area.Kind.POLICE_DISTRICT, approximate=True)
    assert demo_dialogues.seed() == 2
    assert demo_dialogues.seed() == 0
    past = DialogueSeries.objects.get(slug=demo_dialogues.PAST_SLUG)
    current = DialogueSeries.objects.get(slug=demo_dialogues.OPEN_SLUG)
    assert past.sessions.count() == 6
    assert lottery.record_verify(past.draw_record).ok
    assert any(len(r["waitlist"]) for r in past.draw_record["results"].values())  # some groups oversubscribed
    statuses = set(past.applications.values_list("status", flat=True))
    assert {DialogueApplication.Status.ACCEPTED, DialogueApplication.Status.WAITLISTED} <= statuses
    assert Recommendation.objects.filter(subcommittee__series=past).count() == 6
    assert current.window_is_open()
    assert not current.is_drawn
    assert current.applications.exists()
    assert current.applications.filter(merged_count__gt=0).exists()
    assert not OutboundEmail.objects.exists()
