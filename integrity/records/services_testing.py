"""Writes of post-conviction DNA testing requests (Cal. Penal Code § 1405): the request, its
statutory response deadline (computed from the rules registry, integrity.rules), evidence items
and the workflow."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE
from integrity.records.models import CourtOrder, EvidenceItem, TestingRequest
from integrity.records.retention import retention_refresh
from integrity.records.services import record_change_audit, record_deadline_add, record_deadlines_meet, record_step_add
from integrity.rules import selectors as rules_selectors
from jcr.core.audit import audit_record, snapshot

# Reminders to the person who entered the request: 30, 14, 7 and 2 days before the response
# is due and on the day; the day after, if the response is still not filed, the JTI Chief
# (the supervisor) is told (records' deadline reminders: a row each, all met when the response
# is filed).
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
    _response_deadlines_add(request=request, remind_to=actor if getattr(actor, "is_authenticated", False) else None)
    record_step_add(record=request, step=TestingRequest.Status.RECEIVED, actor=actor)
    audit_record(action=f"integrity.record.{CHANGE}", obj=request, actor=actor, after={"created": True})
    return request


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
