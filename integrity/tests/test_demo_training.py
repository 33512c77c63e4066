"""The demo data: idempotent, one compliant deputy and two short."""

from __future__ import annotations

import pytest

from integrity import demo
from integrity.training import selectors
from integrity.training.models import Attendance, Course
from jcr.accounts.demo import people_seed
from jcr.accounts.models import User

pytestmark = pytest.mark.django_db


def test_training_demo_seed_is_idempotent_with_compliant_and_short_deputies():
    people_seed()
    demo.seed()
    demo.seed()
    assert Course.objects.count() == 5
    ana, sam, marcus = (
        User.objects.get(email=e)
        for e in ("prosecutor2@demo.jcr.example", "analyst@demo.jcr.example", "prosecutor@demo.jcr.example")
    )
    assert Attendance.objects.filter(user=ana).count() == 5
    rows = {r.user.pk: r for r in selectors.standings_bulk(users=[ana, sam, marcus])}
    assert rows[ana.pk].compliant
    assert rows[ana.pk].standing.self_study_counted == 6
    assert not rows[sam.pk].compliant
    assert not rows[marcus.pk].compliant
