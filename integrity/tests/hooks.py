"""Quality-gate hooks of the Justice, Training & Integrity Unit (see
tests.support.hook_modules): each feature of the unit keeps its own in its tests package,
collected here."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from integrity.policies.tests import hooks as hooks_policies
from integrity.publicrecords.tests import hooks as hooks_publicrecords
from integrity.records.tests import hooks as hooks_records
from integrity.training.tests import hooks as hooks_training
from tests.support import Route, Sample

PARTS = (hooks_training, hooks_policies, hooks_records, hooks_publicrecords)

ROUTE_SAMPLE_EXCLUSIONS = {k: v for part in PARTS for k, v in getattr(part, "ROUTE_SAMPLE_EXCLUSIONS", {}).items()}


def admin_rows_ensure() -> None:
    for part in PARTS:
        part.admin_rows_ensure()


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    samples: dict[str, Callable[[Mapping[str, object], Route], Sample]] = {}
    for part in PARTS:
        samples |= part.route_samples()
    return samples


def seed_private_markers(*, personas, marker) -> list[str]:
    return [m for part in PARTS for m in part.seed_private_markers(personas=personas, marker=marker)]
