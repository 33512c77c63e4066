"""Demo concerns: realistic, routed by the real services, idempotent, no e-mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcr.core.geo import areas_import
from jcr.core.models import Area, OutboundEmail
from prosecution import demo as unit_demo
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.partners.models import FollowUp, Partner, Referral
from prosecution.projects import demo as project_demo
from prosecution.projects.models import Project

pytestmark = pytest.mark.django_db
DISTRICTS = Path(unit_demo.__file__).resolve().parents[1] / "jcr" / "core" / "demo" / "police_districts.geojson"


def test_demo_seed_places_concerns_and_is_idempotent():
    areas_import(path=DISTRICTS, kind=Area.Kind.POLICE_DISTRICT, approximate=True, source="demo")
    assert unit_demo.seed(count=40) == 40
    assert unit_demo.seed(count=40) == 0
    assert Concern.objects.filter(project_links__isnull=True).count() == 40  # and the projects' own
    placed = Concern.objects.filter(areas__kind=Area.Kind.POLICE_DISTRICT).distinct().count()
    assert placed >= 30
    assert Concern.objects.exclude(status=Concern.Status.RECEIVED).exists()
    assert ConcernUpdate.objects.filter(kind=ConcernUpdate.Kind.STATUS).exists()
    assert not OutboundEmail.objects.exists()


def test_demo_seed_makes_partners_projects_and_follow_ups_without_email():
    areas_import(path=DISTRICTS, kind=Area.Kind.POLICE_DISTRICT, approximate=True, source="demo")
    unit_demo.seed(count=30)
    assert Partner.objects.filter(name__endswith="(demo)").count() == len(project_demo.PARTNERS)
    assert Project.objects.count() == len(project_demo.PROJECTS)
    assert set(Project.objects.values_list("stage", flat=True)) == {
        "scanning",
        "analysis",
        "response",
        "assessment",
        "closed",
    }
    private = Project.objects.get(title="Vacant house on 38th Street")
    assert not private.is_public  # it has a sensitive concern
    motel = Project.objects.get(title="Motel on Stockton Boulevard")
    assert motel.is_public
    assert motel.is_repeat_location
    assert motel.concern_links.count() == 11
    assert motel.actions.filter(done_at__isnull=False).count() == 2
    assert len(motel.stage_history) == 3
    assert FollowUp.objects.exclude(answer="").exists()
    assert Referral.objects.count() == 2
    assert not OutboundEmail.objects.exists()
    assert project_demo.seed_projects() == 0
    assert Project.objects.count() == len(project_demo.PROJECTS)
