"""Writes of the Community Prosecution Unit. Each service owns its transaction and audit entry."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.geo import areas_containing
from jcr.core.models import Area, AreaAssignment
from jcr.core.services import email_queue
from jcr.core.uploads import CleanImage, image_store
from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate

log = logging.getLogger(__name__)

MAX_PHOTOS = 5
# Public surfaces show a location snapped to a grid of about a block (~150 m north-south,
# ~130 m east-west here). Snapping, not random noise: repeated reports of one place cannot be
# averaged back to the exact address.
BLUR_DEGREES = 0.0015
# Which areas decide the owner of a concern, most specific first.
ROUTING_KINDS = (Area.Kind.CPU_BEAT, Area.Kind.NEIGHBORHOOD, Area.Kind.POLICE_DISTRICT)


def blur(value: float | None) -> float | None:
    if value is None:
        return None
    return round(round(value / BLUR_DEGREES) * BLUR_DEGREES, 6)


def _owner_for(areas: Iterable[Area]):
    """The community prosecutor assigned to the most specific area, or None (supervisors' queue)."""
    by_kind = {area.kind: area for area in areas}
    for kind in ROUTING_KINDS:
        area = by_kind.get(kind)
        if area is None:
            continue
        assignment = (
            AreaAssignment.objects.filter(
                area=area, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR, user__is_active=True
            )
            .select_related("user")
            .order_by("created_at", "id")
            .first()
        )
        if assignment:
            return assignment.user
    return None


def _place(concern: Concern) -> list[Area]:
    if not concern.has_location:
        return []
    return areas_containing(lon=concern.longitude, lat=concern.latitude)


def concern_submit(
    *,
    category: Category,
    description: str,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    when_happens: str = "",
    answers: dict | None = None,
    photos: Iterable[CleanImage] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "en",
    submission_key: UUID | None = None,
    source: str = Concern.Source.WEB,
    notify: bool = True,
) -> tuple[Concern, bool]:
    """Save a resident's concern, place it in its areas and route it to its prosecutor.

    Returns (concern, created). The same `submission_key` twice (double click, back button,
    retry after a timeout) returns the first concern with created=False and changes nothing.
    Raises ValidationError for a concern with neither an address nor a location, more than
    MAX_PHOTOS photos, or an inactive category. `notify=False` (demo data only) queues no
    e-mail to the resident or the owner.
    """
    if submission_key is not None:
        existing = Concern.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
    if not category.is_active:
        raise ValidationError(_("This category no longer takes new reports."))
    if not address.strip() and (latitude is None or longitude is None):
        raise ValidationError(_("Give an address or place a pin on the map."))
    try:
        with transaction.atomic():
            concern = Concern(
                submission_key=submission_key,
                source=source,
                category=category,
                is_sensitive=category.is_sensitive,
                description=description.strip(),
                answers=answers or {},
                when_happens=when_happens,
                address=address.strip(),
                latitude=latitude,
                longitude=longitude,
                public_latitude=blur(latitude),
                public_longitude=blur(longitude),
                contact_name=contact_name.strip(),
                contact_email=contact_email.strip().lower(),
                contact_phone=contact_phone.strip(),
                language=language,
            )
            concern.full_clean(exclude=["areas"])
            concern.save()
            areas = _place(concern)
            concern.areas.set(areas)
            concern.assignee = _owner_for(areas)
            concern.save(update_fields=["assignee"])
            for clean in photos:
                name = image_store(clean, folder=f"concerns/{timezone.now():%Y/%m}")
                ConcernPhoto.objects.create(concern=concern, image=name, width=clean.width, height=clean.height)
            audit_record(
                action="prosecution.concern.submit",
                obj=concern,
                actor=None,
                after={**snapshot(concern), "areas": [a.pk for a in areas], "photos": len(photos)},
            )
            if notify:
                _notify_submitted(concern)
    except IntegrityError:
        # Two copies of one submission raced past the check above: the first one won.
        if submission_key is None:
            raise
        return Concern.objects.get(submission_key=submission_key), False
    return concern, True


def _notify_submitted(concern: Concern) -> None:
    from prosecution.tasks import concern_photo_thumbnail as concern_photo_thumbnail_task

    for photo_id in concern.photos.values_list("pk", flat=True):
        transaction.on_commit(lambda pk=photo_id: _thumbnail_enqueue(concern_photo_thumbnail_task, pk))
    if concern.contact_email:
        email_queue(
            to=concern.contact_email,
            template="prosecution/concern_received",
            context={"concern": concern},
            language=concern.language,
            related=concern,
        )
    if concern.assignee and concern.assignee.email:
        email_queue(
            to=concern.assignee.email,
            template="prosecution/concern_assigned",
            context={"concern": concern},
            language=concern.assignee.preferred_language,
            related=concern,
        )


def _thumbnail_enqueue(task, photo_id: int) -> None:
    try:
        task.apply_async(kwargs={"photo_id": photo_id}, retry=False)
    except Exception:
        log.warning("broker unavailable: thumbnail of photo %s waits for the sweep", photo_id, exc_info=True)


@transaction.atomic
def concern_add_info(*, concern: Concern, text: str, photos: Iterable[CleanImage] = ()) -> ConcernUpdate:
    """The resident adds information (and photos, within the limit of MAX_PHOTOS in all)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    photos = list(photos)
    if not text.strip() and not photos:
        raise ValidationError(_("Write something or add a photo."))
    if concern.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("A concern can have at most %(max)d photos.") % {"max": MAX_PHOTOS})
    update = ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.RESIDENT_INFO, text=text.strip())
    for clean in photos:
        name = image_store(clean, folder=f"concerns/{timezone.now():%Y/%m}")
        ConcernPhoto.objects.create(concern=concern, image=name, width=clean.width, height=clean.height)
    audit_record(action="prosecution.concern.add_info", obj=concern, actor=None, after={"photos": len(photos)})
    _notify_owner(concern, template="prosecution/concern_resident_info")
    return update


@transaction.atomic
def concern_not_fixed(*, concern: Concern, text: str) -> Concern:
    """The resident says a resolved or closed concern is not fixed: it reopens and its owner
    is told."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_open:
        raise ValidationError(_("This concern is still open: add information to it instead."))
    before = snapshot(concern)
    status_from = concern.status
    concern.status = Concern.Status.UNDER_REVIEW
    concern.reopened_count += 1
    concern.resolved_at = None
    concern.close_reason = ""
    concern.save(update_fields=["status", "reopened_count", "resolved_at", "close_reason", "updated_at"])
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.NOT_FIXED,
        text=text.strip(),
        status_from=status_from,
        status_to=concern.status,
    )
    b, a = diff(before, snapshot(concern))
    audit_record(action="prosecution.concern.reopen", obj=concern, actor=None, before=b, after=a)
    _notify_owner(concern, template="prosecution/concern_reopened")
    return concern


