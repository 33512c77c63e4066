"""Staff pages of presentation requests: the queue, a request's page, and scheduling,
delivering or declining it. Each action is a POST-only view calling one service. Only
outreach roles hold these permissions: every other member of staff gets 403."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jcr.accounts import roles
from jcr.core.access import staff
from outreach.programs import selectors, services
from outreach.programs.forms import DeclineForm, PresentationFilterForm, ScheduleForm
from outreach.programs.models import PresentationRequest

VIEW_REQUEST = "outreach.view_presentationrequest"
CHANGE_REQUEST = "outreach.change_presentationrequest"
REQUESTS_PER_PAGE = 25


def _presenters():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[roles.OUTREACH_STAFF, roles.OUTREACH_SUPERVISOR])
        .distinct()
        .order_by("full_name", "email")
    )


@staff(VIEW_REQUEST)
@require_GET
def staff_presentation_list_view(request: HttpRequest) -> HttpResponse:
    form = PresentationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.presentation_request_list_staff(status=status), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "outreach/programs/presentation_staff_list.html", {"form": form, "page": page, "status": status}
    )


def _presentation_page(request, presentation, *, schedule_form=None, decline_form=None, status=200):
    can_change = request.user.has_perm(CHANGE_REQUEST)
    open_request = presentation.status in (PresentationRequest.Status.NEW, PresentationRequest.Status.SCHEDULED)
    initial = {}
    if presentation.scheduled_for:
        initial["scheduled_for"] = timezone.localtime(presentation.scheduled_for)
    if presentation.presenter_id:
        initial["presenter"] = presentation.presenter_id
    return render(
        request,
        "outreach/programs/presentation_staff_detail.html",
        {
            "presentation": presentation,
            "preferred_dates": presentation.preferred_dates,
            "schedule_form": schedule_form or ScheduleForm(initial=initial, presenters=_presenters()),
            "decline_form": decline_form or DeclineForm(),
            "can_change": can_change and open_request,
            "can_deliver": can_change and presentation.status == PresentationRequest.Status.SCHEDULED,
            "reminders": list(presentation.reminders.all()),
        },
        status=status,
    )


@staff(VIEW_REQUEST)
@require_GET
def staff_presentation_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    presentation = selectors.presentation_request_get_for_staff(public_id=public_id)
    return _presentation_page(request, presentation)


@staff(CHANGE_REQUEST)
@require_POST
def staff_presentation_schedule_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    presentation = selectors.presentation_request_get_for_staff(public_id=public_id)
    form = ScheduleForm(request.POST, presenters=_presenters())
    if form.is_valid():
        try:
            services.presentation_request_schedule(
                request=presentation,
                scheduled_for=form.cleaned_data["scheduled_for"],
                presenter=form.cleaned_data["presenter"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The presentation is scheduled and the requester is told."))
            return redirect("outreach:staff_presentation_detail", public_id=presentation.public_id)
    return _presentation_page(request, presentation, schedule_form=form, status=400)


@staff(CHANGE_REQUEST)
@require_POST
def staff_presentation_deliver_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    presentation = selectors.presentation_request_get_for_staff(public_id=public_id)
    try:
        services.presentation_request_deliver(request=presentation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The presentation is recorded as delivered."))
    return redirect("outreach:staff_presentation_detail", public_id=presentation.public_id)


@staff(CHANGE_REQUEST)
@require_POST
def staff_presentation_decline_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    presentation = selectors.presentation_request_get_for_staff(public_id=public_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.presentation_request_decline(
                request=presentation, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The request is declined and the requester is told."))
            return redirect("outreach:staff_presentation_detail", public_id=presentation.public_id)
    return _presentation_page(request, presentation, decline_form=form, status=400)
