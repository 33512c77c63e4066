"""Staff pages of post-conviction testing requests (Cal. Penal Code § 1405). Every view is
declared with `jti_staff_required`: 404 for staff outside JTI, every read and every export
needs a sign-in less than ten minutes old and is logged, and so is every refusal
(integrity/records/access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.records import selectors, services_testing
from integrity.records.access import jti_staff_required, record_get, record_list_log
from integrity.records.forms import EvidenceItemForm, TestingAssignForm, TestingContinuanceForm, TestingRequestForm
from integrity.records.models import TestingRequest
from integrity.records.views_staff import PAGE_SIZE, detail_context, error_show


@jti_staff_required()
@require_GET
def testing_list_view(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.testing_request_list(user=request.user)[:PAGE_SIZE])
    record_list_log(request, model=TestingRequest, count=len(rows))
    return render(request, "integrity/records/testing_list.html", {"rows": rows, "today": timezone.localdate()})


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def testing_new_view(request: HttpRequest) -> HttpResponse:
    form = TestingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            testing = services_testing.pc1405_request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)  # e.g. no rule in force on the later service date
        else:
            return redirect("integrity:testing_detail", public_id=testing.public_id)
    return render(request, "integrity/records/form.html", {"form": form, "title": _("New testing request")})


@jti_staff_required(reauth=True)
@require_GET
def testing_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(
        request,
        TestingRequest.objects.select_related("response_rule", "extension_rule", "assigned_to").prefetch_related(
            "evidence_items", "court_orders", "continuances__recorded_by"
        ),
        public_id=public_id,
    )
    continuances = list(testing.continuances.all())
    context = detail_context(testing, request.user) | {
        "evidence_form": EvidenceItemForm(),
        "continuances": continuances,
        "continuance": continuances[-1] if continuances else None,
        "continuance_form": TestingContinuanceForm(auto_id="continuance_%s"),
        "assign_form": TestingAssignForm(
            people=services_testing.assignable_prosecutors(testing),
            initial={"person": testing.assigned_to_id},
            auto_id="assign_%s",
        ),
        "next_statuses": [
            (s, label)
            for s, label in TestingRequest.Status.choices
            if s in services_testing.TESTING_FLOW.get(testing.status, set())
        ],
    }
    return render(request, "integrity/records/testing_detail.html", context)


@jti_staff_required()
@require_POST
def testing_evidence_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    form = EvidenceItemForm(request.POST)
    if form.is_valid():
        services_testing.evidence_item_add(request=testing, actor=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Fill in every field of the evidence item."))
    return redirect("integrity:testing_detail", public_id=testing.public_id)


@jti_staff_required()
@require_POST
def testing_advance_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    try:
        services_testing.pc1405_request_advance(
            request=testing,
            to_status=request.POST.get("to_status", ""),
            actor=request.user,
            lab=request.POST.get("lab", ""),
            result=request.POST.get("result", ""),
            order_summary=request.POST.get("order_summary", ""),
        )
    except ValidationError as exc:
        error_show(request, exc)
    return redirect("integrity:testing_detail", public_id=testing.public_id)


@jti_staff_required()
@require_POST
def testing_assign_view(request: HttpRequest, public_id) -> HttpResponse:
    """Assign the prosecutor (a JTI member no conflict wall keeps from the request), or nobody."""
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    form = TestingAssignForm(request.POST, people=services_testing.assignable_prosecutors(testing))
    if not form.is_valid():
        messages.error(request, _("Choose a member of the unit who may work on this request."))
        return redirect("integrity:testing_detail", public_id=testing.public_id)
    try:
        services_testing.pc1405_request_assign(request=testing, person=form.cleaned_data["person"], actor=request.user)
    except ValidationError as exc:
        error_show(request, exc)
    else:
        messages.success(request, _("The assignment was saved."))
    return redirect("integrity:testing_detail", public_id=testing.public_id)


@jti_staff_required()
@require_POST
def testing_continuance_view(request: HttpRequest, public_id) -> HttpResponse:
    """Record a continuance the court granted: the court's date replaces the computed one."""
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    form = TestingContinuanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date of the order, the new response date and the good cause."))
        return redirect("integrity:testing_detail", public_id=testing.public_id)
    try:
        services_testing.pc1405_continuance_record(request=testing, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        error_show(request, exc)
    else:
        messages.success(request, _("The continuance was recorded; the reminders follow the court's date."))
    return redirect("integrity:testing_detail", public_id=testing.public_id)
