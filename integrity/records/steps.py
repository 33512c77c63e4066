"""The names people read for the steps in a confidential record's history (RecordStep.step is a
stored code; the timeline shows these labels, the code itself when there is none)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    # Shared by every kind of record.
    "received": _("Received"),
    "created": _("Created"),
    "assigned": _("Assigned"),
    "deleted": _("Deleted (kept in the database)"),
    "disposed": _("Disposed of"),
    "anonymised": _("Anonymised"),
    "legal_hold": _("Legal hold changed"),
    "retention": _("Retention changed"),
    "retention_reviewed": _("Retention reviewed"),
    # Allegations and claims.
    "review": _("In review"),
    "investigation": _("Under investigation"),
    "finding": _("Finding made"),
    "closed": _("Closed"),
    "court_referral": _("Referred to the court"),
    "screening": _("Screening"),
    "screened": _("Screened"),
    "external_review": _("External review"),
    "declined": _("Declined (letter sent)"),
    "referred": _("Referred"),
    "motion_to_vacate": _("Motion to vacate"),
    # The conflict wall of a claim.
    "conflict_wall": _("Walled off the claim"),
    "conflict_wall_lifted": _("Wall lifted"),
    "conflict_wall_proposed": _("Wall proposed, waiting for a second person"),
    "conflict_wall_lift_proposed": _("Lifting the wall proposed, waiting for a second person"),
    "conflict_wall_change_rejected": _("Proposed wall change rejected"),
    # PC 1405 testing requests.
    "response_filed": _("Response filed"),
    "ordered": _("Testing ordered"),
    "testing": _("At the laboratory"),
    "result": _("Result received"),
    "denied": _("Denied by the court"),
    "evidence_item": _("Evidence item added"),
    "continued": _("Continued by the court"),
    "prosecutor_assigned": _("Prosecutor assigned"),
    # The disclosure index.
    "disclosed": _("Disclosed"),
}


def step_label(step: str) -> str:
    """The label of a step code (a code with a suffix, such as `disposed:destroy`, is named by
    its first part), else the code."""
    label = STEP_LABELS.get(step) or STEP_LABELS.get(step.split(":", 1)[0])
    return str(label) if label else step
