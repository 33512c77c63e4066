"""Writes of the Community Prosecution Unit. Each service owns its transaction and audit entry."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from uuid import UUID, uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.geo import areas_containing
from jcr.core.models import Area, AreaAssignment
from jcr.core.services import email_queue
from jcr.core.uploads import CleanImage, image_store
from prosecution.models import Category, Concern, ConcernPhoto, ConcernUpdate, OverdueDigest, ResponseTemplate
from prosecution.resident_links import concern_action_links
from prosecution.service_levels import concern_due_dates

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
    from prosecution.tasks import concern_photo_thumbnail as concern_photo_thumbnail_task

    for photo_id in concern.photos.values_list("pk", flat=True):
        transaction.on_commit(lambda pk=photo_id: _thumbnail_enqueue(concern_photo_thumbnail_task, pk))
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


def _thumbnail_enqueue(task, photo_id: int) -> None:
    try:
        task.apply_async(kwargs={"photo_id": photo_id}, retry=False)
    except Exception:
        log.warning("broker unavailable: thumbnail of photo %s waits for the sweep", photo_id, exc_info=True)


@transaction.atomic
def concern_add_info(*, concern: Concern, text: str, photos: Iterable[CleanImage] = (), actor=None) -> ConcernUpdate:
    """The resident adds information (and photos, within the limit of MAX_PHOTOS in all).
    `actor`: the signed-in reporter, or None (the link of the resident's e-mail). The caller
    checked that the resident may (prosecution.resident_links)."""
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
    caller checked that the resident may (prosecution.resident_links)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.is_open:
        raise ValidationError(_("This concern is still open: add information to it instead."))
    before = snapshot(concern)
    status_from = concern.status
    concern.status = Concern.Status.UNDER_REVIEW
    concern.reopened_count += 1
    _reopen(concern)
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
    _notify_owner(concern, template="prosecution/concern_reopened")
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


def _reopen(concern: Concern) -> None:
    """Clear what closing set, and give the reopened concern a fresh time to resolve (counted
    from now: the old deadline would make it overdue at once)."""
    concern.resolved_at = None
    concern.close_reason = ""
    concern.close_detail = ""
    concern.duplicate_of = None
    _ack_by, concern.resolve_by = concern_due_dates(concern, start=timezone.now())


def response_templates_for(*, concern: Concern) -> list[ResponseTemplate]:
    """The active response templates that fit the concern's category (or any category) and a
    status it can take now (or any status)."""
    statuses = [*Concern.TRANSITIONS[concern.status], ""]
    if concern.is_open:
        statuses.append(concern.status)  # a public update without a change of status
    return list(
        ResponseTemplate.objects.filter(is_active=True, status__in=statuses)
        .filter(Q(category__isnull=True) | Q(category_id=concern.category_id))
        .order_by("order", "title", "id")
    )


def _check_transition(concern: Concern, status: str, *, public_text: str, close_reason: str) -> None:
    labels = dict(Concern.Status.choices)
    if status == concern.status:
        if not concern.is_open:
            raise ValidationError(_("The concern is already %(status)s.") % {"status": labels[status]})
        if not public_text:
            raise ValidationError(
                _("The concern is already %(status)s: choose another status or write a public update.")
                % {"status": labels[status]}
            )
    elif status not in Concern.TRANSITIONS[concern.status]:
        raise ValidationError(
            _("A concern that is %(from)s cannot become %(to)s.")
            % {"from": labels[concern.status], "to": labels[status]}
        )
    if status in Concern.CLOSED_STATUSES and status != concern.status:
        if not close_reason:
            raise ValidationError(_("Give a reason for closing."))
        if close_reason == Concern.CloseReason.DUPLICATE:
            raise ValidationError(_("To close a duplicate, merge it into the other concern."))
        if close_reason not in Concern.CLOSE_REASONS_FOR[status]:
            raise ValidationError(
                _("“%(reason)s” is not a reason for %(status)s.")
                % {"reason": Concern.CloseReason(close_reason).label, "status": labels[status]}
            )


@transaction.atomic
def concern_set_status(
    *,
    concern: Concern,
    status: str,
    actor,
    public_text: str = "",
    close_reason: str = "",
    close_detail: str = "",
    template: ResponseTemplate | None = None,
) -> Concern:
    """Staff move a concern along its lifecycle (Concern.TRANSITIONS), with an optional public
    update that the resident sees (and receives by e-mail, in their language, when they gave
    an address). With a response `template` and no `public_text`, the template's text in the
    resident's language is the update. Resolving or closing takes a reason that fits the
    status (Concern.CLOSE_REASONS_FOR); duplicates are closed by `concern_merge`.

    Raises ValidationError for an unknown status or reason, a transition the lifecycle does
    not allow, or a template that does not fit the concern or the status.
    """
    if status not in Concern.Status.values:
        raise ValidationError(_("Unknown status."))
    close_reason = close_reason.strip()
    if close_reason and close_reason not in Concern.CloseReason.values:
        raise ValidationError(_("Unknown reason for closing."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    public_text = public_text.strip()
    if template is not None:
        if template.category_id not in (None, concern.category_id) or not template.is_active:
            raise ValidationError(_("This response template is not for this kind of concern."))
        if template.status and template.status != status:
            raise ValidationError(
                _("The response template “%(title)s” goes with the status %(status)s.")
                % {"title": template.title, "status": template.get_status_display()}
            )
        public_text = public_text or template.text_in(concern.language).strip()
    _check_transition(concern, status, public_text=public_text, close_reason=close_reason)
    before = snapshot(concern)
    status_from = concern.status
    now = timezone.now()
    if status_from in Concern.CLOSED_STATUSES and status not in Concern.CLOSED_STATUSES:
        _reopen(concern)
        concern.reopened_count += 1
    concern.status = status
    # A first status change or a first public update is the resident's first response.
    if concern.acknowledged_at is None and (status != Concern.Status.RECEIVED or public_text):
        concern.acknowledged_at = now
    if status in Concern.CLOSED_STATUSES and status != status_from:
        concern.resolved_at = now
        concern.close_reason = close_reason
        concern.close_detail = close_detail.strip()
    concern.save()
    ConcernUpdate.objects.create(
        concern=concern,
        kind=ConcernUpdate.Kind.STATUS,
        author=actor,
        text=public_text,
        status_from=status_from,
        status_to=status,
    )
    b, a = diff(before, snapshot(concern))
    if template is not None:
        a["response_template"] = template.pk
    audit_record(action="prosecution.concern.status", obj=concern, actor=actor, before=b, after=a)
    if concern.contact_email and (public_text or status != status_from):
        email_queue(
            to=concern.contact_email,
            template="prosecution/concern_updated",
            context={"concern": concern, "text": public_text, "links": concern_action_links(concern=concern)},
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
    before = {"priority": concern.priority, **_due_snapshot(concern)}
    concern.priority = priority
    _due_dates_recompute(concern)
    concern.save(update_fields=["priority", "acknowledge_by", "resolve_by", "updated_at"])
    audit_record(
        action="prosecution.concern.priority",
        obj=concern,
        actor=actor,
        before=before,
        after={"priority": priority, **_due_snapshot(concern)},
    )
    return concern


def _due_snapshot(concern: Concern) -> dict:
    return {
        "acknowledge_by": concern.acknowledge_by.isoformat() if concern.acknowledge_by else None,
        "resolve_by": concern.resolve_by.isoformat() if concern.resolve_by else None,
    }


def _due_dates_recompute(concern: Concern) -> None:
    """The service level of the concern's (new) category or priority, counted from when it was
    received, or, for a concern reopened since, its time to resolve from now (see `_reopen`)."""
    acknowledge_by, resolve_by = concern_due_dates(concern)
    concern.acknowledge_by = acknowledge_by
    if concern.reopened_count == 0:
        concern.resolve_by = resolve_by
    else:
        concern.resolve_by = concern_due_dates(concern, start=timezone.now())[1]


@transaction.atomic
def concern_due_dates_refresh(*, concern: Concern, actor=None) -> Concern:
    """Recompute the due dates of a concern whose category or priority changed (the services
    that change them call this, or `_due_dates_recompute` inside their own transaction)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    before = _due_snapshot(concern)
    _due_dates_recompute(concern)
    concern.save(update_fields=["acknowledge_by", "resolve_by", "updated_at"])
    after = _due_snapshot(concern)
    if before != after:
        audit_record(action="prosecution.concern.due_dates", obj=concern, actor=actor, before=before, after=after)
    return concern


# --- Duplicates -----------------------------------------------------------------------------
MERGE_CHAIN_LIMIT = 50


@transaction.atomic
def concern_merge(*, duplicate: Concern, original_code: str, actor, detail: str = "") -> Concern:
    """Close `duplicate` as a duplicate of the concern with the tracking code `original_code`
    and return that original.

    The original must be a concern `actor` may see, of any category (a resident who picked
    the wrong kind still reports the same problem), and open. A code that names a concern
    merged earlier leads to the concern it was merged into (the chain is followed); concerns
    already merged into `duplicate` move to the original with it, so chains stay one step
    long. The duplicate gets a public update that names the original's tracking code (not for
    a sensitive original: its text is private), the original an internal note, and the
    duplicate's reporter an e-mail in their language.

    Raises ValidationError for an unknown code, the concern itself or a cycle, a closed
    original, or a duplicate that is already closed.
    """
    from prosecution.forms import tracking_code_normalize
    from prosecution.permissions import concern_list_visible_to

    visible = concern_list_visible_to(user=actor)
    code = tracking_code_normalize(original_code)
    target = visible.filter(tracking_code=code).first() if code else None
    if target is None:
        raise ValidationError(_("No concern you can see has the tracking code %(code)s.") % {"code": code or "—"})
    seen = {target.pk}
    while target.duplicate_of_id is not None and target.pk != duplicate.pk:
        if target.duplicate_of_id in seen or len(seen) > MERGE_CHAIN_LIMIT:
            raise ValidationError(_("These concerns are merged into each other in a loop; ask a supervisor."))
        seen.add(target.duplicate_of_id)
        target = Concern.objects.select_related("category").get(pk=target.duplicate_of_id)
    if target.pk == duplicate.pk:
        raise ValidationError(_("A concern cannot be merged into itself."))
    if not visible.filter(pk=target.pk).exists():
        raise ValidationError(_("No concern you can see has the tracking code %(code)s.") % {"code": code})
    # Lock both rows in id order, so two merges of the same pair cannot deadlock.
    locked = {
        c.pk: c for c in Concern.objects.select_for_update().filter(pk__in=[duplicate.pk, target.pk]).order_by("pk")
    }
    duplicate, original = locked[duplicate.pk], locked[target.pk]
    if not duplicate.is_open:
        raise ValidationError(_("This concern is already closed: reopen it before merging it."))
    if not original.is_open:
        raise ValidationError(
            _("Concern %(code)s is closed: reopen it first, or merge into an open concern.")
            % {"code": original.tracking_code}
        )
    before = snapshot(duplicate)
    status_from = duplicate.status
    now = timezone.now()
    duplicate.status = Concern.Status.CLOSED
    duplicate.close_reason = Concern.CloseReason.DUPLICATE
    duplicate.close_detail = detail.strip()
    duplicate.duplicate_of = original
    duplicate.resolved_at = now
    duplicate.acknowledged_at = duplicate.acknowledged_at or now
    duplicate.save()
    moved = list(Concern.objects.filter(duplicate_of=duplicate).values_list("tracking_code", flat=True))
    Concern.objects.filter(duplicate_of=duplicate).update(duplicate_of=original, updated_at=now)
    with translation.override(duplicate.language):
        # The original's public page and reference: its tracking code is its own reporter's.
        track = reverse("prosecution:concern_public", kwargs={"public_ref": original.public_ref})
        if original.is_sensitive:
            public_text = _(
                "This report is about the same problem as an earlier report, which we are working on. "
                "We close this one so that the work is in one place."
            )
        else:
            public_text = _(
                "This report is about the same problem as report %(code)s, which we are working on. "
                "We close this one so that the work is in one place; follow report %(code)s at %(url)s"
            ) % {"code": original.public_ref, "url": settings.SITE_URL + track}
    ConcernUpdate.objects.create(
        concern=duplicate,
        kind=ConcernUpdate.Kind.STATUS,
        author=actor,
        text=public_text,
        status_from=status_from,
        status_to=Concern.Status.CLOSED,
    )
    with translation.override(getattr(actor, "preferred_language", None) or settings.LANGUAGE_CODE):
        note = _("Concern %(code)s was merged into this one as a duplicate.") % {"code": duplicate.tracking_code}
        if moved:
            note += " " + _("Concerns merged into it earlier moved here too: %(codes)s.") % {"codes": ", ".join(moved)}
    if detail.strip():
        note += "\n" + detail.strip()
    ConcernUpdate.objects.create(concern=original, kind=ConcernUpdate.Kind.INTERNAL_NOTE, author=actor, text=note)
    b, a = diff(before, snapshot(duplicate))
    audit_record(action="prosecution.concern.merge", obj=duplicate, actor=actor, before=b, after=a)
    audit_record(
        action="prosecution.concern.merged_into",
        obj=original,
        actor=actor,
        after={"duplicate": duplicate.tracking_code, "moved": moved},
    )
    if duplicate.contact_email:
        email_queue(
            to=duplicate.contact_email,
            template="prosecution/concern_merged",
            context={"concern": duplicate, "original": original, "show_original": not original.is_sensitive},
            language=duplicate.language,
            related=duplicate,
        )
    return original


# --- Daily overdue digest -------------------------------------------------------------------
DIGEST_MAX_ROWS = 200


def _supervisors():
    """Active CPU staff who see every concern and may change it: they receive the overdue
    concerns nobody owns. (The bureau chief sees every concern but only reads them, so gets no
    digest.) Permissions held through a role group or given to the person; superusers are not
    included by implication (the site's administrators are not the unit's supervisors)."""
    from django.contrib.auth.models import Permission

    from jcr.accounts.models import User

    def holders(codename: str) -> Q:
        perm = Permission.objects.filter(content_type__app_label="prosecution", codename=codename)
        return Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)

    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(pk__in=User.objects.filter(holders("view_all_concerns")).values("pk"))
        .filter(pk__in=User.objects.filter(holders("change_concern")).values("pk"))
        .order_by("pk")
    )


