"""Writes of the program catalogue: presentation requests (submit, schedule, deliver,
decline) and their reminders. Each service owns its transaction and writes an audit entry.

E-mails are rows (jcr.core OutboundEmail) written in the same transaction and sent by the
e-mail worker after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue
from outreach.programs.models import (
    PresentationReminder,
    PresentationRequest,
    Program,
    ReminderStatus,
    preferred_dates_check,
)

# A reminder is still worth sending this long after its due time (a worker restarting, a
# dispatcher running once a minute); later than that it is skipped, never sent late.
REMINDER_GRACE = timedelta(minutes=30)
PRESENTATION_REMINDER_BEFORE = timedelta(days=2)


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
    """Send one presentation reminder if it is due and still timely (the rule of
    `outreach.events.services.event_reminder_send`). Returns the row's new status, or None
    when it was not ours to send."""
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

    return reminder_claim_and_run(PresentationReminder.objects.select_related("request"), reminder_id, now, run)


def reminder_claim_and_run(rows, reminder_id: int, now: datetime, run):
    """Claim a due PENDING reminder (event or presentation) and run `run` on it in the same
    transaction; None when it was not ours."""
    return work.claim_and_run(
        rows,
        reminder_id,
        where={"status": ReminderStatus.PENDING, "due_at__lte": now},
        claim={"status": ReminderStatus.IN_FLIGHT, "claimed_at": now, "attempts": 1},
        run=run,
    )
