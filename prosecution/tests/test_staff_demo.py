"""Demo concerns: realistic, routed by the real services, idempotent, no e-mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcr.core.geo import areas_import
from jcr.core.models import Area, OutboundEmail
from prosecution import demo
from prosecution.models import Concern, ConcernUpdate

pytestmark = pytest.mark.django_db
DISTRICTS = Path(demo.__file__).resolve().parents[1] / "jcr" / "core" / "demo" / "police_districts.geojson"


def test_demo_seed_places_concerns_and_is_idempotent():
    areas_import(path=DISTRICTS, kind=Area.Kind.POLICE_DISTRICT, approximate=True, source="demo")
    assert demo.seed(count=40) == 40
    assert demo.seed(count=40) == 0
    assert Concern.objects.count() == 40
    placed = Concern.objects.filter(areas__kind=Area.Kind.POLICE_DISTRICT).distinct().count()
    assert placed >= 30
    assert Concern.objects.exclude(status=Concern.Status.RECEIVED).exists()
    assert ConcernUpdate.objects.filter(kind=ConcernUpdate.Kind.STATUS).exists()
    assert not OutboundEmail.objects.exists()
