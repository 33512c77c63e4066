"""Retention of the confidential records: extending a record's retention and its legal hold,
disposing of one record from its page, and the monthly disposition run that a records officer
(permission `integrity.approve_disposition`, the JTI Chief) approves.

Every disposal goes through `services.record_dispose` / `services.record_anonymise`, which
check the legal hold at that moment under a row lock: a hold placed after a run was listed
blocks the record, and the refusal is logged like every other (`integrity.record.denied`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records import retention, services
from integrity.records.models import RecordOnHold, RecordStep
from integrity.records.models_retention import DispositionItem, DispositionRun, RetentionSchedule
from jcr.core.audit import audit_record, snapshot
from jcr.core.services import email_queue

APPROVE_PERMISSION = "integrity.approve_disposition"
RUN_ROUTE = "disposition_run"
PAGE_ROUTE = "staff:record_disposal"
Disposition = RetentionSchedule.Disposition


# --- One record ---------------------------------------------------------------------------


@transaction.atomic
def record_retention_set(
    *,
    record: models.Model,
    actor,
    legal_hold: bool,
    extended_until: date | None,
    case_final_on: date | None = None,
    reason: str = "",
) -> bool:
    """Set a record's legal hold, its retention extension (only ever later than its schedule,
    with a reason) and the day its underlying case became final. The retention date itself is
    then computed. Returns whether anything changed."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.is_deleted:
        raise ValidationError(_("This record was deleted."))
    reason = reason.strip()
    extension_changed = extended_until != record.retention_extended_until
    if extension_changed and extended_until is not None:
        schedule, _until = retention.retention_compute(record)
        floor = retention.scheduled_until(record, schedule)
        if floor is not None and extended_until <= floor:
            raise ValidationError(
                _("Retention can only be extended: choose a day after %(date)s, the schedule's date.")
                % {"date": floor.isoformat()}
            )
        if extended_until <= timezone.localdate():
            raise ValidationError(_("An extension ends after today."))
    if extension_changed and not reason:
        raise ValidationError(_("Give the reason for extending (or ending the extension of) this record's retention."))
    if (record.legal_hold, record.retention_extended_until, record.case_final_on) == (
        legal_hold,
        extended_until,
        case_final_on,
    ):
        return False
    before = snapshot(record)
    record.legal_hold = legal_hold
    record.retention_extended_until = extended_until
    record.retention_extension_reason = reason if extended_until else ""
    record.case_final_on = case_final_on
    record.save(
        update_fields=[
            "legal_hold",
            "retention_extended_until",
            "retention_extension_reason",
            "case_final_on",
            "updated_at",
        ]
    )
    retention.retention_refresh(record)
    services.record_step_add(record=record, step="legal_hold" if legal_hold else "retention", actor=actor, note=reason)
    services.record_change_audit(record=record, before=before, actor=actor, action="retention")
    return True


def record_is_due(record: models.Model, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        not record.is_deleted and not record.legal_hold and record.retention_until and record.retention_until < today
    )


def record_dispose_by_schedule(
    *, record: models.Model, actor, disposition: str, reason: str, route: str, today: date | None = None
) -> str:
    """Carry out `disposition` on a record past its retention date. Refused under legal hold
    (logged by the services) and for a record not due. Returns the history step written."""
    today = today or timezone.localdate()
    record = type(record).objects.get(pk=record.pk)
    if not record.legal_hold and not record_is_due(record, today):
        raise ValidationError(_("This record's retention date has not passed."))
    if disposition == Disposition.ANONYMISE:
        services.record_anonymise(record=record, actor=actor, reason=reason, route=route)
        return "anonymised"
    if disposition in (Disposition.DESTROY, Disposition.ARCHIVE):
        if disposition == Disposition.ARCHIVE:
            reason = _("Transferred to the archive: %(reason)s") % {"reason": reason}
        services.record_dispose(record=record, actor=actor, note=reason, route=route, today=today)
        return "disposed"
    if record.legal_hold:  # a review changes nothing, but a hold still answers first
        services.record_hold_check(record=record, actor=actor, attempt=services.DISPOSE, route=route)
    services.record_step_add(record=record, step="retention_reviewed", actor=actor, note=reason)
    return "retention_reviewed"


# --- The monthly run ----------------------------------------------------------------------


def _label(record: models.Model) -> str:
    return str(getattr(record, "receipt_number", "") or record)[:60]


def _already_done(record_type: str) -> set[int]:
    """Records already anonymised (by a run or from their page): they stay, and are not listed again."""
    steps = RecordStep.objects.filter(record_type=record_type, step="anonymised")
    return set(steps.values_list("record_id", flat=True))