def _notify_owner(concern: Concern, *, template: str) -> None:
    if concern.assignee and concern.assignee.email:
        email_queue(
            to=concern.assignee.email,
            template=template,
            context={"concern": concern},
            language=concern.assignee.preferred_language,
            related=concern,
        )


@transaction.atomic
def concern_set_status(
    *, concern: Concern, status: str, actor, public_text: str = "", close_reason: str = ""
) -> Concern:
    """Staff move a concern along its lifecycle, with an optional public update that the
    resident sees (and receives by e-mail, in their language, when they gave an address)."""
    if status not in Concern.Status.values:
        raise ValidationError(_("Unknown status."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if status == Concern.Status.CLOSED and not close_reason.strip():
        raise ValidationError(_("Give a reason for closing."))
    before = snapshot(concern)
    status_from = concern.status
    now = timezone.now()
    concern.status = status
    if concern.acknowledged_at is None and status != Concern.Status.RECEIVED:
        concern.acknowledged_at = now
    concern.resolved_at = now if status in Concern.CLOSED_STATUSES else None
    concern.close_reason = close_reason.strip() if status == Concern.Status.CLOSED else ""
    concern.save()
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.STATUS,
        author=actor,
        text=public_text.strip(),
        status_from=status_from,
        status_to=status,
    )
    b, a = diff(before, snapshot(concern))
    audit_record(action="prosecution.concern.status", obj=concern, actor=actor, before=b, after=a)
    if concern.contact_email and (public_text.strip() or status != status_from):
        email_queue(
            to=concern.contact_email,
            template="prosecution/concern_updated",
            context={"concern": concern, "text": public_text.strip()},
            language=concern.language,
            related=concern,
        )
    return concern


@transaction.atomic
def concern_add_note(*, concern: Concern, text: str, actor) -> ConcernUpdate:
    """An internal note: staff only, never shown to the resident or the public."""
    if not text.strip():
        raise ValidationError(_("The note is empty."))
    update = ConcernUpdate.objects.create(
        concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, author=actor, text=text.strip()
    )
    audit_record(action="prosecution.concern.note", obj=concern, actor=actor, after={"update": update.pk})
    return update


@transaction.atomic
def concern_assign(*, concern: Concern, assignee, actor) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    before = {"assignee_id": concern.assignee_id}
    concern.assignee = assignee
    concern.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action="prosecution.concern.assign",
        obj=concern,
        actor=actor,
        before=before,
        after={"assignee_id": assignee.pk if assignee else None},
    )
    if assignee is not None and assignee.email and assignee != actor:
        email_queue(
            to=assignee.email,
            template="prosecution/concern_assigned",
            context={"concern": concern},
            language=assignee.preferred_language,
            related=concern,
        )
    return concern


