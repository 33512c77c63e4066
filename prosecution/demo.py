"""Demo data of the Community Prosecution Unit for `manage.py seed_demo` (idempotent): the
features' demo modules, in order."""

from __future__ import annotations

from prosecution.concerns import demo as concerns_demo
from prosecution.projects import demo as projects_demo
from prosecution.transparency.models import ConcernStatsBuild
from prosecution.transparency.services import concern_stats_rebuild


def seed(count: int = concerns_demo.COUNT) -> int:
    """Create the demo response templates, service levels, concerns (with photos), partners and
    projects that do not exist yet, then compute the public dashboard's figures and open data
    (when new concerns were made or none were computed yet). Returns how many concerns were
    created."""
    concerns_demo.seed_triage()
    created = concerns_demo.seed_concerns(count)
    concerns_demo.photos_seed()
    projects_demo.seed_projects()
    if created or not ConcernStatsBuild.objects.exists():
        concern_stats_rebuild()
    return created
