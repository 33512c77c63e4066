"""Writes about concerns on the residents' side: a report, added information, "not fixed", the
links e-mail. Each service owns its transaction and audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.geo import areas_containing
from jcr.core.models import Area, AreaAssignment
from jcr.core.services import email_queue
from jcr.core.uploads import CleanImage, image_store
from prosecution.concerns.models import MAX_PHOTOS, Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.reopen import concern_reopened_notify
from prosecution.concerns.resident_links import concern_action_links
from prosecution.concerns.service_levels import concern_due_dates

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


def owner_for(areas: Iterable[Area]):
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


def concern_place(concern: Concern) -> list[Area]:
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
            areas = concern_place(concern)
            concern.areas.set(areas)
            concern.assignee = owner_for(areas)
            concern.acknowledge_by, concern.resolve_by = concern_due_dates(concern)
            concern.save(update_fields=["assignee", "acknowledge_by", "resolve_by"])
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
    for photo_id in concern.photos.values_list("pk", flat=True):
        work.delay_on_commit("prosecution.concerns.concern_photo_thumbnail", photo_id=photo_id)
    if concern.contact_email:
        email_queue(
            to=concern.contact_email,
            template="prosecution/concern_received",
            context={"concern": concern, "links": concern_action_links(concern=concern)},
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


@transaction.atomic
def concern_add_info(*, concern: Concern, text: str, photos: Iterable[CleanImage] = (), actor=None) -> ConcernUpdate:
    """The resident adds information (and photos, within the limit of MAX_PHOTOS in all).
    `actor`: the signed-in reporter, or None (the link of the resident's e-mail). The caller
    checked that the resident may (prosecution.concerns.resident_links)."""
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
    audit_record(action="prosecution.concern.add_info", obj=concern, actor=actor, after={"photos": len(photos)})
    _notify_owner(concern, template="prosecution/concern_resident_info")
    return update


@transaction.atomic
def concern_not_fixed(*, concern: Concern, text: str, actor=None) -> Concern:
    """The resident says a resolved or closed concern is not fixed: it reopens and its owner
    is told. `actor`: the signed-in reporter, or None (a link of the resident's e-mail). The
    caller checked that the resident may (prosecution.concerns.resident_links)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_open:
        raise ValidationError(_("This concern is still open: add information to it instead."))
    before = snapshot(concern)
    status_from = concern.status
    concern.status = Concern.Status.UNDER_REVIEW
    concern.reopened_count += 1
    concern_reopen_fields(concern)
    concern.save(
        update_fields=[
            "status",
            "reopened_count",
            "resolved_at",
            "close_reason",
            "close_detail",
            "duplicate_of",
            "resolve_by",
            "updated_at",
        ]
    )
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.NOT_FIXED,
        text=text.strip(),
        status_from=status_from,
        status_to=concern.status,
    )
    b, a = diff(before, snapshot(concern))
    audit_record(action="prosecution.concern.reopen", obj=concern, actor=actor, before=b, after=a)
    concern_reopened_notify(concern=concern)
    return concern


def concern_links_send(*, concern: Concern) -> bool:
    """E-mail fresh signed links (add information, "not fixed") to the concern's own contact
    address, for a resident who lost the earlier e-mails. Returns False when the concern has
    no address. Whoever asks learns nothing and can change nothing: the links go to the
    address the reporter gave. The caller rate-limits (per concern and per client)."""
    if not concern.contact_email:
        return False
    with transaction.atomic():
        email_queue(
            to=concern.contact_email,
            template="prosecution/concern_links",
            context={"concern": concern, "links": concern_action_links(concern=concern)},
            language=concern.language,
            related=concern,
        )
        audit_record(action="prosecution.concern.links_sent", obj=concern, actor=None)
    return True


def _notify_owner(concern: Concern, *, template: str) -> None:
    if concern.assignee and concern.assignee.email:
        email_queue(
            to=concern.assignee.email,
            template=template,
            context={"concern": concern},
            language=concern.assignee.preferred_language,
            related=concern,
        )


def concern_reopen_fields(concern: Concern) -> None:
    """Clear what closing set, and give the reopened concern a fresh time to resolve (counted
    from now: the old deadline would make it overdue at once)."""
    concern.resolved_at = None
    concern.close_reason = ""
    concern.close_detail = ""
    concern.duplicate_of = None
    _ack_by, concern.resolve_by = concern_due_dates(concern, start=timezone.now())


def concern_due_dates_recompute(concern: Concern) -> None:
    """The service level of the concern's (new) category or priority, counted from when it was
    received, or, for a concern reopened since, its time to resolve from now (see `concern_reopen_fields`)."""
    acknowledge_by, resolve_by = concern_due_dates(concern)
    concern.acknowledge_by = acknowledge_by
    if concern.reopened_count == 0:
        concern.resolve_by = resolve_by
    else:
        concern.resolve_by = concern_due_dates(concern, start=timezone.now())[1]


def person_name(user) -> str:
    """How the concern's history names a person (kept as written: a later rename or removal
    does not rewrite the history)."""
    return (user.full_name or user.email) if user is not None else ""


def concern_assignment_record(*, concern: Concern, before, actor) -> None:
    """An "assignment" row in the concern's history (staff only) when its owner changed."""
    if getattr(before, "pk", None) == concern.assignee_id:
        return
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.ASSIGNMENT,
        author=actor,
        change={"from": person_name(before), "to": person_name(concern.assignee)},
    )
