"""Every write of Government Relations: `<entity>_<action>(*, ...)`, each owning its
transaction and writing its audit entry. Imports from Open States are in govrelations.sync."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govrelations.models import (
    Bill,
    BillAlert,
    BillComment,
    BillFollow,
    DigestSubscription,
    Hearing,
    HearingReminder,
    ImplementationTask,
    Position,
    PositionEvent,
    PositionLetter,
)
from jcr.core import work
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

log = logging.getLogger(__name__)

PROPOSE = "govrelations.add_position"
APPROVE = "govrelations.approve_position"
EDIT = "govrelations.change_bill"
# A reminder found more than this late (the workers were down) is skipped, not sent: a
# "3 days before" e-mail arriving the evening before the hearing misleads more than it helps,
# and the 1-day reminder covers it. A reminder whose hearing has begun is never sent.
REMINDER_LATE_LIMIT = timedelta(hours=12)
REMINDER_LEADS = (HearingReminder.Lead.THREE_DAYS, HearingReminder.Lead.ONE_DAY)
IMPLEMENTATION_TASKS = (
    (ImplementationTask.Kind.POLICY, "Update the office policies the new law touches", 30),
    (ImplementationTask.Kind.TRAINING, "Train deputies on the new law", 60),
    (ImplementationTask.Kind.LEGAL_UPDATE, "Issue a legal update to deputies", 14),
)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- Tracking --------------------------------------------------------------------------


@transaction.atomic
def bill_track(
    *,
    bill: Bill,
    actor,
    is_watched: bool,
    priority: str,
    analyst,
    analysis_memo: str,
) -> Bill:
    """Set the bill's watch-list fields. A change of analyst moves the hearing reminders."""
    _require(actor, EDIT)
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    fields = ("is_watched", "priority", "analyst_id", "analysis_memo")
    before = {f: getattr(bill, f) for f in fields}
    bill.is_watched, bill.priority, bill.analysis_memo = is_watched, priority, analysis_memo.strip()
    bill.analyst = analyst
    bill.full_clean(exclude=["subjects"])
    bill.save(update_fields=["is_watched", "priority", "analyst", "analysis_memo", "updated_at"])
    after = {f: getattr(bill, f) for f in fields}
    changed = {f for f in fields if before[f] != after[f]}
    if changed:
        # The memo is internal: the history says that it changed, not what it says.
        audit_record(
            action="govrelations.bill.track",
            obj=bill,
            actor=actor,
            before={f: before[f] for f in changed if f != "analysis_memo"},
            after={f: after[f] for f in changed if f != "analysis_memo"}
            | ({"analysis_memo": "changed"} if "analysis_memo" in changed else {}),
        )
    if "analyst_id" in changed:
        for hearing in bill.hearings.filter(starts_at__gt=timezone.now()):
            hearing_reminders_schedule(hearing=hearing)
    return bill


@transaction.atomic
def bill_comment_add(*, bill: Bill, actor, text: str) -> BillComment:
    _require(actor, "govrelations.add_billcomment")
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    comment = BillComment.objects.create(bill=bill, author=actor, text=text)
    audit_record(action="govrelations.bill.comment", obj=bill, actor=actor, after={"comment_id": comment.pk})
    return comment


# --- Positions -------------------------------------------------------------------------


@transaction.atomic
def position_propose(*, bill: Bill, actor, stance: str, reasons: str) -> Position:
    """An analyst proposes the office's position. Raises ValidationError when a proposal is
    already waiting for sign-off on this bill."""
    _require(actor, PROPOSE)
    bill = Bill.objects.select_for_update().get(pk=bill.pk)  # serialise proposals on one bill
    if bill.positions.filter(status=Position.Status.PROPOSED).exists():
        raise ValidationError(_("A position on this bill is already waiting for sign-off."))
    if stance not in Position.Stance.values:
        raise ValidationError(_("Choose a position."))
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError(_("Give the reasons for the position."))
    position = Position.objects.create(bill=bill, stance=stance, reasons=reasons, proposed_by=actor)
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.PROPOSED, actor=actor)
    audit_record(action="govrelations.position.propose", obj=position, actor=actor, after=snapshot(position))
    return position


