"""Writes of the Community Outreach & Media Relations Unit: presentation requests, events,
registrations and reminders. Each service owns its transaction and writes an audit entry.

E-mails are rows (jcr.core OutboundEmail) written in the same transaction and sent by the
e-mail worker after commit, so a rolled-back registration never sends a confirmation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue
from outreach.models import (
    Event,
    EventReminder,
    PresentationReminder,
    PresentationRequest,
    Program,
    Registration,
    ReminderStatus,
)

# A reminder is still worth sending this long after its due time (a worker restarting, a
# dispatcher running once a minute); later than that it is skipped, never sent late.
REMINDER_GRACE = timedelta(minutes=30)
PRESENTATION_REMINDER_BEFORE = timedelta(days=2)
MIN_PREFERRED_DATES = 2
MAX_PREFERRED_DATES = 3


# --- Presentation requests -------------------------------------------------------------------


def preferred_dates_check(dates: Sequence[date], *, today: date | None = None) -> list[date]:
    """The preferred dates, sorted, or ValidationError: two or three, distinct, all after today."""
    today = today or timezone.localdate()
    dates = [d for d in dates if d]
    if len(dates) < MIN_PREFERRED_DATES or len(dates) > MAX_PREFERRED_DATES:
        raise ValidationError(_("Give two or three preferred dates."), code="dates_count")
    if len(set(dates)) != len(dates):
        raise ValidationError(_("The preferred dates must be different days."), code="dates_distinct")
    if any(d <= today for d in dates):
        raise ValidationError(_("The preferred dates must be in the future."), code="dates_past")
    return sorted(dates)


def presentation_request_submit(
    *,
    organisation: str,
    contact_name: str,
    contact_email: str,
    audience: str,
    audience_size: int,
    presentation_language: str,
    preferred_dates: Sequence[date],
    location: str,
    program: Program | None = None,
    topic: str = "",
    contact_phone: str = "",
    notes: str = "",
    language: str = "en",
    submission_key: UUID | None = None,
    notify: bool = True,
) -> tuple[PresentationRequest, bool]:
    """Save a request for a presentation and e-mail its reference code to the requester.

    Returns (request, created): the same `submission_key` twice (double click, back button)
    returns the first request with created=False. Raises ValidationError when neither a
    program nor a topic is given, for an inactive program or bad preferred dates.
    """
    if submission_key is not None:
        existing = PresentationRequest.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    if program is None and not topic.strip():
        raise ValidationError(_("Choose a program or describe the topic you would like."), code="no_topic")
    if program is not None and not program.is_active:
        raise ValidationError(_("This program is no longer offered."), code="inactive_program")
    dates = preferred_dates_check(preferred_dates)
    try:
        with transaction.atomic():
            request = PresentationRequest(
                submission_key=submission_key,
                organisation=organisation.strip(),
                contact_name=contact_name.strip(),
                contact_email=contact_email.strip().lower(),
                contact_phone=contact_phone.strip(),
                audience=audience,
                audience_size=audience_size,
                program=program,
                topic=topic.strip(),
                presentation_language=presentation_language,
                preferred_dates=[d.isoformat() for d in dates],
                location=location.strip(),
                notes=notes.strip(),
                language=language,
            )
            request.full_clean()
            request.save()
            audit_record(
                action="outreach.presentation_request.submit", obj=request, actor=None, after=snapshot(request)
            )
            if notify:
                _presentation_email(request, "presentation_received")
    except IntegrityError:
        if submission_key is None:
            raise
        return PresentationRequest.objects.get(submission_key=submission_key), False
    return request, True


def _presentation_email(request: PresentationRequest, template: str) -> None:
    email_queue(
        to=request.contact_email,
        template=f"outreach/{template}",
        context={"request": request},
        language=request.language,
        related=request,
    )


def _presentation_reminders_cancel(request: PresentationRequest) -> int:
    return PresentationReminder.objects.filter(request=request, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED, finished_at=timezone.now()
    )


@transaction.atomic
def presentation_request_schedule(
    *, request: PresentationRequest, scheduled_for: datetime, presenter, actor
) -> PresentationRequest:
    """Schedule (or reschedule) a new or scheduled request, assign its presenter and e-mail
    the requester. The reminder two days before is (re)planned; a date less than two days
    away gets none. Raises ValidationError for a past date or a closed request."""
    request = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (PresentationRequest.Status.NEW, PresentationRequest.Status.SCHEDULED):
        raise ValidationError(_("Only new or scheduled requests can be scheduled."), code="closed")
    now = timezone.now()
    if scheduled_for <= now:
        raise ValidationError(_("Choose a date and time in the future."), code="past")
    if presenter is None:
        raise ValidationError(_("Assign a presenter."), code="presenter")
    before = snapshot(request)
    request.status = PresentationRequest.Status.SCHEDULED
    request.scheduled_for = scheduled_for
    request.presenter = presenter
    request.decline_reason = ""
    request.save()
    _presentation_reminders_cancel(request)
    due = scheduled_for - PRESENTATION_REMINDER_BEFORE
    if due > now:
        PresentationReminder.objects.create(request=request, scheduled_for=scheduled_for, due_at=due)
    b, a = diff(before, snapshot(request))
    audit_record(action="outreach.presentation_request.schedule", obj=request, actor=actor, before=b, after=a)
    _presentation_email(request, "presentation_scheduled")
    return request


@transaction.atomic
def presentation_request_deliver(*, request: PresentationRequest, actor) -> PresentationRequest:
    """Record that a scheduled presentation took place and thank the requester."""
    request = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != PresentationRequest.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled presentation can be marked delivered."), code="not_scheduled")
    request.status = PresentationRequest.Status.DELIVERED
    request.delivered_at = timezone.now()
    request.save(update_fields=["status", "delivered_at", "updated_at"])
    _presentation_reminders_cancel(request)
    audit_record(
        action="outreach.presentation_request.deliver",
        obj=request,
        actor=actor,
        before={"status": PresentationRequest.Status.SCHEDULED},
        after={"status": request.status},
    )
    _presentation_email(request, "presentation_delivered")
    return request


@transaction.atomic
def presentation_request_decline(*, request: PresentationRequest, reason: str, actor) -> PresentationRequest:
    """Decline a new or scheduled request with a reason the requester reads in the e-mail."""
    request = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (PresentationRequest.Status.NEW, PresentationRequest.Status.SCHEDULED):
        raise ValidationError(_("This request is already closed."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Give a reason for declining."), code="reason")
    status_from = request.status
    request.status = PresentationRequest.Status.DECLINED
    request.decline_reason = reason.strip()[:300]
    request.save(update_fields=["status", "decline_reason", "updated_at"])
    _presentation_reminders_cancel(request)
    audit_record(
        action="outreach.presentation_request.decline",
        obj=request,
        actor=actor,
        before={"status": status_from},
        after={"status": request.status, "decline_reason": request.decline_reason},
    )
    _presentation_email(request, "presentation_declined")
    return request


def presentation_reminder_send(*, reminder_id: int) -> str | None:
    """Send one presentation reminder if it is due and still timely (see `event_reminder_send`
    for the rule). Returns the row's new status, or None when it was not ours to send."""
    now = timezone.now()

    def run(reminder: PresentationReminder) -> str:
        request = reminder.request
        timely = (
            now <= reminder.due_at + REMINDER_GRACE
            and request.status == PresentationRequest.Status.SCHEDULED
            and request.scheduled_for == reminder.scheduled_for
            and now < reminder.scheduled_for
        )
        status = ReminderStatus.DONE if timely else ReminderStatus.SKIPPED
        if timely:
            _presentation_email(request, "presentation_reminder")
        PresentationReminder.objects.filter(pk=reminder_id).update(status=status, finished_at=now)
        return status

    return _reminder_claim_and_run(PresentationReminder.objects.select_related("request"), reminder_id, now, run)


