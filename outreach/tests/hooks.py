"""Quality-gate hooks of the Community Outreach & Media Relations Unit (see
jcr.core.testing.hook_modules). Each part of the unit keeps its own hooks module; this one
combines them."""

from __future__ import annotations

from outreach.tests import hooks_media


def admin_rows_ensure() -> None:
    hooks_media.admin_rows_ensure()


def seed_private_markers(*, personas, marker) -> list[str]:
    return [*hooks_media.seed_private_markers(personas=personas, marker=marker)]


def route_samples() -> dict:
    return {**hooks_media.route_samples()}
