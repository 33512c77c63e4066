"""Writes about problem-solving projects (SARA). A project with a concern of a sensitive
category is never public."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.geo import areas_containing
from jcr.core.models import Area
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.selectors import concerns_at_location
from prosecution.concerns.services import blur
from prosecution.projects.models import OwnerContact, Project, ProjectAction, ProjectConcern, ProjectPartner


def _project_place(project) -> list[Area]:
    if not project.has_location:
        return []
    return areas_containing(lon=project.longitude, lat=project.latitude)


def project_repeat_location_compute(*, project, now=None) -> bool:
    """Whether the project's place had at least JCR_PROJECT_REPEAT_MIN concerns within
    JCR_PROJECT_RADIUS_M metres in the last 12 months (its linked concerns when it has no pin)."""
    now = now or timezone.now()
    since = now - timedelta(days=365)
    if project.has_location:
        count = len(
            concerns_at_location(
                latitude=project.latitude,
                longitude=project.longitude,
                radius_m=settings.JCR_PROJECT_RADIUS_M,
                since=since,
            )
        )
    else:
        count = project.concern_links.filter(concern__created_at__gte=since).count()
    return count >= settings.JCR_PROJECT_REPEAT_MIN


def _project_snapshot(project) -> dict:
    return {**snapshot(project), "areas": sorted(project.areas.values_list("pk", flat=True))}


PROJECT_FIELDS = (
    "title",
    "address",
    "parcel_number",
    "latitude",
    "longitude",
    "public_summary",
    "analysis",
    "is_public",
    "response_started_on",
    "owner",
)


def _project_has_sensitive(project) -> bool:
    return project.pk is not None and project.concern_links.filter(concern__is_sensitive=True).exists()


@transaction.atomic
def project_save(*, project=None, actor, **fields):
    """Create a project (project=None, stage "scanning") or change one; `fields` are among
    PROJECT_FIELDS. The project is placed in the areas of its pin and its repeat-location flag
    is recomputed (a stored flag: see project_repeat_location_compute). Raises
    ValidationError for a public project with a concern of a sensitive category, a pin with
    only one coordinate, or an empty title."""
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown project fields: {sorted(unknown)}")
    created = project is None
    if created:
        project = Project()
        before = {}
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = _project_snapshot(project)
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    if (project.latitude is None) != (project.longitude is None):
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    if project.is_public and _project_has_sensitive(project):
        raise ValidationError(_("This project groups a concern of a sensitive category, so it cannot be public."))
    project.public_latitude = blur(project.latitude)
    project.public_longitude = blur(project.longitude)
    project.full_clean(exclude=["areas", "concerns", "partners"])
    project.save()
    project.areas.set(_project_place(project))
    repeat = project_repeat_location_compute(project=project)
    if repeat != project.is_repeat_location:
        project.is_repeat_location = repeat
        project.save(update_fields=["is_repeat_location", "updated_at"])
    b, a = diff(before, _project_snapshot(project))
    audit_record(
        action="prosecution.project.create" if created else "prosecution.project.update",
        obj=project,
        actor=actor,
        before=b or None,
        after=a,
    )
    return project


@transaction.atomic
def project_set_stage(*, project, stage: str, actor):
    """Move a project to a SARA stage (audit entry "prosecution.project.stage" is its history).
    Moving to "response" without a response date sets it to today; "closed" stamps closed_at."""
    if stage not in Project.Stage.values:
        raise ValidationError(_("Unknown stage."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if stage == project.stage:
        raise ValidationError(_("The project is already at this stage."))
    before = {"stage": project.stage, "response_started_on": project.response_started_on}
    project.stage = stage
    if stage == Project.Stage.RESPONSE and project.response_started_on is None:
        project.response_started_on = timezone.localdate()
    project.closed_at = timezone.now() if stage == Project.Stage.CLOSED else None
    project.stage_history = [
        *project.stage_history,
        {
            "at": timezone.now().isoformat(),
            "from": before["stage"],
            "to": stage,
            "by": (getattr(actor, "full_name", "") or getattr(actor, "email", "")) if actor else "",
        },
    ]
    project.save(update_fields=["stage", "response_started_on", "closed_at", "stage_history", "updated_at"])
    audit_record(
        action="prosecution.project.stage",
        obj=project,
        actor=actor,
        before=before,
        after={"stage": stage, "response_started_on": project.response_started_on},
    )
    return project


@transaction.atomic
def project_add_concern(*, project, concern: Concern, actor) -> tuple[object, bool]:
    """Group a concern into a project. Returns (link, unpublished): a public project that gets
    a concern of a sensitive category is made private in the same transaction. Raises
    ValidationError when the concern is already in the project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.concern_links.filter(concern=concern).exists():
        raise ValidationError(_("Concern %(code)s is already in this project.") % {"code": concern.tracking_code})
    link = ProjectConcern.objects.create(project=project, concern=concern, added_by=actor)
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.INTERNAL_NOTE,
        author=actor,
        text=_("Added to the problem-solving project “%(title)s”.") % {"title": project.title},
    )
    unpublished = False
    if concern.is_sensitive and project.is_public:
        project.is_public = False
        project.save(update_fields=["is_public", "updated_at"])
        unpublished = True
    repeat = project_repeat_location_compute(project=project)
    if repeat != project.is_repeat_location:
        project.is_repeat_location = repeat
        project.save(update_fields=["is_repeat_location", "updated_at"])
    audit_record(
        action="prosecution.project.add_concern",
        obj=project,
        actor=actor,
        after={"concern": str(concern.public_id), "unpublished": unpublished},
    )
    return link, unpublished


