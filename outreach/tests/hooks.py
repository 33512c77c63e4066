"""Quality-gate hooks of the Community Outreach & Media Relations Unit (see
jcr.core.testing.hook_modules): each part of the unit keeps its own in a module of its own."""

from outreach.tests.hooks_dialogues import admin_rows_ensure, route_samples, seed_private_markers

__all__ = ["admin_rows_ensure", "route_samples", "seed_private_markers"]
