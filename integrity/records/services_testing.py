"""Writes of post-conviction DNA testing requests (Cal. Penal Code § 1405): the request, its
statutory response deadline (computed from the rules registry, integrity.rules), evidence items
and the workflow."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE, record_visible, user_is_jti
from integrity.records.models import CourtOrder, EvidenceItem, RecordDeadline, TestingRequest
from integrity.records.models_testing import TestingContinuance
from integrity.records.retention import retention_refresh
from integrity.records.services import record_change_audit, record_deadline_add, record_deadlines_meet, record_step_add
from integrity.rules import selectors as rules_selectors
from jcr.core.audit import audit_record, snapshot

# Reminders to the assigned prosecutor (the JTI Chief when nobody is assigned): 30, 14, 7 and
# 2 days before the response is due and on the day; the day after, if the response is still
# not filed, the JTI Chief (the supervisor) is told (records' deadline reminders: a row each,
# all met when the response is filed, all cancelled and planned again when the court
# continues the date).
REMINDER_DAYS_BEFORE = (30, 14, 7, 2, 0)
RESPONSE_LABEL, OVERDUE_LABEL = "Response", "Response overdue"


def _response_deadlines_add(*, request: TestingRequest, remind_to) -> None:
    today = timezone.localdate()
    offsets = [d for d in REMINDER_DAYS_BEFORE if request.response_due - timedelta(days=d) >= today] or [0]
    for days_before in offsets:
        record_deadline_add(
            record=request,
            label=RESPONSE_LABEL,
            due_on=request.response_due,
            remind_days_before=days_before,
            remind_to=remind_to,
        )
    record_deadline_add(
        record=request, label=OVERDUE_LABEL, due_on=request.response_due, remind_days_before=-1, remind_to=None
    )


@transaction.atomic
def pc1405_request_create(
    *,
    petitioner: str,
    case_number: str,
    court: str,
    served_ag_on: date,
    served_da_on: date,
    briefing_extension: bool = False,
    counsel: str = "",
    assigned_to=None,
    actor,
) -> TestingRequest:
    """A PC 1405 request. Its response due date and rule come from the rules registry: the
    version in force on the later of the two service dates (rules.selectors.pc1405_response_due);
    no rule in force on that date is a ValidationError naming the rule and the date."""
    due, response_rule, extension_rule = rules_selectors.pc1405_response_due(
        served_ag_on=served_ag_on, served_da_on=served_da_on, briefing_extension=briefing_extension
    )
    request = TestingRequest(
        petitioner=petitioner.strip(),
        case_number=case_number.strip(),
        court=court.strip(),
        counsel=counsel.strip(),
        served_ag_on=served_ag_on,
        served_da_on=served_da_on,
        served_on=max(served_ag_on, served_da_on),
        briefing_extension=briefing_extension,
        response_rule=response_rule,
        extension_rule=extension_rule,
        response_due=due,
    )
    request.full_clean()
    request.save()
    if assigned_to is not None:
        _assignee_check(request=request, person=assigned_to)
        request.assigned_to = assigned_to
        request.save(update_fields=["assigned_to", "updated_at"])
    _response_deadlines_add(request=request, remind_to=request.assigned_to)
    record_step_add(record=request, step=TestingRequest.Status.RECEIVED, actor=actor)
    audit_record(action=f"integrity.record.{CHANGE}", obj=request, actor=actor, after={"created": True})
    return request


# --- The assigned prosecutor --------------------------------------------------------------


def _assignee_check(*, request: TestingRequest, person) -> None:
    """A JTI member (active staff with the records permission) whom no conflict wall keeps
    from this request (a claim on the same case that walls them off)."""
    if not (person.is_active and user_is_jti(person)):
        raise ValidationError(_("Only a member of the Justice, Training & Integrity Unit can be assigned."))
    if not record_visible(user=person, record=request):
        raise ValidationError(
            _("This person is walled off from the case (they worked the original case): assign someone else.")
        )


def assignable_prosecutors(request: TestingRequest) -> list:
    """The people a request may be assigned to: JTI members no conflict wall keeps from it."""
    holds = {"codename": "access_records", "content_type__app_label": "integrity"}
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(**{f"groups__permissions__{k}": v for k, v in holds.items()})
            | Q(**{f"user_permissions__{k}": v for k, v in holds.items()})
        )
        .distinct()
        .order_by("full_name", "email")
    )
    return [u for u in users if user_is_jti(u) and record_visible(user=u, record=request)]


def _open_response_deadlines(request: TestingRequest):
    return RecordDeadline.objects.filter(
        record_type=request._meta.label_lower,
        record_id=request.pk,
        label__in=(RESPONSE_LABEL, OVERDUE_LABEL),
        met_at__isnull=True,
        cancelled_at__isnull=True,
    )


@transaction.atomic
def pc1405_request_assign(*, request: TestingRequest, person, actor) -> TestingRequest:
    """Assign the prosecutor who answers the request (None: nobody, the reminders then go to
    the JTI Chief). A walled-off person or someone outside JTI is refused. Reminders not yet
    sent go to the new assignee; the overdue notice stays with the chief."""
    request = TestingRequest.objects.select_for_update().get(pk=request.pk)
    if person is not None:
        _assignee_check(request=request, person=person)
    if request.assigned_to_id == (person.pk if person else None):
        return request
    before = snapshot(request)
    request.assigned_to = person
    request.save(update_fields=["assigned_to", "updated_at"])
    _open_response_deadlines(request).filter(label=RESPONSE_LABEL, reminded_at__isnull=True).update(remind_to=person)
    record_step_add(
        record=request, step="prosecutor_assigned", actor=actor, note=person.get_username() if person else "—"
    )
    record_change_audit(record=request, before=before, actor=actor, action="prosecutor_assigned")
    return request


# --- Continuances for good cause ----------------------------------------------------------


@transaction.atomic
def pc1405_continuance_record(
    *, request: TestingRequest, ordered_on: date, response_due: date, cause: str, actor
) -> TestingContinuance:
    """Record a continuance the court granted: the response date becomes the date the court
    set (typed as in the order, never computed), the earlier continuances stay in the history,
    the pending reminders are cancelled and planned again for the new date."""
    request = TestingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TestingRequest.Status.RECEIVED:
        raise ValidationError(_("The response has been filed: there is no response date to continue."))
    if not cause.strip():
        raise ValidationError(_("State the good cause the court found."))
    if ordered_on > timezone.localdate():
        raise ValidationError(_("The date of the court's order cannot be in the future."))
    if response_due < ordered_on:
        raise ValidationError(_("The new response date cannot come before the court's order."))
    if response_due == request.response_due:
        raise ValidationError(_("The court's date is the response date already in force."))
    before = snapshot(request)
    continuance = TestingContinuance.objects.create(
        request=request,
        ordered_on=ordered_on,
        response_due=response_due,
        previous_due=request.response_due,
        cause=cause.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    request.response_due = response_due
    request.save(update_fields=["response_due", "updated_at"])
    _open_response_deadlines(request).update(cancelled_at=timezone.now())
    _response_deadlines_add(request=request, remind_to=request.assigned_to)
    record_step_add(
        record=request,
        step="continued",
        actor=actor,
        note=_("to %(due)s by the order of %(ordered)s; %(cause)s")
        % {"due": response_due.isoformat(), "ordered": ordered_on.isoformat(), "cause": cause.strip()},
    )
    record_change_audit(record=request, before=before, actor=actor, action="continued")
    return continuance


def continuance_in_force(request: TestingRequest) -> TestingContinuance | None:
    """The latest continuance (its date is the response date), or None."""
    return request.continuances.order_by("-recorded_at", "-id").first()


@transaction.atomic
def evidence_item_add(
    *, request: TestingRequest, description: str, location: str, custodian: str, preservation: str, actor
) -> EvidenceItem:
    item = EvidenceItem(
        request=request, description=description, location=location, custodian=custodian, preservation=preservation
    )
    item.full_clean()
    item.save()
    record_step_add(record=request, step="evidence_item", actor=actor, note=description)
    audit_record(
        action=f"integrity.record.{CHANGE}",
        obj=request,
        actor=actor,
        after={"evidence_items": None, "step": "evidence_item"},
    )
    return item


TESTING_FLOW = {
    TestingRequest.Status.RECEIVED: {TestingRequest.Status.RESPONSE_FILED},
    TestingRequest.Status.RESPONSE_FILED: {TestingRequest.Status.ORDERED, TestingRequest.Status.DENIED},
    TestingRequest.Status.ORDERED: {TestingRequest.Status.TESTING},
    TestingRequest.Status.TESTING: {TestingRequest.Status.RESULT},
    TestingRequest.Status.RESULT: {TestingRequest.Status.CLOSED},
    TestingRequest.Status.DENIED: {TestingRequest.Status.CLOSED},
    TestingRequest.Status.CLOSED: set(),
}


@transaction.atomic
def pc1405_request_advance(
    *, request: TestingRequest, to_status: str, actor, lab: str = "", result: str = "", order_summary: str = ""
) -> TestingRequest:
    request = TestingRequest.objects.select_for_update().get(pk=request.pk)
    if to_status not in TESTING_FLOW.get(request.status, set()):
        raise ValidationError(_("This testing request cannot move to that step now."))
    before = snapshot(request)
    if to_status == TestingRequest.Status.RESPONSE_FILED:
        record_deadlines_meet(record=request, label_prefix="Response")
    if to_status in (TestingRequest.Status.ORDERED, TestingRequest.Status.DENIED):
        if not order_summary.strip():
            raise ValidationError(_("Summarise the court's order."))
        CourtOrder.objects.create(request=request, ordered_on=timezone.localdate(), summary=order_summary.strip())
    if to_status == TestingRequest.Status.TESTING:
        if not lab.strip():
            raise ValidationError(_("Name the laboratory."))
        request.lab = lab.strip()
    if to_status == TestingRequest.Status.RESULT:
        if not result.strip():
            raise ValidationError(_("Enter the result."))
        request.result = result.strip()
    request.status = to_status
    request.save()
    record_step_add(record=request, step=to_status, actor=actor)
    record_change_audit(record=request, before=before, actor=actor, action=to_status)
    retention_refresh(request)  # a closed record starts its retention period
    return request
