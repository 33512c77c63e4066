"""Writes of the Community Prosecution Unit. Each service owns its transaction and audit entry."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
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


# --- Correcting the record: photos (hide, redact), public text, category, location -------------


def _photo_locked(photo: ConcernPhoto) -> ConcernPhoto:
    return ConcernPhoto.objects.select_for_update(of=("self",)).select_related("concern").get(pk=photo.pk)


def _storage_delete_on_commit(*names: str) -> None:
    """Remove files once the change that replaced them is committed (a rollback keeps them)."""
    from django.core.files.storage import default_storage

    def delete() -> None:
        for name in names:
            if name:
                try:
                    default_storage.delete(name)
                except OSError:
                    log.warning("could not delete %s", name, exc_info=True)

    transaction.on_commit(delete)


@transaction.atomic
def concern_photo_set_hidden(*, photo: ConcernPhoto, hidden: bool, actor) -> ConcernPhoto:
    """Hide a photo from every public surface, or show it again. Its public address changes
    either way, so an address handed out before never serves it again."""
    photo = _photo_locked(photo)
    if photo.is_hidden == hidden:
        return photo
    photo.is_hidden = hidden
    photo.public_id = uuid4()
    photo.save(update_fields=["is_hidden", "public_id", "updated_at"])
    audit_record(
        action="prosecution.photo.hide" if hidden else "prosecution.photo.unhide",
        obj=photo.concern,
        actor=actor,
        before={"photo": photo.pk, "is_hidden": not hidden},
        after={"photo": photo.pk, "is_hidden": hidden},
    )
    return photo


WHOLE_PHOTO = (0.0, 0.0, 100.0, 100.0)


@transaction.atomic
def concern_photo_redact(
    *, photo: ConcernPhoto, actor, region: tuple[float, float, float, float] | None = None
) -> ConcernPhoto:
    """Blur a rectangle of a photo (x, y, width, height in percent), or the whole photo when
    `region` is None, in the version the public gets. Regions add up: each call redacts one
    more. The public version is re-made from the original, which is never changed and stays
    for staff; its thumbnail is made at once, so the public never gets the original's.

    Raises ValidationError for a region outside the photo.
    """
    from jcr.core.uploads import image_redact, image_store, image_thumbnail
    from prosecution.tasks import THUMBNAIL_SIZE

    region = WHOLE_PHOTO if region is None else tuple(float(v) for v in region)
    x, y, w, h = region
    # A hair of slack for sums of decimals (33.3 + 66.7); image_redact clamps to the edges.
    if not (0 <= x < 100 and 0 <= y < 100 and w > 0 and h > 0 and x + w <= 100.001 and y + h <= 100.001):
        raise ValidationError(_("The rectangle must lie inside the photo."))
    w, h = min(w, 100 - x), min(h, 100 - y)
    photo = _photo_locked(photo)
    before = list(photo.redactions)
    redactions = [*before, {"x": x, "y": y, "width": round(w, 3), "height": round(h, 3)}]
    try:
        clean = image_redact(name=photo.image, regions=[(r["x"], r["y"], r["width"], r["height"]) for r in redactions])
    except FileNotFoundError:
        raise ValidationError(_("The original of this photo is missing from storage.")) from None
    old = (photo.public_image, photo.public_thumbnail)
    photo.public_image = image_store(clean, folder=f"concerns/public/{timezone.now():%Y/%m}")
    photo.public_thumbnail = image_thumbnail(name=photo.public_image, size=THUMBNAIL_SIZE)
    photo.redactions = redactions
    photo.public_id = uuid4()
    photo.save(update_fields=["public_image", "public_thumbnail", "redactions", "public_id", "updated_at"])
    _storage_delete_on_commit(*old)
    audit_record(
        action="prosecution.photo.redact",
        obj=photo.concern,
        actor=actor,
        before={"photo": photo.pk, "redactions": before},
        after={"photo": photo.pk, "redactions": redactions},
    )
    return photo


@transaction.atomic
def concern_photo_unredact(*, photo: ConcernPhoto, actor) -> ConcernPhoto:
    """Undo every redaction: the public gets the original photo again (unless it is hidden)."""
    photo = _photo_locked(photo)
    if not photo.redactions and not photo.public_image:
        raise ValidationError(_("This photo is not redacted."))
    before = list(photo.redactions)
    old = (photo.public_image, photo.public_thumbnail)
    photo.public_image = photo.public_thumbnail = ""
    photo.redactions = []
    photo.public_id = uuid4()
    photo.save(update_fields=["public_image", "public_thumbnail", "redactions", "public_id", "updated_at"])
    _storage_delete_on_commit(*old)
    audit_record(
        action="prosecution.photo.unredact",
        obj=photo.concern,
        actor=actor,
        before={"photo": photo.pk, "redactions": before},
        after={"photo": photo.pk, "redactions": []},
    )
    return photo


@transaction.atomic
def concern_set_public_text(*, concern: Concern, text: str, actor) -> Concern:
    """Set what the public reads of a concern (e.g. without a name or a phone number). The
    resident's own description is kept for staff. An empty text, or the resident's text
    unchanged, means "show what the resident wrote". The audit entry keeps before and after."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    text = text.strip()
    if text == concern.description:
        text = ""
    before = concern.public_description
    if text == before:
        return concern
    concern.public_description = text
    concern.save(update_fields=["public_description", "updated_at"])
    audit_record(
        action="prosecution.concern.public_text",
        obj=concern,
        actor=actor,
        before={"public_description": before},
        after={"public_description": text},
    )
    return concern


