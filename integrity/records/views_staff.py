"""Staff pages of the confidential records: the records home, soft deletion, retention and legal
hold (each kind of record has its pages in `views_staff_<kind>.py`). Every view is declared with
`jti_staff_required` (or `JTIStaffRequiredMixin`): 404 for staff outside JTI, every read
(lists, searches and by-case views included) and every export needs a sign-in less than
ten minutes old and is logged, and so is every refusal (integrity/records/access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from integrity.records import retention, selectors, services, services_retention
from integrity.records.access import (
    DENIED_PERMISSION,
    JTIStaffRequiredMixin,
    jti_staff_required,
    record_get,
    record_list_log,
    require_recent_sign_in,
)
from integrity.records.forms import DisposalForm, RetentionForm, SoftDeleteForm
from integrity.records.models import Allegation, Claim, DisclosureEntry, TestingRequest

PAGE_SIZE = 50


class RecordsHomeView(JTIStaffRequiredMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "integrity/records/home.html"

    def get_context_data(self, **kwargs):
        context = selectors.records_home_context(user=self.request.user)
        for row in context["deadlines"]:
            record = row["record"]
            if record:
                record["url"] = reverse(DETAIL_NAMES[record["kind"]], kwargs={"public_id": record["public_id"]})
                record["kind_label"] = RECORD_KIND_LABELS[record["kind"]]
        record_list_log(self.request, model=None, count=len(context["deadlines"]))
        return {**super().get_context_data(**kwargs), **context}


def error_show(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def detail_context(record, user=None) -> dict:
    # Computed live: the stored date is refreshed when the record closes and before each run.
    schedule, until = retention.retention_compute(record)
    return {
        "record": record,
        "steps": list(selectors.record_steps(record=record)),
        "deadlines": list(selectors.record_deadlines(record=record)),
        "delete_form": SoftDeleteForm(),
        "retention_form": RetentionForm(
            initial={
                "legal_hold": record.legal_hold,
                "extended_until": record.retention_extended_until,
                "case_final_on": record.case_final_on,
            },
            auto_id="retention_%s",
        ),
        "retention": {
            "schedule": schedule,
            "until": until,
            "scheduled_until": retention.scheduled_until(record, schedule),
            "due": services_retention.record_is_due(record) and bool(until and until < timezone.localdate()),
            "can_dispose": bool(user and user.has_perm(services_retention.APPROVE_PERMISSION)),
        },
    }


# --- Soft delete --------------------------------------------------------------------------

DELETABLE = {
    "allegation": (Allegation, "integrity:allegation_list"),
    "claim": (Claim, "integrity:claim_list"),
    "testing": (TestingRequest, "integrity:testing_list"),
    "disclosure": (DisclosureEntry, "integrity:disclosure_list"),
}


@jti_staff_required()
@require_POST
def record_delete_view(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Soft delete: the row stays, marked deleted; refused under legal hold."""
    if kind not in DELETABLE:
        raise Http404
    model, list_name = DELETABLE[kind]
    record = record_get(request, model.objects, public_id=public_id, log=None)
    form = SoftDeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for deleting this record."))
        services.record_soft_delete(
            record=record, actor=request.user, reason=form.cleaned_data["reason"], route="staff:record_delete"
        )
    except ValidationError as exc:
        error_show(request, exc)
        return redirect(list_name)
    messages.success(
        request, _("The record was deleted. It is kept in the database and can be restored by an administrator.")
    )
    return redirect(list_name)


# --- Retention and legal hold -------------------------------------------------------------

DETAIL_NAMES = {
    "allegation": "integrity:allegation_detail",
    "claim": "integrity:claim_detail",
    "testing": "integrity:testing_detail",
    "disclosure": "integrity:disclosure_detail",
}


@jti_staff_required()
@require_POST
def record_retention_view(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Set the legal hold, the retention extension and the case-final day of one record (holders of the model's change
    permission: JTI Staff and JTI Chief). A change: needs a sign-in less than ten minutes old,
    after the object rules, so a walled-off person still gets 404."""
    if kind not in DELETABLE:
        raise Http404
    model, _list_name = DELETABLE[kind]
    if not request.user.has_perm(f"integrity.change_{model._meta.model_name}"):
        request.jti_denied = DENIED_PERMISSION
        raise Http404
    record = record_get(request, model.objects, public_id=public_id, log=None)
    detail_url = reverse(DETAIL_NAMES[kind], kwargs={"public_id": record.public_id})
    require_recent_sign_in(request, next_url=detail_url)
    form = RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date as YYYY-MM-DD, or leave it empty."))
        return redirect(detail_url)
    try:
        changed = services_retention.record_retention_set(record=record, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        error_show(request, exc)
    else:
        messages.success(request, _("Retention saved.") if changed else _("Nothing changed."))
    return redirect(detail_url)


@jti_staff_required(services_retention.APPROVE_PERMISSION)
@require_POST
def record_disposal_view(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Dispose of or anonymise one record past its retention date and not on hold (records
    officers: `integrity.approve_disposition`), with a reason and a confirmation. A change:
    a recent sign-in, checked after the object rules."""
    if kind not in DELETABLE:
        raise Http404
    model, _list_name = DELETABLE[kind]
    record = record_get(request, model.objects, public_id=public_id, log=None)
    detail_url = reverse(DETAIL_NAMES[kind], kwargs={"public_id": record.public_id})
    require_recent_sign_in(request, next_url=detail_url)
    form = DisposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason and confirm."))
        return redirect(detail_url)
    action = form.cleaned_data["action"]
    disposition = (
        services_retention.Disposition.ANONYMISE if action == "anonymise" else services_retention.Disposition.DESTROY
    )
    try:
        services_retention.record_dispose_by_schedule(
            record=record,
            actor=request.user,
            disposition=disposition,
            reason=form.cleaned_data["reason"],
            route=PAGE_ROUTE,
        )
    except ValidationError as exc:
        error_show(request, exc)
        return redirect(detail_url)
    if action == "anonymise":
        messages.success(request, _("The record was anonymised."))
        return redirect(detail_url)
    messages.success(request, _("The record was disposed of. It is kept in the database, marked deleted."))
    return redirect(_list_name)


PAGE_ROUTE = services_retention.PAGE_ROUTE

RECORD_KIND_LABELS = {
    "allegation": gettext_lazy("Misconduct allegation"),
    "claim": gettext_lazy("Wrongful-conviction claim"),
    "testing": gettext_lazy("Testing request"),
    "disclosure": gettext_lazy("Disclosure index entry"),
}


@jti_staff_required()
@require_GET
def retention_list_view(request: HttpRequest) -> HttpResponse:
    """Records past their retention date and not on hold (for a person to review), or on
    legal hold. Nothing here deletes anything."""
    show = request.GET.get("show", selectors.RETENTION_DUE)
    if show not in (selectors.RETENTION_DUE, selectors.RETENTION_HOLD):
        show = selectors.RETENTION_DUE
    page = Paginator(selectors.retention_rows(user=request.user, show=show), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        row
        | {
            "url": reverse(DETAIL_NAMES[row["kind"]], kwargs={"public_id": row["public_id"]}),
            "kind_label": RECORD_KIND_LABELS[row["kind"]],
        }
        for row in page
    ]
    record_list_log(request, model=None, count=len(rows), filters={"show": show, "page": page.number})
    return render(
        request,
        "integrity/records/retention_list.html",
        {"page": page, "rows": rows, "show": show, "today": timezone.localdate()},
    )
