"""Staff pages of bills: the unit's landing page, the bill list, a bill's three tabs (overview,
analysis and position, legislative record), the weekly digest, and one POST-only view per
action on a bill (tracking, comment, follow, proposing a position, adding a hearing or a
task), each calling one service. Sign-off and letters are in govrelations.positions, the
hearing calendar in govrelations.hearings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govrelations.bills import selectors, services
from govrelations.bills.forms import BillFilterForm, CommentForm, HearingForm, TaskForm, TrackForm
from govrelations.bills.models import Bill, DigestSubscription, ImplementationTask, LegislativeSession, Subject
from govrelations.hearings import services as hearing_services
from govrelations.positions import services as position_services
from govrelations.positions.forms import DecisionForm, LetterForm, ProposeForm
from govrelations.positions.models import Position
from jcr.core.access import staff

VIEW = "accounts.access_govrelations"  # the unit and the bureau chief; not administrators
PAGE_SIZE = 25


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@staff("accounts.access_govrelations")
@require_GET
def staff_landing_view(request: HttpRequest) -> HttpResponse:
    return render(request, "govrelations/bills/staff_landing.html", selectors.staff_landing_context(user=request.user))


@staff(VIEW)
@require_GET
def staff_bill_list_view(request: HttpRequest) -> HttpResponse:
    form = BillFilterForm(
        request.GET or None,
        sessions=list(LegislativeSession.objects.select_related("jurisdiction")),
        subjects=list(Subject.objects.all()),
        people=list(selectors.analyst_list()),
    )
    filters = form.filters() if form.is_bound else {}
    paginator = Paginator(selectors.bill_list_for_staff(filters=filters, user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for bill in page.object_list:
        bill.approved_stance_label = Position.Stance(bill.approved_stance).label if bill.approved_stance else ""
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return render(
        request,
        "govrelations/bills/staff_bill_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(kept),
            "query_prefix": "?" + urlencode([*kept, ("page", "")]),
        },
    )


def _tabs(bill, active: str) -> dict:
    return {"bill": bill, "tab": active}


@staff(VIEW)
@require_GET
def staff_bill_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    context = selectors.bill_overview(bill=bill, user=request.user) | {"tab": "overview"}
    stance = context["bill"].approved_stance
    context["approved_label"] = Position.Stance(stance).label if stance else ""
    user = request.user
    if user.has_perm("govrelations.add_hearing"):
        context["hearing_form"] = HearingForm()
    if user.has_perm("govrelations.add_implementationtask"):
        context["task_form"] = TaskForm(people=list(selectors.analyst_list()))
    context["can_complete_tasks"] = user.has_perm("govrelations.change_implementationtask")
    return render(request, "govrelations/bills/staff_bill_detail.html", context)


@staff(VIEW)
@require_GET
def staff_bill_analysis_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    user = request.user
    context = selectors.bill_analysis(bill=bill) | _tabs(bill, "analysis")
    can_edit = user.has_perm("govrelations.change_bill")
    context |= {
        "can_edit": can_edit,
        "can_comment": user.has_perm("govrelations.add_billcomment"),
        "can_propose": user.has_perm("govrelations.add_position") and context["pending"] is None,
        "can_translate": user.has_perm("govrelations.add_position"),
        "can_approve": user.has_perm("govrelations.approve_position"),
        "can_letter": user.has_perm("govrelations.add_positionletter"),
        "comment_form": CommentForm(),
        "propose_form": ProposeForm(),
        "decision_form": DecisionForm(),
        "letter_form": LetterForm(),
    }
    if can_edit:
        context["track_form"] = TrackForm(
            initial={
                "is_watched": bill.is_watched,
                "priority": bill.priority,
                "analyst": str(bill.analyst.public_id) if bill.analyst else "",
                "analysis_memo": bill.analysis_memo,
            },
            people=list(selectors.analyst_list()),
        )
    return render(request, "govrelations/bills/staff_bill_analysis.html", context)


@staff(VIEW)
@require_GET
def staff_bill_record_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    context = selectors.bill_record(bill=bill) | _tabs(bill, "record")
    return render(request, "govrelations/bills/staff_bill_record.html", context)


@staff("govrelations.change_bill")
@require_POST
def staff_bill_track_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    form = TrackForm(request.POST, people=list(selectors.analyst_list()))
    if form.is_valid():
        try:
            services.bill_track(
                bill=bill,
                actor=request.user,
                is_watched=form.cleaned_data["is_watched"],
                priority=form.cleaned_data["priority"],
                analyst=form.analyst_user(),
                analysis_memo=form.cleaned_data["analysis_memo"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Tracking saved."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_analysis", public_id=bill.public_id)


@staff("govrelations.add_billcomment")
@require_POST
def staff_bill_comment_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.bill_comment_add(bill=bill, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Comment added."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_analysis", public_id=bill.public_id)


@staff(VIEW)
@require_POST
def staff_bill_follow_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    if request.POST.get("follow") == "0":
        services.bill_unfollow(bill=bill, user=request.user)
        messages.success(request, _("You no longer follow this bill."))
    else:
        services.bill_follow(bill=bill, user=request.user)
        messages.success(request, _("You follow this bill: new actions will be e-mailed to you."))
    return redirect("govrelations:staff_bill_detail", public_id=bill.public_id)


@staff("govrelations.add_position")
@require_POST
def staff_position_propose_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            position_services.position_propose(
                bill=bill,
                actor=request.user,
                stance=form.cleaned_data["stance"],
                reasons=form.cleaned_data["reasons"],
                reasons_es=form.cleaned_data["reasons_es"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Position proposed: it waits for a supervisor's sign-off."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_analysis", public_id=bill.public_id)


@staff("govrelations.add_hearing")
@require_POST
def staff_hearing_add_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    form = HearingForm(request.POST)
    if form.is_valid():
        try:
            hearing_services.hearing_create(bill=bill, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Hearing added. The assigned analyst will be reminded before it."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_detail", public_id=bill.public_id)


@staff("govrelations.add_implementationtask")
@require_POST
def staff_task_add_view(request: HttpRequest, public_id) -> HttpResponse:
    bill = selectors.bill_get_for_staff(public_id=public_id)
    form = TaskForm(request.POST, people=list(selectors.analyst_list()))
    if form.is_valid():
        try:
            services.implementation_task_create(
                bill=bill,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                owner=form.owner_user(),
                due_on=form.cleaned_data["due_on"],
                integrity_url=form.cleaned_data["integrity_url"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Task added."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_detail", public_id=bill.public_id)


@staff("govrelations.change_implementationtask")
@require_POST
def staff_task_complete_view(request: HttpRequest, public_id) -> HttpResponse:
    task = get_object_or_404(ImplementationTask.objects.select_related("bill"), public_id=public_id)
    services.implementation_task_complete(task=task, actor=request.user)
    messages.success(request, _("Task completed."))
    return redirect("govrelations:staff_bill_detail", public_id=task.bill.public_id)


@staff(VIEW)
@require_http_methods(["GET", "POST"])
def staff_digest_view(request: HttpRequest) -> HttpResponse:
    """The weekly digest: whether you receive it (GET), and switching it on or off (POST)."""
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        services.digest_subscribe(user=request.user, active=active)
        messages.success(
            request,
            _("You will receive the weekly digest.") if active else _("You will no longer receive the weekly digest."),
        )
        return redirect("govrelations:staff_digest")
    return render(
        request,
        "govrelations/bills/staff_digest.html",
        {
            "digest_active": DigestSubscription.objects.filter(user=request.user, is_active=True).exists(),
            "followed": list(
                Bill.objects.filter(follows__user=request.user).select_related("session").order_by("identifier")
            ),
        },
    )