@transaction.atomic
def project_remove_concern(*, project, concern: Concern, actor) -> None:
    deleted, _rows = project.concern_links.filter(concern=concern).delete()
    if not deleted:
        raise ValidationError(_("That concern is not in this project."))
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.INTERNAL_NOTE,
        author=actor,
        text=_("Removed from the problem-solving project “%(title)s”.") % {"title": project.title},
    )
    audit_record(
        action="prosecution.project.remove_concern",
        obj=project,
        actor=actor,
        before={"concern": str(concern.public_id)},
    )


@transaction.atomic
def project_add_partner(*, project, partner, actor, role: str = ""):
    """A partner works on the project. Raises ValidationError if it already does or is inactive."""
    if not partner.is_active:
        raise ValidationError(_("%(partner)s is no longer an active partner.") % {"partner": partner.name})
    if project.partner_links.filter(partner=partner).exists():
        raise ValidationError(_("%(partner)s already works on this project.") % {"partner": partner.name})
    link = ProjectPartner.objects.create(project=project, partner=partner, role=role.strip())
    audit_record(
        action="prosecution.project.add_partner", obj=project, actor=actor, after={"partner": partner.pk, "role": role}
    )
    return link


@transaction.atomic
def project_action_add(*, project, description: str, actor, owner=None, owner_partner=None, due_on=None):
    action = ProjectAction(
        project=project, description=description.strip(), owner=owner, owner_partner=owner_partner, due_on=due_on
    )
    action.full_clean()
    action.save()
    audit_record(action="prosecution.project.action_add", obj=project, actor=actor, after=snapshot(action))
    return action


@transaction.atomic
def project_action_done(*, action, actor):
    """Mark an action done (once: a second call raises ValidationError)."""
    claimed = ProjectAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
    if claimed != 1:
        raise ValidationError(_("This action is already done."))
    action.refresh_from_db()
    audit_record(
        action="prosecution.project.action_done",
        obj=action.project,
        actor=actor,
        after={"action": str(action.public_id), "done_at": action.done_at},
    )
    return action


@transaction.atomic
def owner_contact_add(*, project, actor, contacted_on, method: str, contact_name: str, summary: str):
    """Log a contact with the property owner or landlord (internal)."""
    entry = OwnerContact(
        project=project,
        contacted_on=contacted_on,
        method=method,
        contact_name=contact_name.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit_record(action="prosecution.project.owner_contact", obj=project, actor=actor, after={"entry": entry.pk})
    return entry
