"""Writes of the unit's content made by staff outside Django admin: events and programs.
(News, Justice Journal and podcast episodes are written by outreach.media.services; events are
published and cancelled by outreach.events.services.) Each service owns its transaction and writes an
audit entry."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff, snapshot
from outreach.events import services_changes
from outreach.events.models import Event
from outreach.programs.models import Program, Topic
from outreach.social.services_sources import event_posts_follow


def _audit_save(prefix: str, obj, actor, before: dict | None, extra: dict | None = None) -> None:
    after = snapshot(obj) | (extra or {})
    if before is None:
        audit_record(action=f"{prefix}.create", obj=obj, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action=f"{prefix}.change", obj=obj, actor=actor, before=b, after=a)


@transaction.atomic
def event_save(*, event: Event, actor) -> Event:
    """Create an event (always as a draft, owned by `actor`) or change one.

    Publishing and cancelling stay with outreach.services (event_publish, event_cancel): the
    status is never changed here. A cancelled event can no longer be edited. A change of seats
    promotes the wait list (and refuses to drop a confirmed seat); a move tells the registrants
    (outreach.events.services_changes). Raises
    PermissionDenied without add_event / change_event, ValidationError for invalid values.
    """
    creating = event.pk is None
    if actor is not None and not actor.has_perm("outreach.add_event" if creating else "outreach.change_event"):
        raise PermissionDenied
    before = None
    moved: list[str] = []
    if creating:
        event.status = Event.Status.DRAFT
        if event.owner_id is None and actor is not None:
            event.owner = actor
    else:
        stored = Event.objects.select_for_update().get(pk=event.pk)
        if stored.status == Event.Status.CANCELLED:
            raise ValidationError(_("A cancelled event can no longer be changed."), code="cancelled")
        event.status = stored.status  # only event_publish / event_cancel change it
        before = snapshot(stored)
        moved = services_changes.event_change_prepare(stored=stored, event=event)
    event.full_clean()
    event.save()
    _audit_save("outreach.event", event, actor, before)
    if not creating:
        services_changes.event_change_follow(stored=stored, event=event, moved=moved, actor=actor)
        if stored.starts_at != event.starts_at:
            event_posts_follow(event=event, old_starts_at=stored.starts_at, actor=actor)
    return event


def _topic_slugs(topics: Iterable[Topic]) -> list[str]:
    return sorted(t.slug for t in topics)


@transaction.atomic
def program_save(*, program: Program, topics: Iterable[Topic], actor) -> Program:
    """Create or change a program of the catalogue and set its topics.

    Raises PermissionDenied without add_program / change_program, ValidationError for invalid
    values.
    """
    creating = program.pk is None
    if actor is not None and not actor.has_perm("outreach.add_program" if creating else "outreach.change_program"):
        raise PermissionDenied
    topics = list(topics)
    before = None
    if not creating:
        stored = Program.objects.select_for_update().get(pk=program.pk)
        before = snapshot(stored) | {"topics": _topic_slugs(stored.topics.all())}
    program.full_clean()
    program.save()
    program.topics.set(topics)
    _audit_save("outreach.program", program, actor, before, {"topics": _topic_slugs(topics)})
    return program
