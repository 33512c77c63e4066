"""Writes of hearings: a hearing on a bill and the reminders its analyst gets before it
(3 days and 1 day). `<entity>_<action>(*, ...)`, each owning its transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govrelations.hearings.models import Hearing, HearingReminder
from jcr.core import work
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

# A reminder found more than this late (the workers were down) is skipped, not sent: a
# "3 days before" e-mail arriving the evening before the hearing misleads more than it helps,
# and the 1-day reminder covers it. A reminder whose hearing has begun is never sent.
REMINDER_LATE_LIMIT = timedelta(hours=12)
REMINDER_LEADS = (HearingReminder.Lead.THREE_DAYS, HearingReminder.Lead.ONE_DAY)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


@transaction.atomic
def hearing_create(*, bill, actor, starts_at: datetime, committee: str, location: str = "", notes: str = "") -> Hearing:
    _require(actor, "govrelations.add_hearing")
    hearing = Hearing(
        bill=bill, starts_at=starts_at, committee=committee.strip(), location=location.strip(), notes=notes.strip()
    )
    hearing.full_clean()
    hearing.save()
    audit_record(action="govrelations.hearing.create", obj=hearing, actor=actor, after=snapshot(hearing))
    hearing_reminders_schedule(hearing=hearing)
    return hearing


def hearing_reminders_schedule(*, hearing: Hearing) -> list[HearingReminder]:
    """(Re)plan the reminders of a hearing for the bill's analyst: 3 days and 1 day before.

    Pending reminders that no longer fit (another analyst, a new date) are cancelled; a lead
    whose time has already passed gets no reminder. Call inside the caller's transaction.
    """
    analyst = hearing.bill.analyst
    now = timezone.now()
    pending = HearingReminder.objects.filter(hearing=hearing, status=HearingReminder.Status.PENDING)
    pending.exclude(recipient=analyst).update(status=HearingReminder.Status.CANCELLED, last_error="analyst changed")
    planned = []
    if analyst is None or not analyst.is_active:
        return planned
    for lead in REMINDER_LEADS:
        due_at = hearing.starts_at - timedelta(days=lead)
        reminder = HearingReminder.objects.filter(hearing=hearing, recipient=analyst, lead_days=lead).first()
        if reminder is None:
            if due_at <= now:
                continue
            reminder = HearingReminder.objects.create(hearing=hearing, recipient=analyst, lead_days=lead, due_at=due_at)
        elif reminder.status == HearingReminder.Status.IN_FLIGHT or (
            reminder.due_at == due_at and reminder.status != HearingReminder.Status.CANCELLED
        ):
            pass  # being sent now, or already planned (or sent) for this date
        elif due_at > now:
            # A new date (or the analyst is back): plan it again, even if the old date's
            # reminder went out, since the date it gave is wrong now.
            HearingReminder.objects.filter(pk=reminder.pk).update(
                due_at=due_at,
                status=HearingReminder.Status.PENDING,
                enqueued_at=None,
                sent_at=None,
                attempts=0,
                finished_at=None,
                last_error="",
            )
        elif reminder.status == HearingReminder.Status.PENDING:
            HearingReminder.objects.filter(pk=reminder.pk).update(
                status=HearingReminder.Status.CANCELLED, last_error="the hearing moved: too late for this reminder"
            )
            continue
        else:
            continue
        planned.append(reminder)
    return planned


def hearing_reminder_send(*, reminder_id: int) -> str | None:
    """Claim one due reminder and queue its e-mail. Returns the new status, or None when the
    row was not ours (done, cancelled, not due, in flight elsewhere).

    Delivery: the claim is a conditional UPDATE, so a redelivered task does nothing; the
    e-mail row and the DONE mark are written in one transaction. A reminder past
    REMINDER_LATE_LIMIT, or whose hearing has begun, is cancelled instead of sent late.
    """
    reminder = work.claim(HearingReminder, reminder_id)
    if reminder is None:
        return None
    hearing = Hearing.objects.select_related("bill__session").get(pk=reminder.hearing_id)
    now = timezone.now()
    if now - reminder.due_at > REMINDER_LATE_LIMIT or hearing.starts_at <= now:
        HearingReminder.objects.filter(pk=reminder.pk, status=HearingReminder.Status.IN_FLIGHT).update(
            status=HearingReminder.Status.CANCELLED, finished_at=now, last_error="skipped: its time had passed"
        )
        return HearingReminder.Status.CANCELLED
    recipient = reminder.recipient
    with transaction.atomic():
        email = email_queue(
            to=recipient.email,
            template="govrelations/hearing_reminder",
            context={"hearing": hearing, "bill": hearing.bill, "lead_days": reminder.lead_days, "recipient": recipient},
            language=recipient.preferred_language or settings.LANGUAGE_CODE,
            related=hearing.bill,
        )
        work.complete(reminder, sent_at=now, email=email)
    return HearingReminder.Status.DONE


def hearing_reminders_skip_stale() -> int:
    """The minute sweep's rule for reminders nobody sent in time: cancel them (see
    REMINDER_LATE_LIMIT) so they are never sent late."""
    now = timezone.now()
    return HearingReminder.objects.filter(
        status=HearingReminder.Status.PENDING, due_at__lt=now - REMINDER_LATE_LIMIT
    ).update(status=HearingReminder.Status.CANCELLED, finished_at=now, last_error="skipped: its time had passed")
