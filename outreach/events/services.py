"""Writes of community events: registrations (create, cancel, check in), publishing and
cancelling events, and the reminders of registrations. Each service owns its transaction and
writes an audit entry.

E-mails are rows (jcr.core OutboundEmail) written in the same transaction and sent by the
e-mail worker after commit, so a rolled-back registration never sends a confirmation.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.core import work
from jcr.core.audit import audit_record
from jcr.core.services import email_queue
from outreach.events import ical
from outreach.events.models import Event, EventReminder, Registration
from outreach.programs.models import PresentationReminder, ReminderStatus
from outreach.programs.services import REMINDER_GRACE, presentation_reminder_send, reminder_claim_and_run
from outreach.social.services_sources import drafts_after_publish, event_posts_cancel

# --- Events -----------------------------------------------------------------------------


def _event_email(event: Event, registration: Registration, template: str, *, ics: bool = False, **extra) -> None:
    """E-mail one registrant in their language; `ics` attaches the event's calendar file."""
    attachments = None
    if ics:
        with translation.override(registration.language):
            attachments = [ical.event_attachment(event)]
    email_queue(
        to=registration.email,
        template=f"outreach/{template}",
        context={"event": event, "registration": registration, **extra},
        language=registration.language,
        related=registration,
        attachments=attachments,
    )


def _reminders_plan(registration: Registration, event: Event, now: datetime) -> None:
    """The three reminder rows of a confirmed registration. One whose time has already
    passed (a registration made six days before the event has no one-week reminder) is
    recorded as SKIPPED, so the staff page shows what will and will not be sent."""
    rows = []
    for kind, offset in EventReminder.OFFSETS.items():
        due = event.starts_at - offset
        status = ReminderStatus.PENDING if due > now else ReminderStatus.SKIPPED
        rows.append(
            EventReminder(
                registration=registration,
                kind=kind,
                due_at=due,
                status=status,
                finished_at=None if status == ReminderStatus.PENDING else now,
            )
        )
    EventReminder.objects.bulk_create(rows, ignore_conflicts=True)


def _reminders_cancel(registrations) -> int:
    return EventReminder.objects.filter(registration__in=registrations, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED, finished_at=timezone.now()
    )


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _capacity_alert_check(event: Event, confirmed: int) -> None:
    """E-mail the event's owner once when the confirmed registrations reach 90 % of the seats."""
    if event.capacity_alert_sent_at or not event.seats:
        return
    if confirmed < math.ceil(event.seats * Event.CAPACITY_ALERT_RATIO):
        return
    event.capacity_alert_sent_at = timezone.now()
    event.save(update_fields=["capacity_alert_sent_at", "updated_at"])
    audit_record(action="outreach.event.capacity_alert", obj=event, actor=None, after={"confirmed": confirmed})
    if event.owner_id and event.owner.email:
        email_queue(
            to=event.owner.email,
            template="outreach/event_capacity_alert",
            context={"event": event, "confirmed": confirmed, "seats": event.seats},
            language=event.owner.preferred_language,
            related=event,
        )


class RegistrationOutcome:
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    ALREADY = "already"


@transaction.atomic
def registration_create(
    *, event: Event, name: str, email: str, language: str = "en", accessibility_needs: str = ""
) -> tuple[Registration, str]:
    """Register `email` for `event`: a seat while there is one, else a place on the wait list.

    Returns (registration, outcome) with outcome "confirmed", "waitlisted" or "already" (this
    address already holds a live registration: that one is returned, nothing changes, and the
    address is e-mailed its link, since the page must not tell a visitor who is registered).
    Raises ValidationError when registration is not open. While anyone waits on the wait list
    a newcomer joins it too: free seats go to those already waiting (see `_promote`).

    Concurrency: the event row is locked (SELECT ... FOR UPDATE) before seats are counted, so
    two people registering for the last seat at once are served one after the other: one
    gets the seat, the other the wait list.
    """
    event = Event.objects.select_for_update(of=("self",)).select_related("owner").get(pk=event.pk)
    now = timezone.now()
    state = event.registration_state(now)
    if state == "cancelled":
        raise ValidationError(_("This event has been cancelled."), code="cancelled")
    if state == "not_yet":
        raise ValidationError(_("Registration has not opened yet."), code="not_yet")
    if state != "open":
        raise ValidationError(_("Registration is closed."), code="closed")
    email = email.strip().lower()
    existing = event.registrations.exclude(status=Registration.Status.CANCELLED).filter(email=email).first()
    if existing is not None:
        _event_email(event, existing, "registration_already", ics=existing.status == Registration.Status.CONFIRMED)
        return existing, RegistrationOutcome.ALREADY
    confirmed = _confirmed_count(event)
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    full = confirmed >= event.seats or waiting
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email,
        language=language,
        accessibility_needs=accessibility_needs.strip(),
        status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
    )
    registration.full_clean()
    registration.save()
    audit_record(
        action="outreach.registration.create", obj=registration, actor=None, after={"status": registration.status}
    )
    if full:
        _event_email(event, registration, "registration_waitlisted")
        return registration, RegistrationOutcome.WAITLISTED
    _reminders_plan(registration, event, now)
    _event_email(event, registration, "registration_confirmed", ics=True)
    _capacity_alert_check(event, confirmed + 1)
    return registration, RegistrationOutcome.CONFIRMED


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Give free seats to the wait list, first come first served. Call with the event locked."""
    free = event.seats - _confirmed_count(event)
    if free <= 0 or now >= event.starts_at or event.status != Event.Status.PUBLISHED:
        return []
    promoted = list(
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record(
            action="outreach.registration.promote",
            obj=registration,
            actor=None,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": Registration.Status.CONFIRMED},
        )
        _reminders_plan(registration, event, now)
        _event_email(event, registration, "registration_promoted", ics=True)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """Cancel a registration (by its holder through the token page, or by staff). A freed
    seat goes at once to the first person on the wait list, who is e-mailed. Cancelling an
    already cancelled registration changes nothing. Pending reminders are dropped."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    now = timezone.now()
    status_from = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    _reminders_cancel([registration])
    audit_record(
        action="outreach.registration.cancel",
        obj=registration,
        actor=actor,
        before={"status": status_from},
        after={"status": registration.status},
    )
    _event_email(event, registration, "registration_cancelled")
    if status_from == Registration.Status.CONFIRMED:
        _promote(event, now)
    return registration


