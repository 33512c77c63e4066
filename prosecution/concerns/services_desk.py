"""Writes of the staff desk on concerns: status, notes, assignment, priority, due dates,
duplicates and the daily overdue digest. Each service owns its transaction and audit entry."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.accounts.models import User
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue
from prosecution.concerns.forms import tracking_code_normalize
from prosecution.concerns.models import Concern, ConcernUpdate, OverdueDigest, ResponseTemplate
from prosecution.concerns.permissions import concern_list_visible_to
from prosecution.concerns.reopen import concern_reopened_notify, cpu_supervisors
from prosecution.concerns.resident_links import concern_action_links
from prosecution.concerns.service_levels import overdue_since
from prosecution.concerns.services import (
    concern_assignment_record,
    concern_due_dates_recompute,
    concern_reopen_fields,
)
from prosecution.concerns.services_follow import concern_followers_notify_later
from prosecution.concerns.triage import overdue_q


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
        concern_reopen_fields(concern)
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
    update = ConcernUpdate.objects.create(
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
    if status_from in Concern.CLOSED_STATUSES and status not in Concern.CLOSED_STATUSES:
        concern_reopened_notify(concern=concern, actor=actor)
    if public_text or status != status_from:
        # Followers get the same news in public words only, never the reporter's details.
        concern_followers_notify_later(update=update)
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
    """Give a concern an owner (or none). A change is written in the concern's history."""
    concern = Concern.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=concern.pk)
    previous = concern.assignee
    before = {"assignee_id": concern.assignee_id}
    concern.assignee = assignee
    concern.save(update_fields=["assignee", "updated_at"])
    concern_assignment_record(concern=concern, before=previous, actor=actor)
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
    """Staff set how urgent a concern is (a change is written in the concern's history).
    Raises ValidationError for an unknown priority."""
    if priority not in Concern.Priority.values:
        raise ValidationError(_("Unknown priority."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    before = {"priority": concern.priority, **_due_snapshot(concern)}
    concern.priority = priority
    concern_due_dates_recompute(concern)
    concern.save(update_fields=["priority", "acknowledge_by", "resolve_by", "updated_at"])
    if before["priority"] != priority:
        ConcernUpdate.objects.create(
            concern=concern,
            kind=ConcernUpdate.Kind.PRIORITY,
            author=actor,
            change={"from": before["priority"], "to": priority},
        )
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


@transaction.atomic
def concern_due_dates_refresh(*, concern: Concern, actor=None) -> Concern:
    """Recompute the due dates of a concern whose category or priority changed (the services
    that change them call this, or `concern_due_dates_recompute` inside their own transaction)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    before = _due_snapshot(concern)
    concern_due_dates_recompute(concern)
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
    digest.)"""
    return cpu_supervisors()


def concern_overdue_digests_send(*, now=None) -> int:
    """Queue one e-mail per person listing their overdue concerns (the daily digest): owners get
    the overdue concerns assigned to them; the overdue concerns with no active owner go to
    every CPU supervisor (added to their own list when they own some too). Each person's
    digest is written in its own transaction with an OverdueDigest row for (person, local
    day): a second run on the same day (beat catching up, a retried task) sends nothing again.

    Returns how many digests were queued.
    """
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