def _position_for_decision(position: Position, actor) -> Position:
    _require(actor, APPROVE)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status != Position.Status.PROPOSED:
        raise ValidationError(_("This position is not waiting for sign-off."))
    if position.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Nobody signs off their own proposal."))
    return position


@transaction.atomic
def position_approve(*, position: Position, actor, comment: str = "") -> Position:
    """Sign the position off for the District Attorney: it becomes the office's public
    position on the bill, replacing the one approved before (kept as superseded)."""
    position = _position_for_decision(position, actor)
    now = timezone.now()
    for old in Position.objects.select_for_update().filter(bill=position.bill_id, status=Position.Status.APPROVED):
        old.status = Position.Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        PositionEvent.objects.create(position=old, kind=PositionEvent.Kind.SUPERSEDED, actor=actor)
        audit_record(action="govrelations.position.supersede", obj=old, actor=actor, after={"status": old.status})
    position.status = Position.Status.APPROVED
    position.decided_by, position.decided_at, position.decision_comment = actor, now, comment.strip()
    position.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    PositionEvent.objects.create(
        position=position, kind=PositionEvent.Kind.APPROVED, actor=actor, comment=comment.strip()
    )
    audit_record(
        action="govrelations.position.approve",
        obj=position,
        actor=actor,
        before={"status": Position.Status.PROPOSED},
        after={"status": position.status},
    )
    return position