@transaction.atomic
def registration_check_in(*, registration: Registration, actor) -> Registration:
    """Record that a confirmed registrant came. Checking in twice keeps the first time."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed registrations can be checked in."), code="not_confirmed")
    if registration.checked_in_at:
        return registration
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    audit_record(action="outreach.registration.check_in", obj=registration, actor=actor)
    return registration


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    """Publish a draft event (supervisors). Raises PermissionDenied without publish_event."""
    if not actor.has_perm("outreach.publish_event"):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    audit_record(action="outreach.event.publish", obj=event, actor=actor, after={"status": event.status})
    drafts_after_publish(kind="event", obj=event, actor=actor)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, message: str = "") -> Event:
    """Cancel an event (supervisors): pending reminders are dropped and every confirmed or
    wait-listed person is e-mailed in their language. Raises PermissionDenied without
    publish_event, ValidationError when it is already cancelled."""
    if not actor.has_perm("outreach.publish_event"):
        raise PermissionDenied
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is already cancelled."), code="cancelled")
    status_from = event.status
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    live = list(event.registrations.exclude(status=Registration.Status.CANCELLED))
    dropped = _reminders_cancel(live)
    audit_record(
        action="outreach.event.cancel",
        obj=event,
        actor=actor,
        before={"status": status_from},
        after={"status": event.status, "reminders_dropped": dropped, "notified": len(live)},
    )
    for registration in live:
        _event_email(event, registration, "event_cancelled", message=message.strip())
    event_posts_cancel(event=event, actor=actor)
    return event


# --- Reminders ---------------------------------------------------------------------------


def event_reminder_send(*, reminder_id: int) -> str | None:
    """Send one event reminder. Returns the row's new status, or None when it was not ours.

    Claim: a conditional UPDATE (status PENDING and due) that must touch exactly one row, in
    the same transaction as the e-mail row, so a reminder is queued at most once whatever the
    number of dispatchers or redeliveries.

    Rule for late reminders: a reminder is sent only while it is timely, that is no later
    than REMINDER_GRACE (30 minutes) after its due time (counted from the event's current
    start, so an event moved later re-plans its reminders) and before the event starts, for a
    registration still confirmed and an event still published. Otherwise (the worker was
    down for hours, the event has started, the person cancelled) it is marked SKIPPED and
    never sent late: a "see you next week" arriving the day before misleads.
    """
    now = timezone.now()

    def run(reminder: EventReminder) -> str:
        registration = reminder.registration
        event = registration.event
        expected = event.starts_at - EventReminder.OFFSETS[reminder.kind]
        if expected != reminder.due_at and expected > now:
            # The event was moved later (edited in admin): the reminder waits for its new time.
            EventReminder.objects.filter(pk=reminder_id).update(
                status=ReminderStatus.PENDING, due_at=expected, claimed_at=None, enqueued_at=None
            )
            return ReminderStatus.PENDING
        timely = (
            now <= expected + REMINDER_GRACE
            and now < event.starts_at
            and event.status == Event.Status.PUBLISHED
            and registration.status == Registration.Status.CONFIRMED
        )
        status = ReminderStatus.DONE if timely else ReminderStatus.SKIPPED
        if timely:
            _event_email(event, registration, "event_reminder", kind=reminder.kind)
        EventReminder.objects.filter(pk=reminder_id).update(status=status, finished_at=now)
        return status

    return reminder_claim_and_run(EventReminder.objects.select_related("registration__event"), reminder_id, now, run)


def reminders_dispatch(*, limit: int = 500) -> dict[str, int]:
    """The minute sweep: every due PENDING reminder (events and presentations) is claimed
    and sent or skipped. Rows stuck IN_FLIGHT cannot happen (claim and outcome share one
    transaction). Returns counts by outcome."""
    now = timezone.now()
    counts = {"sent": 0, "skipped": 0}
    for model, send, kwarg in (
        (EventReminder, event_reminder_send, "reminder_id"),
        (PresentationReminder, presentation_reminder_send, "reminder_id"),
    ):
        outcomes = work.run_each_due(
            model.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).order_by("due_at"),
            lambda pk, send=send, kwarg=kwarg: send(**{kwarg: pk}),
            limit=limit,
        )
        counts["sent"] += outcomes[ReminderStatus.DONE]
        counts["skipped"] += outcomes[ReminderStatus.SKIPPED]
    return counts