@transaction.atomic
def concern_set_priority(*, concern: Concern, priority: str, actor) -> Concern:
    """Staff set how urgent a concern is. Raises ValidationError for an unknown priority."""
    if priority not in Concern.Priority.values:
        raise ValidationError(_("Unknown priority."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    before = {"priority": concern.priority}
    concern.priority = priority
    concern.save(update_fields=["priority", "updated_at"])
    audit_record(
        action="prosecution.concern.priority", obj=concern, actor=actor, before=before, after={"priority": priority}
    )
    return concern


# --- Partners, referrals, problem-solving projects and the "is it fixed?" follow-up ------------
# Business rules: a referral goes only to an active partner with an e-mail address, never for a
# closed concern, and the partner never receives the resident's contact details; a project with
# a concern of a sensitive category is never public; the follow-up is sent once per resolution.


def _partner_models():
    from prosecution import models as m

    return m


def _partner_snapshot(partner) -> dict:
    return {
        **snapshot(partner),
        "areas": sorted(partner.areas.values_list("pk", flat=True)),
        "categories": sorted(partner.categories.values_list("pk", flat=True)),
    }


PARTNER_FIELDS = ("name", "kind", "jurisdiction", "website", "phone", "notes", "is_active")


@transaction.atomic
def partner_save(*, partner=None, actor, areas: Iterable[Area] = (), categories: Iterable[Category] = (), **fields):
    """Create a partner (partner=None) or change one. `fields` are among PARTNER_FIELDS.
    Raises ValidationError for an empty name or a bad value."""
    m = _partner_models()
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    created = partner is None
    if created:
        partner = m.Partner()
        before = {}
    else:
        partner = m.Partner.objects.select_for_update().get(pk=partner.pk)
        before = _partner_snapshot(partner)
    for name, value in fields.items():
        setattr(partner, name, value.strip() if isinstance(value, str) else value)
    partner.full_clean(exclude=["areas", "categories"])
    partner.save()
    partner.areas.set(list(areas))
    partner.categories.set(list(categories))
    b, a = diff(before, _partner_snapshot(partner))
    audit_record(
        action="prosecution.partner.create" if created else "prosecution.partner.update",
        obj=partner,
        actor=actor,
        before=b or None,
        after=a,
    )
    return partner


@transaction.atomic
def partner_contact_add(
    *, partner, actor, name: str, role: str = "", email: str = "", phone: str = "", is_primary: bool = False
):
    """Add a contact person to a partner; a new primary contact replaces the old one."""
    m = _partner_models()
    partner = m.Partner.objects.select_for_update().get(pk=partner.pk)
    contact = m.PartnerContact(
        partner=partner,
        name=name.strip(),
        role=role.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        is_primary=is_primary,
    )
    contact.full_clean()
    if is_primary:
        partner.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    audit_record(action="prosecution.partner.contact_add", obj=partner, actor=actor, after=snapshot(contact))
    return contact


@transaction.atomic
def partner_contact_remove(*, contact, actor) -> None:
    """Remove a contact person (referrals sent to them keep the address they went to)."""
    before = snapshot(contact)
    partner = contact.partner
    contact.delete()
    audit_record(action="prosecution.partner.contact_remove", obj=partner, actor=actor, before=before)


def _referral_address(partner, contact) -> tuple[object, str]:
    """(contact, e-mail) a referral goes to: the chosen contact, else the primary contact,
    else any contact with an address."""
    if contact is not None:
        if contact.partner_id != partner.pk:
            raise ValidationError(_("That contact does not work for this partner."))
        if not contact.email:
            raise ValidationError(_("%(name)s has no e-mail address: choose another contact.") % {"name": contact.name})
        return contact, contact.email
    found = partner.contacts.exclude(email="").order_by("-is_primary", "name", "id").first()
    if found is None:
        raise ValidationError(
            _("%(partner)s has no contact with an e-mail address: add one to the partner first.")
            % {"partner": partner.name}
        )
    return found, found.email


def concern_refer(*, concern: Concern, partner, actor, contact=None, message: str = ""):
    """Refer a concern to a partner: a Referral row, an e-mail to the partner's contact with
    what a partner may see (category, public text, address and place; never the resident's
    name, e-mail or phone), and the concern moves to "referred" with a public update that
    names the partner. Raises ValidationError for a closed concern, an inactive partner or a
    partner without an e-mail address."""
    m = _partner_models()
    with transaction.atomic():
        concern = Concern.objects.select_for_update().select_related("category").get(pk=concern.pk)
        if not concern.is_open:
            raise ValidationError(_("This concern is closed: reopen it before referring it."))
        if not partner.is_active:
            raise ValidationError(_("%(partner)s is no longer an active partner.") % {"partner": partner.name})
        contact, to_email = _referral_address(partner, contact)
        referral = m.Referral.objects.create(
            concern=concern,
            partner=partner,
            contact=contact,
            to_email=to_email,
            message=message.strip(),
            referred_by=actor,
        )
        email = email_queue(
            to=to_email,
            template="prosecution/partner_referral",
            context={"concern": concern, "partner": partner, "contact": contact, "message": referral.message},
            language="en",
            related=referral,
        )
        m.Referral.objects.filter(pk=referral.pk).update(email=email)
        referral.email = email
        # Listed in the concern's history on the staff page (never public).
        note = _("Referred to %(partner)s: e-mail to %(to)s.") % {
            "partner": partner.name,
            "to": f"{contact.name} <{to_email}>" if contact is not None else to_email,
        }
        if referral.message:
            note += "\n" + _("Message: %(message)s") % {"message": referral.message}
        ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, author=actor, text=note)
        audit_record(
            action="prosecution.concern.refer",
            obj=concern,
            actor=actor,
            after={"referral": str(referral.public_id), "partner": partner.pk, "to": to_email},
        )
        # The public update names the agency only, in the resident's language.
        with translation.override(concern.language):
            public_text = _("Your report was referred to %(partner)s, who can act on it.") % {"partner": partner.name}
        concern_set_status(concern=concern, status=Concern.Status.REFERRED, actor=actor, public_text=public_text)
    return referral


# --- Projects


def _project_place(project) -> list[Area]:
    if not project.has_location:
        return []
    return areas_containing(lon=project.longitude, lat=project.latitude)


def project_repeat_location_compute(*, project, now=None) -> bool:
    """Whether the project's place had at least JCR_PROJECT_REPEAT_MIN concerns within
    JCR_PROJECT_RADIUS_M metres in the last 12 months (its linked concerns when it has no pin)."""
    from datetime import timedelta

    from django.conf import settings

    from prosecution.selectors import concerns_at_location

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
    m = _partner_models()
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"unknown project fields: {sorted(unknown)}")
    created = project is None
    if created:
        project = m.Project()
        before = {}
    else:
        project = m.Project.objects.select_for_update().get(pk=project.pk)
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
    m = _partner_models()
    if stage not in m.Project.Stage.values:
        raise ValidationError(_("Unknown stage."))
    project = m.Project.objects.select_for_update().get(pk=project.pk)
    if stage == project.stage:
        raise ValidationError(_("The project is already at this stage."))
    before = {"stage": project.stage, "response_started_on": project.response_started_on}
    project.stage = stage
    if stage == m.Project.Stage.RESPONSE and project.response_started_on is None:
        project.response_started_on = timezone.localdate()
    project.closed_at = timezone.now() if stage == m.Project.Stage.CLOSED else None
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
    m = _partner_models()
    project = m.Project.objects.select_for_update().get(pk=project.pk)
    if project.concern_links.filter(concern=concern).exists():
        raise ValidationError(_("Concern %(code)s is already in this project.") % {"code": concern.tracking_code})
    link = m.ProjectConcern.objects.create(project=project, concern=concern, added_by=actor)
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
    m = _partner_models()
    if not partner.is_active:
        raise ValidationError(_("%(partner)s is no longer an active partner.") % {"partner": partner.name})
    if project.partner_links.filter(partner=partner).exists():
        raise ValidationError(_("%(partner)s already works on this project.") % {"partner": partner.name})
    link = m.ProjectPartner.objects.create(project=project, partner=partner, role=role.strip())
    audit_record(
        action="prosecution.project.add_partner", obj=project, actor=actor, after={"partner": partner.pk, "role": role}
    )
    return link