def disposition_run_create(*, today: date | None = None) -> DispositionRun | None:
    """List this month's records past their retention date and not on hold (every retention
    date refreshed first). One run a month: None when it exists already. The records officers
    are told by e-mail."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    if DispositionRun.objects.filter(month=month).exists():
        return None
    retention.retention_refresh_all(today=today)
    with transaction.atomic():
        run, created = DispositionRun.objects.get_or_create(month=month, defaults={"listed_on": today})
        if not created:
            return None
        items = []
        for model in retention.RETAINED_MODELS:
            record_type = model._meta.label_lower
            done = _already_done(record_type)
            due = model.active.filter(legal_hold=False, retention_until__lt=today, retention_schedule__isnull=False)
            for record in due.select_related("retention_schedule").order_by("retention_until", "pk"):
                if record.pk in done:
                    continue
                items.append(
                    DispositionItem(
                        run=run,
                        record_type=record_type,
                        record_id=record.pk,
                        record_public_id=record.public_id,
                        label=_label(record),
                        retention_until=record.retention_until,
                        schedule=record.retention_schedule,
                        disposition=record.retention_schedule.disposition,
                    )
                )
        DispositionItem.objects.bulk_create(items)
        run.summary = {"listed": len(items)}
        run.save(update_fields=["summary", "updated_at"])
        audit_record(action="integrity.disposition.listed", obj=run, actor=None, after={"listed": len(items)})
        if items:
            _officers_tell(run, len(items))
    return run


def approvers():
    perm = Q(groups__permissions__codename="approve_disposition") | Q(user_permissions__codename="approve_disposition")
    return get_user_model().objects.filter(perm | Q(is_superuser=True), is_active=True, is_staff=True).distinct()


def _officers_tell(run: DispositionRun, count: int) -> None:
    for user in approvers().exclude(email="").filter(is_superuser=False):
        email_queue(
            to=user.email,
            template="integrity/disposition_run",
            context={"count": count, "month": run.month, "run_id": str(run.public_id)},
            language=user.preferred_language or settings.LANGUAGE_CODE,
            related=run,
        )


def walled_record_ids(run: DispositionRun, user) -> set[str]:
    """The public ids of the run's records that the conflict wall hides from `user`."""
    from integrity.records.access import wall_hidden_keys  # the gate reads this feature's models

    walled: set[str] = set()
    for record_type in set(run.items.values_list("record_type", flat=True)):
        model = retention.retained_model(record_type)
        hidden = wall_hidden_keys(model, user) if model else None
        if hidden is None:
            continue
        ids = {str(k) for k in hidden.values_list("audit_key", flat=True)}
        listed = run.items.filter(record_type=record_type).values_list("record_public_id", flat=True)
        walled |= {str(pid) for pid in listed if str(pid) in ids}
    return walled


def disposition_run_approve(
    *, run: DispositionRun, actor, exclusions: dict[int, str], today: date | None = None
) -> dict:
    """Approve a run: the items in `exclusions` (item id -> reason) are left alone, every other
    item is carried out per its schedule's disposition, each re-checked at that moment (a hold
    placed since the listing blocks it). One audit entry per item and one for the run.
    Returns the summary (counts by outcome)."""
    today = today or timezone.localdate()
    if not actor.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied
    if walled_record_ids(run, actor):
        raise ValidationError(
            _("You are walled off from a record in this run: another records officer must approve it.")
        )
    missing = [pk for pk, reason in exclusions.items() if not reason.strip()]
    if missing:
        raise ValidationError(_("Give a reason for each record you exclude."))
    with transaction.atomic():
        claimed = DispositionRun.objects.filter(pk=run.pk, status=DispositionRun.Status.OPEN).update(
            status=DispositionRun.Status.DONE, approved_by=actor, approved_at=timezone.now()
        )
    if not claimed:
        raise ValidationError(_("This run was approved already."))
    summary = dict.fromkeys(["done", "held", "not_due", "excluded"], 0)
    for item in run.items.filter(decision=DispositionItem.Decision.PENDING).select_related("schedule"):
        outcome = _item_carry_out(item, actor=actor, reason=exclusions.get(item.pk), today=today)
        summary[outcome or "excluded"] += 1
    summary["listed"] = run.summary.get("listed", 0)
    DispositionRun.objects.filter(pk=run.pk).update(summary=summary)
    run.refresh_from_db()
    audit_record(action="integrity.disposition.approve", obj=run, actor=actor, after=summary)
    return summary


def _item_carry_out(item: DispositionItem, *, actor, reason: str | None, today: date) -> str:
    """Decide and carry out one item in its own transaction; returns its outcome ("" when excluded)."""
    Outcome = DispositionItem.Outcome
    model = retention.retained_model(item.record_type)
    record = model.objects.filter(pk=item.record_id).first() if model else None
    if reason is not None:
        item.decision, item.reason, item.outcome = DispositionItem.Decision.EXCLUDED, reason.strip(), Outcome.NONE
    else:
        item.decision = DispositionItem.Decision.APPROVED
        note = _("Disposition run %(month)s, schedule: %(citation)s") % {
            "month": item.run.month.strftime("%Y-%m"),
            "citation": item.schedule.citation,
        }
        try:
            if record is None:
                raise ValidationError(_("The record is gone."))
            record_dispose_by_schedule(
                record=record, actor=actor, disposition=item.disposition, reason=note, route=RUN_ROUTE, today=today
            )
        except RecordOnHold:
            item.outcome = Outcome.HELD
        except ValidationError as exc:
            item.outcome, item.reason = Outcome.NOT_DUE, " ".join(exc.messages)
        else:
            item.outcome = Outcome.DONE
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "reason", "outcome", "decided_at"])
    audit_record(
        action="integrity.disposition.item",
        obj=item,
        actor=actor,
        after={"step": f"{item.decision}:{item.disposition}:{item.outcome or '-'}", "record": ""},
    )
    return item.outcome


# --- Schedules ----------------------------------------------------------------------------


def schedule_saved(*, schedule: RetentionSchedule) -> int:
    """After a schedule is added or changed (admin): recompute its kind of record."""
    model = retention.retained_model(schedule.record_type)
    return retention.retention_refresh_all([model]) if model else 0
