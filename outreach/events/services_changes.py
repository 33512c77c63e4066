"""Writes that follow a change of an event and what staff send its registrants: seats
changed (the wait list is promoted first come, first served), an event moved (every
registrant is told once, with an updated calendar file, and the reminders follow the new
time), a registrant's link sent again, and staff messages to a segment of the registrants.

The event row is locked (SELECT ... FOR UPDATE) by every caller before a change is checked
and saved: `registration_create` locks it too, so a newcomer registering while seats are
added waits, then finds them given to the wait list.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jcr.core.audit import audit_record, diff, snapshot
from outreach.events import selectors
from outreach.events.models import Event, EventReminder, Registration
from outreach.events.services import _event_email, _promote
from outreach.programs.models import ReminderStatus

# A change of any of these is a move: registrants are told, and calendars updated.
MOVE_FIELDS = ("starts_at", "ends_at", "format", "venue_name", "venue_address", "online_url")
SEAT_FIELDS = ("capacity", "reserved_seats")


def event_seats_check(*, event: Event, confirmed: int | None = None) -> None:
    """Refuse seats (capacity less reserved seats) below the confirmed registrations: a
    confirmed seat is never dropped silently. Staff cancel registrations first, one by one."""
    if event.pk is None:
        return
    confirmed = selectors.event_confirmed_count(event=event) if confirmed is None else confirmed
    if event.seats < confirmed:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(confirmed)s person holds a confirmed seat: the capacity less the reserved seats cannot be "
                    "below that. Cancel registrations first if you must remove seats.",
                    "%(confirmed)s people hold a confirmed seat: the capacity less the reserved seats cannot be "
                    "below that. Cancel registrations first if you must remove seats.",
                    confirmed,
                )
                % {"confirmed": confirmed}
            },
            code="below_confirmed",
        )


def event_change_prepare(*, stored: Event, event: Event) -> list[str]:
    """Before saving `event` over `stored` (the locked row as it was): check the seats and,
    when the event moved, raise its calendar SEQUENCE. Returns the moved fields."""
    if any(getattr(stored, f) != getattr(event, f) for f in SEAT_FIELDS):
        event_seats_check(event=event)
    moved = [f for f in MOVE_FIELDS if getattr(stored, f) != getattr(event, f)]
    event.sequence = stored.sequence + 1 if moved else stored.sequence
    return moved


def _reminders_replan(event: Event, now: datetime) -> None:
    """Reminders of the confirmed registrants follow the event's new start: one whose new
    time is still ahead waits for it (again, if it was sent for the old time); a pending one
    whose new time has passed is skipped, never sent for the old time."""
    reminders = EventReminder.objects.select_for_update().filter(
        registration__event=event,
        registration__status=Registration.Status.CONFIRMED,
        status__in=(ReminderStatus.PENDING, ReminderStatus.SKIPPED, ReminderStatus.DONE),
    )
    for reminder in reminders:
        due = event.starts_at - EventReminder.OFFSETS[reminder.kind]
        if due > now:
            reminder.status, reminder.due_at, reminder.finished_at = ReminderStatus.PENDING, due, None
            reminder.claimed_at = reminder.enqueued_at = None
            reminder.attempts = 0
        elif reminder.status == ReminderStatus.PENDING:
            reminder.status, reminder.due_at, reminder.finished_at = ReminderStatus.SKIPPED, due, now
        else:
            continue
        reminder.save(update_fields=["status", "due_at", "finished_at", "claimed_at", "enqueued_at", "attempts"])


def event_change_follow(*, stored: Event, event: Event, moved: list[str], actor) -> dict[str, int]:
    """After saving `event` (same transaction, row still locked): freed seats go to the wait
    list in order; a move is told to every live registrant once, with the new calendar file,
    and re-plans the reminders. Returns counts for the audit entry."""
    now = timezone.now()
    counts = {"promoted": 0, "notified": 0}
    if event.is_cancelled:
        return counts
    if event.seats > stored.seats:
        counts["promoted"] = len(_promote(event, now))
    if moved and event.ends_at > now:
        _reminders_replan(event, now)
        live = event.registrations.exclude(status=Registration.Status.CANCELLED).order_by("created_at", "id")
        for registration in live:
            _event_email(event, registration, "event_moved", ics=True, old=stored, moved=moved)
            counts["notified"] += 1
    if counts["promoted"] or counts["notified"]:
        audit_record(action="outreach.event.change_follow", obj=event, actor=actor, after=counts | {"moved": moved})
    return counts


@transaction.atomic
def event_admin_save(*, event: Event, actor) -> Event:
    """A change made in Django admin (which checked the permission and the form): locked,
    checked, saved, audited and followed like the staff pages' changes."""
    stored = Event.objects.select_for_update().get(pk=event.pk)
    moved = event_change_prepare(stored=stored, event=event)
    before = snapshot(stored)
    event.save()
    b, a = diff(before, snapshot(event))
    audit_record(action="outreach.event.change", obj=event, actor=actor, before=b, after=a)
    event_change_follow(stored=stored, event=event, moved=moved, actor=actor)
    return event


@transaction.atomic
def event_capacity_set(*, event: Event, capacity: int, actor) -> dict[str, int]:
    """Change an event's capacity from its staff page. Raises PermissionDenied without
    change_event, ValidationError when it would drop a confirmed seat."""
    if not actor.has_perm("outreach.change_event"):
        raise PermissionDenied
    stored = Event.objects.select_for_update().get(pk=event.pk)
    if stored.is_cancelled:
        raise ValidationError(_("A cancelled event can no longer be changed."), code="cancelled")
    event = Event.objects.get(pk=event.pk)
    event.capacity = capacity
    if event.reserved_seats > capacity:
        raise ValidationError(
            {
                "capacity": _("The capacity cannot be below the %(reserved)s reserved seats.")
                % {"reserved": event.reserved_seats}
            },
            code="below_reserved",
        )
    moved = event_change_prepare(stored=stored, event=event)
    event.save(update_fields=["capacity", "sequence", "updated_at"])
    audit_record(
        action="outreach.event.capacity",
        obj=event,
        actor=actor,
        before={"capacity": stored.capacity},
        after={"capacity": capacity},
    )
    return event_change_follow(stored=stored, event=event, moved=moved, actor=actor)


# --- A registrant's link, staff messages -------------------------------------------------------


@transaction.atomic
def registration_link_resend(*, event: Event, email: str) -> None:
    """E-mail the link of this address's live registration for `event`, if there is one.
    Nothing tells the caller whether there was: the page answers the same either way."""
    registration = selectors.registration_live_for_email(event=event, email=email)
    if registration is None:
        return
    _event_email(event, registration, "registration_already", ics=registration.status == Registration.Status.CONFIRMED)
    audit_record(action="outreach.registration.link_resend", obj=registration, actor=None)


@transaction.atomic
def event_message_send(*, event: Event, segment: str, subject: str, body: str, actor) -> int:
    """Staff e-mail a segment of an event's registrants ("all" live ones, "confirmed" or
    "waitlisted"), each in a row of the e-mail queue sent after commit. Audited with the
    segment, the subject and the count. Returns the count."""
    if not actor.has_perm("outreach.change_registration"):
        raise PermissionDenied
    recipients = list(selectors.event_message_recipients(event=event, segment=segment))
    for registration in recipients:
        _event_email(event, registration, "event_message", subject=subject.strip(), body=body.strip())
    audit_record(
        action="outreach.event.message",
        obj=event,
        actor=actor,
        after={"segment": segment, "subject": subject.strip(), "rows": len(recipients)},
    )
    return len(recipients)