@transaction.atomic
def position_return(*, position: Position, actor, comment: str) -> Position:
    """Send the proposal back to the analyst with a comment (required)."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say why the position is returned."))
    position = _position_for_decision(position, actor)
    position.status = Position.Status.RETURNED
    position.decided_by, position.decided_at, position.decision_comment = actor, timezone.now(), comment
    position.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.RETURNED, actor=actor, comment=comment)
    audit_record(
        action="govrelations.position.return",
        obj=position,
        actor=actor,
        before={"status": Position.Status.PROPOSED},
        after={"status": position.status},
    )
    return position


def letter_body_render(*, position: Position, committee: str, addressee: str) -> str:
    """The letter template filled in, in English (letters go to the Legislature)."""
    with translation.override("en"):
        return render_to_string(
            "govrelations/letter_body.txt",
            {"position": position, "bill": position.bill, "committee": committee, "addressee": addressee},
        ).strip()


@transaction.atomic
def position_letter_create(
    *, position: Position, actor, committee: str, addressee: str, sent_on: date | None = None
) -> PositionLetter:
    """Make a letter from the template for an approved position."""
    _require(actor, "govrelations.add_positionletter")
    position = Position.objects.select_for_update().select_related("bill__session").get(pk=position.pk)
    if position.status != Position.Status.APPROVED:
        raise ValidationError(_("Only an approved position can produce a letter."))
    committee, addressee = committee.strip(), addressee.strip()
    if not committee or not addressee:
        raise ValidationError(_("Name the committee and the person the letter is addressed to."))
    letter = PositionLetter.objects.create(
        position=position,
        committee=committee,
        addressee=addressee,
        body=letter_body_render(position=position, committee=committee, addressee=addressee),
        sent_on=sent_on,
        created_by=actor,
    )
    PositionEvent.objects.create(position=position, kind=PositionEvent.Kind.LETTER, actor=actor, comment=committee)
    audit_record(
        action="govrelations.letter.create",
        obj=letter,
        actor=actor,
        after=snapshot(letter, exclude=frozenset({"body"})),
    )
    return letter


@transaction.atomic
def position_letter_mark_sent(*, letter: PositionLetter, actor, sent_on: date) -> PositionLetter:
    _require(actor, "govrelations.change_positionletter")
    letter = PositionLetter.objects.select_for_update().get(pk=letter.pk)
    before = letter.sent_on
    letter.sent_on = sent_on
    letter.save(update_fields=["sent_on", "updated_at"])
    audit_record(
        action="govrelations.letter.sent",
        obj=letter,
        actor=actor,
        before={"sent_on": before},
        after={"sent_on": sent_on},
    )
    return letter


# --- Hearings and reminders ------------------------------------------------------------


@transaction.atomic
def hearing_create(
    *, bill: Bill, actor, starts_at: datetime, committee: str, location: str = "", notes: str = ""
) -> Hearing:
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


# --- Follows, alerts and the digest ----------------------------------------------------


@transaction.atomic
def bill_follow(*, bill: Bill, user) -> BillFollow:
    follow, created = BillFollow.objects.get_or_create(bill=bill, user=user)
    if created:
        audit_record(action="govrelations.bill.follow", obj=bill, actor=user)
    return follow


@transaction.atomic
def bill_unfollow(*, bill: Bill, user) -> None:
    deleted, _n = BillFollow.objects.filter(bill=bill, user=user).delete()
    if deleted:
        audit_record(action="govrelations.bill.unfollow", obj=bill, actor=user)


def bill_alerts_create(*, bill: Bill, actions: list[dict]) -> list[BillAlert]:
    """One alert row per follower and new action (inside the import's transaction); each is
    handed to a worker after commit. A second import of the same action adds nothing."""
    from govrelations.sync import action_key
    from govrelations.tasks import bill_alert_send as bill_alert_send_task

    created = []
    followers = [f.user for f in bill.follows.select_related("user") if f.user.is_active]
    for user in followers:
        for action in actions:
            alert, made = BillAlert.objects.get_or_create(
                bill=bill,
                recipient=user,
                action_key=action_key(action),
                defaults={"action_date": action["date"], "action_description": action["description"]},
            )
            if made:
                work.enqueue_on_commit(bill_alert_send_task, BillAlert, alert.pk, id_kwarg="alert_id")
                created.append(alert)
    return created


def bill_alert_send(*, alert_id: int) -> str | None:
    """Claim one alert and queue its e-mail (same guarantees as hearing_reminder_send)."""
    alert = work.claim(BillAlert, alert_id)
    if alert is None:
        return None
    alert = BillAlert.objects.select_related("bill__session", "recipient").get(pk=alert.pk)
    try:
        with transaction.atomic():
            email = email_queue(
                to=alert.recipient.email,
                template="govrelations/bill_alert",
                context={"alert": alert, "bill": alert.bill},
                language=alert.recipient.preferred_language or settings.LANGUAGE_CODE,
                related=alert.bill,
            )
            work.complete(alert, sent_at=timezone.now(), email=email)
    except ValidationError as exc:  # a recipient address the e-mail row refuses
        return work.retry_or_fail(alert, error=str(exc), permanent=True)
    return BillAlert.Status.DONE


@transaction.atomic
def bill_alert_retry(*, alert: BillAlert, actor) -> BillAlert:
    """Put a failed alert back in the queue (admin action). Raises ValidationError for an
    alert that did not fail."""
    from govrelations.tasks import bill_alert_send as bill_alert_send_task

    alert = BillAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status not in (BillAlert.Status.FAILED, BillAlert.Status.NEEDS_CHECK):
        raise ValidationError(_("Only a failed alert can be sent again."))
    before = alert.status
    BillAlert.objects.filter(pk=alert.pk).update(
        status=BillAlert.Status.PENDING, due_at=timezone.now(), attempts=0, enqueued_at=None, finished_at=None
    )
    audit_record(action="govrelations.alert.retry", obj=alert, actor=actor, before={"status": before})
    work.enqueue_on_commit(bill_alert_send_task, BillAlert, alert.pk, id_kwarg="alert_id")
    alert.refresh_from_db()
    return alert


def digest_is_noise(classification: list[str]) -> bool:
    """An action is noise when every one of its classifications is in JCR_GOVREL_DIGEST_SKIP."""
    skip = set(settings.JCR_GOVREL_DIGEST_SKIP)
    return bool(classification) and set(classification) <= skip


@transaction.atomic
def digest_subscribe(*, user, active: bool) -> DigestSubscription:
    subscription, _c = DigestSubscription.objects.get_or_create(user=user, defaults={"is_active": active})
    if subscription.is_active != active:
        subscription.is_active = active
        subscription.save(update_fields=["is_active", "updated_at"])
    audit_record(
        action="govrelations.digest.subscribe" if active else "govrelations.digest.unsubscribe",
        obj=subscription,
        actor=user,
    )
    return subscription


def weekly_digest_send(*, now: datetime | None = None) -> int:
    """Queue the weekly digest for every active subscriber who has not had one in six days.
    Returns how many were queued.

    Each subscriber is one transaction that locks the subscription and re-checks
    `last_sent_at`, so a task delivered twice queues one digest.
    """
    from govrelations.selectors import digest_entries_for

    now = now or timezone.now()
    since = now - timedelta(days=7)
    queued = 0
    for sub_id in DigestSubscription.objects.filter(is_active=True, user__is_active=True).values_list("pk", flat=True):
        with transaction.atomic():
            sub = DigestSubscription.objects.select_for_update().select_related("user").get(pk=sub_id)
            if sub.last_sent_at and sub.last_sent_at > now - timedelta(days=6):
                continue
            entries = digest_entries_for(user=sub.user, since=since, until=now)
            sub.last_sent_at = now
            sub.save(update_fields=["last_sent_at", "updated_at"])
            if not entries["bills"] and not entries["hearings"]:
                continue  # nothing worth a message this week
            email_queue(
                to=sub.user.email,
                template="govrelations/weekly_digest",
                context={**entries, "since": since, "until": now},
                language=sub.user.preferred_language or settings.LANGUAGE_CODE,
                related=sub,
            )
            queued += 1
    return queued


# --- Implementation tasks --------------------------------------------------------------


def bill_implementation_tasks_create(*, bill: Bill, actor) -> list[ImplementationTask]:
    """The standard tasks when a bill becomes law, owned by its analyst (inside the caller's
    transaction; existing tasks of the same kind and title are kept)."""
    today = timezone.localdate()
    made = []
    for kind, title, days in IMPLEMENTATION_TASKS:
        task, created = ImplementationTask.objects.get_or_create(
            bill=bill,
            kind=kind,
            title=title,
            defaults={"owner": bill.analyst, "due_on": today + timedelta(days=days)},
        )
        if created:
            made.append(task)
    if made:
        audit_record(
            action="govrelations.bill.tasks_create", obj=bill, actor=actor, after={"tasks": [t.pk for t in made]}
        )
    return made


@transaction.atomic
def implementation_task_create(
    *, bill: Bill, actor, kind: str, title: str, owner, due_on: date | None, integrity_url: str = ""
) -> ImplementationTask:
    _require(actor, "govrelations.add_implementationtask")
    task = ImplementationTask(
        bill=bill, kind=kind, title=title.strip(), owner=owner, due_on=due_on, integrity_url=integrity_url
    )
    task.full_clean()
    task.save()
    audit_record(action="govrelations.task.create", obj=task, actor=actor, after=snapshot(task))
    return task


@transaction.atomic
def implementation_task_complete(*, task: ImplementationTask, actor) -> ImplementationTask:
    _require(actor, "govrelations.change_implementationtask")
    task = ImplementationTask.objects.select_for_update().get(pk=task.pk)
    if task.completed_at is None:
        task.completed_at, task.completed_by = timezone.now(), actor
        task.save(update_fields=["completed_at", "completed_by", "updated_at"])
        audit_record(
            action="govrelations.task.complete", obj=task, actor=actor, after={"completed_at": task.completed_at}
        )
    return task
