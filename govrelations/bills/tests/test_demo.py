"""Demo bills: every stage of the workflow, through the real services, idempotent."""

import pytest

from govrelations import demo
from govrelations.models import Bill, Hearing, ImplementationTask, Position, PositionLetter
from jcr.accounts.demo import people_seed

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_each_stage_and_is_idempotent(client):
    people_seed()
    demo.seed()
    demo.seed()
    assert Bill.objects.count() == 15
    assert all(demo.DEMO_NOTE in b.abstracts.get().abstract for b in Bill.objects.all())
    statuses = set(Position.objects.values_list("status", flat=True))
    assert statuses == {Position.Status.PROPOSED, Position.Status.APPROVED, Position.Status.RETURNED}
    assert PositionLetter.objects.exists()
    assert Hearing.objects.exists()
    chaptered = Bill.objects.get(status=Bill.Status.CHAPTERED)
    assert ImplementationTask.objects.filter(bill=chaptered).count() == 3
    landing = client.get("/government-relations/").content.decode()
    assert "SB 98" in landing