def _reminder_claim_and_run(rows, reminder_id: int, now: datetime, run):
    """Claim a due PENDING reminder (event or presentation) and run `run` on it in the same
    transaction; None when it was not ours."""
    return work.claim_and_run(
        rows,
        reminder_id,
        where={"status": ReminderStatus.PENDING, "due_at__lte": now},
        claim={"status": ReminderStatus.IN_FLIGHT, "claimed_at": now, "attempts": 1},
        run=run,
    )


# --- Events -----------------------------------------------------------------------------


def _event_email(event: Event, registration: Registration, template: str, **extra) -> None:
    email_queue(
        to=registration.email,
        template=f"outreach/{template}",
        context={"event": event, "registration": registration, **extra},
        language=registration.language,
        related=registration,
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
    address already holds a live registration: that one is returned and nothing changes).
    Raises ValidationError when registration is not open.

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
        return existing, RegistrationOutcome.ALREADY
    confirmed = _confirmed_count(event)
    full = confirmed >= event.seats
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
    _event_email(event, registration, "registration_confirmed")
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
        _event_email(event, registration, "registration_promoted")
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
    from outreach.social.services_sources import drafts_after_publish

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
    from outreach.social.services_sources import event_posts_cancel

    event_posts_cancel(event=event, actor=actor)
    return event


def registrations_export_record(*, event: Event, actor, count: int) -> None:
    """Write the audit entry of a CSV export of an event's registrations (personal data)."""
    audit_record(action="outreach.registration.export", obj=event, actor=actor, after={"rows": count})


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

    return _reminder_claim_and_run(EventReminder.objects.select_related("registration__event"), reminder_id, now, run)


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