def concern_overdue_digests_send(*, now=None) -> int:
    """Queue one e-mail per person listing their overdue concerns (the daily digest): owners get
    the overdue concerns assigned to them; the overdue concerns with no active owner go to
    every CPU supervisor (added to their own list when they own some too). Each person's
    digest is written in its own transaction with an OverdueDigest row for (person, local
    day): a second run on the same day (beat catching up, a retried task) sends nothing again.

    Returns how many digests were queued.
    """
    from jcr.accounts.models import User
    from prosecution.triage import overdue_q

    now = now or timezone.now()
    day = timezone.localdate(now)
    overdue = list(
        Concern.objects.filter(overdue_q(now))
        .select_related("category", "assignee")
        .order_by("acknowledge_by", "pk")
        .only(
            "pk",
            "public_id",
            "tracking_code",
            "status",
            "acknowledged_at",
            "acknowledge_by",
            "resolve_by",
            "category__name",
            "category__name_es",
            "assignee__is_active",
            "assignee__email",
        )
    )
    by_owner: dict[int, list[Concern]] = {}
    unowned: list[Concern] = []
    for concern in overdue:
        owner = concern.assignee
        if owner is not None and owner.is_active and owner.email:
            by_owner.setdefault(owner.pk, []).append(concern)
        else:
            unowned.append(concern)
    supervisors = list(_supervisors()) if unowned else []
    recipients = {u.pk: u for u in User.objects.filter(pk__in=by_owner)}
    for supervisor in supervisors:
        recipients.setdefault(supervisor.pk, supervisor)
    already = set(
        OverdueDigest.objects.filter(day=day, recipient_id__in=recipients).values_list("recipient_id", flat=True)
    )
    sent = 0
    for pk, person in recipients.items():
        if pk in already or not person.email:
            continue
        own = by_owner.get(pk, [])
        theirs = own + (unowned if person in supervisors else [])
        if not theirs:
            continue
        if _digest_send(person=person, day=day, own=own, unowned=unowned if person in supervisors else [], now=now):
            sent += 1
    return sent


