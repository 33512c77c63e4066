"""What the public may find of the unit in the site search (jcr.core.search): problem-solving
projects marked public, never one linked to a concern of a sensitive category."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jcr.core.search import Source
from prosecution.projects.selectors import project_public_queryset


def _projects():
    return project_public_queryset()


def sources() -> list[Source]:
    return [
        Source(
            key="project",
            label=_("Problem-solving project"),
            queryset=_projects,
            text={"en": ("title", "public_summary")},
            title={"en": "title"},
            summary={"en": "public_summary"},
            url=lambda public_id: reverse("prosecution:project_public", kwargs={"public_id": public_id}),
            url_fields=("public_id",),
            date_field="updated_at",
        )
    ]
