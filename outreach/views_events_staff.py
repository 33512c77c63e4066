"""Staff pages of events and presentation requests: lists, an event's registrations with
check-in, the CSV export, cancelling an event, and the presentation request queue. Each
action is a POST-only view calling one service. Only outreach roles hold these permissions:
every other member of staff gets 403."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.accounts import roles
from jcr.core.access import staff
from jcr.core.exports import csv_response
from outreach import selectors, services
from outreach.forms_events import DeclineForm, EventCancelForm, PresentationFilterForm, ScheduleForm
from outreach.models import Event, PresentationRequest, Registration
from outreach.social import selectors as selectors_social

VIEW_EVENT = "outreach.view_event"
VIEW_REGISTRATION = "outreach.view_registration"
CHANGE_REGISTRATION = "outreach.change_registration"
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


# --- Events ----------------------------------------------------------------------------------


@staff(VIEW_EVENT)
@require_GET
def staff_event_list_view(request: HttpRequest) -> HttpResponse:
    include_past = request.GET.get("past") == "1"
    events = list(selectors.event_list_staff(include_past=include_past)[:200])
    for event in events:
        event.alert = bool(event.seats) and event.confirmed_count >= event.seats * Event.CAPACITY_ALERT_RATIO
    return render(request, "outreach/event_staff_list.html", {"events": events, "include_past": include_past})


@staff(VIEW_REGISTRATION)
@require_GET
def staff_event_registrations_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = selectors.event_get_for_staff(public_id=public_id)
    groups = selectors.event_registrations_grouped(event=event)
    return render(
        request,
        "outreach/event_staff_registrations.html",
        {
            "event": event,
            "confirmed": groups[Registration.Status.CONFIRMED],
            "waitlisted": groups[Registration.Status.WAITLISTED],
            "cancelled": groups[Registration.Status.CANCELLED],
            "checked_in": sum(1 for r in groups[Registration.Status.CONFIRMED] if r.checked_in_at),
            "alert": bool(event.seats) and event.confirmed_count >= event.seats * Event.CAPACITY_ALERT_RATIO,
            "cancel_form": EventCancelForm(),
            "can_check_in": request.user.has_perm(CHANGE_REGISTRATION),
            "can_export": request.user.has_perm("outreach.export_registrations"),
            "can_cancel": request.user.has_perm("outreach.publish_event") and not event.is_cancelled,
            "social_actions": selectors_social.source_actions(user=request.user, kind="event", obj=event),
        },
    )


@staff(CHANGE_REGISTRATION)
@require_POST
def staff_registration_check_in_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("event"), public_id=public_id)
    try:
        services.registration_check_in(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
    return redirect("outreach:staff_event_registrations", public_id=registration.event.public_id)


@staff("outreach.export_registrations")
@require_http_methods(["GET", "POST"])
def staff_event_export_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """GET asks to confirm (the file holds personal data); POST with `confirm` returns the CSV
    and writes an audit entry naming who exported how many rows."""
    event = selectors.event_get_for_staff(public_id=public_id)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(request, "outreach/event_staff_export.html", {"event": event})
    registrations = list(event.registrations.order_by("status", "created_at", "id"))
    services.registrations_export_record(event=event, actor=request.user, count=len(registrations))
    return csv_response(
        filename=f"registrations-{event.slug}.csv",
        header=[
            _("Name"),
            _("E-mail"),
            _("Language"),
            _("Status"),
            _("Registered"),
            _("Checked in"),
            _("Accessibility needs"),
        ],
        rows=(
            [
                r.name,
                r.email,
                r.language,
                r.get_status_display(),
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
                r.accessibility_needs,
            ]
            for r in registrations
        ),
    )


@staff("outreach.publish_event")
@require_POST
def staff_event_cancel_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = get_object_or_404(Event, public_id=public_id)
    form = EventCancelForm(request.POST)
    if form.is_valid():
        try:
            services.event_cancel(event=event, actor=request.user, message=form.cleaned_data["message"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("You may not cancel this event.")])))
        else:
            messages.success(request, _("The event is cancelled and its registrants are being told."))
    return redirect("outreach:staff_event_registrations", public_id=event.public_id)


# --- Presentation requests -------------------------------------------------------------------


@staff(VIEW_REQUEST)
@require_GET
def staff_presentation_list_view(request: HttpRequest) -> HttpResponse:
    form = PresentationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.presentation_request_queue(status=status), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "outreach/presentation_staff_list.html", {"form": form, "page": page, "status": status})


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
        "outreach/presentation_staff_detail.html",
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