def _digest_rows(concerns: list[Concern], now) -> list[dict]:
    from prosecution.service_levels import overdue_since

    rows = []
    for concern in concerns[:DIGEST_MAX_ROWS]:
        since = overdue_since(concern, now) or now
        rows.append(
            {
                "concern": concern,
                "days": max((now - since).days, 0),
                "not_acknowledged": concern.acknowledged_at is None and since == concern.acknowledge_by,
                "url": settings.SITE_URL
                + reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id}),
            }
        )
    return rows


def _digest_send(*, person, day, own: list[Concern], unowned: list[Concern], now) -> bool:
    """Queue one person's digest, once per day: the OverdueDigest row and the e-mail row are
    written together, and the unique (recipient, day) makes a concurrent second run a no-op."""
    try:
        with transaction.atomic():
            digest = OverdueDigest.objects.create(recipient=person, day=day, concern_count=len(own) + len(unowned))
            language = person.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):  # links in the reader's language too
                context = {
                    "person": person,
                    "own": _digest_rows(own, now),
                    "unowned": _digest_rows(unowned, now),
                    "total": len(own) + len(unowned),
                    "more": max(len(own) - DIGEST_MAX_ROWS, 0) + max(len(unowned) - DIGEST_MAX_ROWS, 0),
                    "queue_url": settings.SITE_URL + reverse("prosecution:staff_concern_list") + "?overdue=on",
                    "day": day,
                }
            email = email_queue(
                to=person.email, template="prosecution/concerns_overdue_digest", context=context, language=language
            )
            digest.email = email
            digest.save(update_fields=["email"])
            audit_record(
                action="prosecution.concern.overdue_digest",
                obj=digest,
                actor=None,
                after={"recipient": person.pk, "day": day.isoformat(), "concerns": digest.concern_count},
            )
    except IntegrityError:
        return False  # another run queued this person's digest today
    return True


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
    _due_dates_recompute(concern)  # the new category may have its own service level
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
