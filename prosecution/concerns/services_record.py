"""Correcting the record of a concern: photos (hide, redact), public text, category, location.
Each service owns its transaction and audit entry."""

from __future__ import annotations

import logging
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff
from jcr.core.models import Area, AreaAssignment
from jcr.core.services import email_queue
from jcr.core.uploads import image_redact, image_store, image_thumbnail
from prosecution.concerns.models import THUMBNAIL_SIZE, Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.services import (
    blur,
    concern_assignment_record,
    concern_due_dates_recompute,
    concern_place,
    owner_for,
)

log = logging.getLogger(__name__)


# --- Correcting the record: photos (hide, redact), public text, category, location -------------


def _photo_locked(photo: ConcernPhoto) -> ConcernPhoto:
    return ConcernPhoto.objects.select_for_update(of=("self",)).select_related("concern").get(pk=photo.pk)


def _photo_history(photo: ConcernPhoto, change: str, actor) -> None:
    """A "photo" row in the concern's history (staff only), the photo named by its number."""
    number = ConcernPhoto.objects.filter(concern_id=photo.concern_id, pk__lte=photo.pk).count()
    ConcernUpdate.objects.create(
        concern_id=photo.concern_id,
        kind=ConcernUpdate.Kind.PHOTO,
        author=actor,
        change={"photo": number, "change": change},
    )


def _storage_delete_on_commit(*names: str) -> None:
    """Remove files once the change that replaced them is committed (a rollback keeps them)."""

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
    _photo_history(photo, ConcernUpdate.PhotoChange.HIDDEN if hidden else ConcernUpdate.PhotoChange.SHOWN, actor)
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
    _photo_history(photo, ConcernUpdate.PhotoChange.REDACTED, actor)
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
    _photo_history(photo, ConcernUpdate.PhotoChange.UNREDACTED, actor)
    audit_record(
        action="prosecution.photo.unredact",
        obj=photo.concern,
        actor=actor,
        before={"photo": photo.pk, "redactions": before},
        after={"photo": photo.pk, "redactions": []},
    )
    return photo


@transaction.atomic
def concern_set_public_text(*, concern: Concern, text: str, actor, publish: bool = True) -> Concern:
    """Review what the public reads of a concern. `publish=True` publishes `text` (e.g. the
    resident's words without a name or a phone number); an empty text, or the resident's text
    unchanged, publishes what the resident wrote. `publish=False` keeps the text off every
    public page (the public version typed is kept for later). The resident's own description
    is always kept for staff. The audit entry keeps before and after.

    Raises ValidationError when publishing the text of a category whose text is never public.
    """
    concern = Concern.objects.select_for_update(of=("self",)).select_related("category").get(pk=concern.pk)
    text = text.strip()
    if text == concern.description:
        text = ""
    if publish and concern.category.text_publication == Category.TextPublication.NEVER:
        raise ValidationError(_("The text of this kind of concern is never published."))
    state = Concern.TextState.PUBLISHED if publish else Concern.TextState.WITHHELD
    before = {"public_description": concern.public_description, "public_text_state": concern.public_text_state}
    if before == {"public_description": text, "public_text_state": state}:
        return concern
    concern.public_description = text
    concern.public_text_state = state
    concern.save(update_fields=["public_description", "public_text_state", "updated_at"])
    b, a = diff(before, {"public_description": text, "public_text_state": state})
    audit_record(action="prosecution.concern.public_text", obj=concern, actor=actor, before=b, after=a)
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
    concern_due_dates_recompute(concern)  # the new category may have its own service level
    concern.save(update_fields=["category", "is_sensitive", "answers", "acknowledge_by", "resolve_by", "updated_at"])
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
    areas = concern_place(concern)
    concern.areas.set(areas)
    rerouted = False
    previous = concern.assignee
    if concern.assignee is None or not _covers(concern.assignee, areas):
        owner = owner_for(areas)
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
    if rerouted:
        concern_assignment_record(concern=concern, before=previous, actor=actor)
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