@transaction.atomic
def project_action_add(*, project, description: str, actor, owner=None, owner_partner=None, due_on=None):
    m = _partner_models()
    action = m.ProjectAction(
        project=project, description=description.strip(), owner=owner, owner_partner=owner_partner, due_on=due_on
    )
    action.full_clean()
    action.save()
    audit_record(action="prosecution.project.action_add", obj=project, actor=actor, after=snapshot(action))
    return action


@transaction.atomic
def project_action_done(*, action, actor):
    """Mark an action done (once: a second call raises ValidationError)."""
    m = _partner_models()
    claimed = m.ProjectAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
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
    m = _partner_models()
    entry = m.OwnerContact(
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


# --- "Is it fixed?" follow-up


def followup_send_due(*, now=None, limit: int = 500) -> int:
    """Create the follow-up of every concern resolved JCR_FOLLOWUP_DAYS days ago whose resident
    gave an e-mail address, and queue its e-mail in the resident's language. Returns how many
    were created.

    Exactly once per resolution: the unique (concern, resolved_at) constraint makes a second
    run, or two runs at once, a no-op for concerns already handled. Concerns resolved more
    than JCR_FOLLOWUP_VALID_DAYS days before they became due are not asked (the question
    would come too late to mean anything).
    """
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Exists, OuterRef

    m = _partner_models()
    now = now or timezone.now()
    due_before = now - timedelta(days=settings.JCR_FOLLOWUP_DAYS)
    too_old = due_before - timedelta(days=settings.JCR_FOLLOWUP_VALID_DAYS)
    asked = m.FollowUp.objects.filter(concern=OuterRef("pk"), resolved_at=OuterRef("resolved_at"))
    due = (
        Concern.objects.filter(
            status=Concern.Status.RESOLVED,
            resolved_at__lte=due_before,
            resolved_at__gt=too_old,
        )
        .exclude(contact_email="")
        .filter(~Exists(asked))
        .order_by("resolved_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    created = 0
    for concern_id in list(due):
        try:
            with transaction.atomic():
                concern = Concern.objects.select_related("category").get(pk=concern_id)
                followup = m.FollowUp.objects.create(concern=concern, resolved_at=concern.resolved_at, sent_at=now)
                email = email_queue(
                    to=concern.contact_email,
                    template="prosecution/concern_followup",
                    context={"concern": concern, "followup": followup},
                    language=concern.language,
                    related=concern,
                )
                m.FollowUp.objects.filter(pk=followup.pk).update(email=email)
                audit_record(
                    action="prosecution.concern.followup_sent", obj=concern, actor=None, after={"followup": followup.pk}
                )
        except IntegrityError:
            continue  # another run made it first
        created += 1
    return created


def followup_answer(*, followup, answer: str) -> tuple[object, bool]:
    """Record the resident's answer. Returns (followup, recorded): a second answer keeps the
    first (recorded=False). "Not fixed" reopens a resolved concern and tells its owner
    (concern_not_fixed). Raises ValidationError for an unknown answer."""
    m = _partner_models()
    if answer not in m.FollowUp.Answer.values:
        raise ValidationError(_("Choose one of the answers."))
    with transaction.atomic():
        followup = m.FollowUp.objects.select_for_update().select_related("concern").get(pk=followup.pk)
        if followup.answered_at is not None:
            return followup, False
        followup.answer = answer
        followup.answered_at = timezone.now()
        followup.save(update_fields=["answer", "answered_at", "updated_at"])
        audit_record(
            action="prosecution.concern.followup_answer", obj=followup.concern, actor=None, after={"answer": answer}
        )
        concern = followup.concern
        with translation.override(concern.language):
            text = _("Answer to the “is it fixed?” question: %(answer)s") % {"answer": followup.get_answer_display()}
        if answer == m.FollowUp.Answer.NOT_FIXED and not concern.is_open:
            concern_not_fixed(concern=concern, text=text)
        else:
            # Shown in the concern's history on the staff page (never public).
            ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.RESIDENT_INFO, text=text)
    return followup, True