@transaction.atomic
def concern_recategorize(*, concern: Concern, category: Category, actor, public_text: str = "") -> Concern:
    """Move a concern to another (active) category. Its sensitivity follows the category at
    once: into a sensitive one, it leaves every public surface; out of one, it appears. Answers
    to questions the new category also asks (same code) are kept, the others dropped. An
    optional public update is added to its history; nobody is notified.

    Raises ValidationError for an inactive category or the category it already has.
    """
    concern = Concern.objects.select_for_update(of=("self",)).select_related("category").get(pk=concern.pk)
    if not category.is_active:
        raise ValidationError(_("This category is no longer in use."))
    if category.pk == concern.category_id:
        raise ValidationError(_("The concern is already in this category."))
    codes = set(category.questions.values_list("code", flat=True))
    before = {
        "category": concern.category.code,
        "is_sensitive": concern.is_sensitive,
        "answers": concern.answers,
    }
    concern.category = category
    concern.is_sensitive = category.is_sensitive
    concern.answers = {code: value for code, value in concern.answers.items() if code in codes}
    concern.save(update_fields=["category", "is_sensitive", "answers", "updated_at"])
    if public_text.strip():
        ConcernUpdate.objects.create(
            concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, author=actor, text=public_text.strip()
        )
    audit_record(
        action="prosecution.concern.recategorize",
        obj=concern,
        actor=actor,
        before=before,
        after={"category": category.code, "is_sensitive": concern.is_sensitive, "answers": concern.answers},
    )
    return concern


def _covers(user, areas: list[Area]) -> bool:
    """Whether `user` still works the concern's place: a supervisor anywhere, a prosecutor in
    one of its areas."""
    if user.has_perm("prosecution.view_all_concerns"):
        return True
    return AreaAssignment.objects.filter(user=user, area__in=areas).exists()


@transaction.atomic
def concern_relocate(
    *, concern: Concern, actor, address: str = "", latitude: float | None = None, longitude: float | None = None
) -> tuple[Concern, bool]:
    """Correct where a concern is: its address and/or pin. The blurred public position and the
    areas are recomputed. An unassigned concern, or one whose assignee does not work the new
    place, is routed again the way a new concern is (the prosecutor of the most specific area,
    told by e-mail; otherwise the supervisors' queue).

    Returns (concern, rerouted). Raises ValidationError with neither an address nor a pin, or
    with half a pin.
    """
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Give both the latitude and the longitude, or neither."))
    if not address.strip() and latitude is None:
        raise ValidationError(_("Give an address or place a pin on the map."))
    concern = Concern.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=concern.pk)
    before = {
        "address": concern.address,
        "latitude": concern.latitude,
        "longitude": concern.longitude,
        "areas": sorted(concern.areas.values_list("pk", flat=True)),
        "assignee_id": concern.assignee_id,
    }
    concern.address = address.strip()
    concern.latitude, concern.longitude = latitude, longitude
    concern.public_latitude, concern.public_longitude = blur(latitude), blur(longitude)
    areas = _place(concern)
    concern.areas.set(areas)
    rerouted = False
    if concern.assignee is None or not _covers(concern.assignee, areas):
        owner = _owner_for(areas)
        rerouted = owner != concern.assignee
        concern.assignee = owner
    concern.save(
        update_fields=[
            "address",
            "latitude",
            "longitude",
            "public_latitude",
            "public_longitude",
            "assignee",
            "updated_at",
        ]
    )
    audit_record(
        action="prosecution.concern.relocate",
        obj=concern,
        actor=actor,
        before=before,
        after={
            "address": concern.address,
            "latitude": latitude,
            "longitude": longitude,
            "areas": sorted(a.pk for a in areas),
            "assignee_id": concern.assignee_id,
        },
    )
    if rerouted and concern.assignee is not None and concern.assignee != actor and concern.assignee.email:
        email_queue(
            to=concern.assignee.email,
            template="prosecution/concern_assigned",
            context={"concern": concern},
            language=concern.assignee.preferred_language,
            related=concern,
        )
    return concern, rerouted
