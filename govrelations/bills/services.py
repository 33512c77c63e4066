"""Writes of bills: tracking, comments, follows and alerts, the weekly digest and the
implementation tasks. `<entity>_<action>(*, ...)`, each owning its transaction and writing its
audit entry. Imports from Open States are in govrelations.bills.sync; positions and hearings
have their own services."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govrelations.bills.models import (
    Bill,
    BillAlert,
    BillComment,
    BillFollow,
    DigestSubscription,
    ImplementationTask,
)
from govrelations.bills.selectors import action_key, digest_entries_for
from govrelations.hearings.services import hearing_reminders_schedule
from jcr.core import work
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

log = logging.getLogger(__name__)

EDIT = "govrelations.change_bill"
ALERT_SEND = "govrelations.bills.bill_alert_send"  # the task, in govrelations/bills/tasks.py
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
                work.enqueue_on_commit(ALERT_SEND, BillAlert, alert.pk, id_kwarg="alert_id")
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
    alert = BillAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status not in (BillAlert.Status.FAILED, BillAlert.Status.NEEDS_CHECK):
        raise ValidationError(_("Only a failed alert can be sent again."))
    before = alert.status
    BillAlert.objects.filter(pk=alert.pk).update(
        status=BillAlert.Status.PENDING, due_at=timezone.now(), attempts=0, enqueued_at=None, finished_at=None
    )
    audit_record(action="govrelations.alert.retry", obj=alert, actor=actor, before={"status": before})
    work.enqueue_on_commit(ALERT_SEND, BillAlert, alert.pk, id_kwarg="alert_id")
    alert.refresh_from_db()
    return alert


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
