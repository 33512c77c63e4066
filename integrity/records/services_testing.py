"""Writes of post-conviction DNA testing requests (Cal. Penal Code § 1405): the request, its
statutory response deadline, evidence items and the workflow."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.records.access import CHANGE
from integrity.records.models import CourtOrder, DeadlineRule, EvidenceItem, TestingRequest
from integrity.records.services import record_change_audit, record_deadline_add, record_deadlines_meet, record_step_add
from jcr.core.audit import audit_record, snapshot


def pc1405_response_due(*, rule: DeadlineRule, served_on: date) -> date:
    """The response deadline: `rule.days` calendar days after service (a configurable value
    kept as data, not legal advice)."""
    return rule.due_from(served_on)


@transaction.atomic
def pc1405_request_create(
    *,
    petitioner: str,
    case_number: str,
    court: str,
    served_on: date,
    counsel: str = "",
    rule: DeadlineRule | None = None,
    actor,
) -> TestingRequest:
    rule = rule or DeadlineRule.objects.filter(is_active=True, code="pc1405-response").first()
    if rule is None:
        raise ValidationError(_("No deadline rule is set up for testing requests."))
    request = TestingRequest(
        petitioner=petitioner.strip(),
        case_number=case_number.strip(),
        court=court.strip(),
        counsel=counsel.strip(),
        served_on=served_on,
        rule=rule,
        response_due=pc1405_response_due(rule=rule, served_on=served_on),
    )
    request.full_clean()
    request.save()
    record_deadline_add(
        record=request,
        label="Response",
        due_on=request.response_due,
        remind_days_before=rule.remind_days_before,
        remind_to=actor if getattr(actor, "is_authenticated", False) else None,
    )
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
    return request
