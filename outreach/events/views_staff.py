"""Staff pages of events: the list, an event's registrations with check-in, the CSV export
and cancelling an event. Each action is a POST-only view calling one service. Only outreach
roles hold these permissions: every other member of staff gets 403."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import staff
from jcr.core.exports import csv_export
from outreach.events import selectors, services, services_changes
from outreach.events.forms import EventCancelForm, EventCapacityForm, EventMessageForm
from outreach.events.models import Event, Registration
from outreach.social import selectors as selectors_social

VIEW_EVENT = "outreach.view_event"
VIEW_REGISTRATION = "outreach.view_registration"
CHANGE_REGISTRATION = "outreach.change_registration"


@staff(VIEW_EVENT)
@require_GET
def staff_event_list_view(request: HttpRequest) -> HttpResponse:
    include_past = request.GET.get("past") == "1"
    events = list(selectors.event_list_staff(include_past=include_past)[:200])
    for event in events:
        event.alert = bool(event.seats) and event.confirmed_count >= event.seats * Event.CAPACITY_ALERT_RATIO
    return render(request, "outreach/events/event_staff_list.html", {"events": events, "include_past": include_past})


@staff(VIEW_REGISTRATION)
@require_GET
def staff_event_registrations_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = selectors.event_get_for_staff(public_id=public_id)
    groups = selectors.event_registrations_grouped(event=event)
    return render(
        request,
        "outreach/events/event_staff_registrations.html",
        {
            "event": event,
            "confirmed": groups[Registration.Status.CONFIRMED],
            "waitlisted": groups[Registration.Status.WAITLISTED],
            "cancelled": groups[Registration.Status.CANCELLED],
            "checked_in": sum(1 for r in groups[Registration.Status.CONFIRMED] if r.checked_in_at),
            "alert": bool(event.seats) and event.confirmed_count >= event.seats * Event.CAPACITY_ALERT_RATIO,
            "cancel_form": EventCancelForm(),
            "capacity_form": EventCapacityForm(initial={"capacity": event.capacity}),
            "can_change": request.user.has_perm("outreach.change_event") and not event.is_cancelled,
            "can_message": request.user.has_perm(CHANGE_REGISTRATION),
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
        return render(request, "outreach/events/event_staff_export.html", {"event": event})
    registrations = list(event.registrations.order_by("status", "created_at", "id"))
    return csv_export(
        actor=request.user,
        action="outreach.registration.export",
        obj=event,
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


@staff("outreach.change_event")
@require_POST
def staff_event_capacity_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Change the capacity: seats added go to the wait list first (they are e-mailed); a
    capacity that would drop a confirmed seat is refused with the reason."""
    event = get_object_or_404(Event, public_id=public_id)
    form = EventCapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("outreach:staff_event_registrations", public_id=event.public_id)
    try:
        counts = services_changes.event_capacity_set(
            event=event, capacity=form.cleaned_data["capacity"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The capacity is now %(capacity)s. People promoted from the wait list: %(promoted)s.")
            % {"capacity": form.cleaned_data["capacity"], "promoted": counts["promoted"]},
        )
    return redirect("outreach:staff_event_registrations", public_id=event.public_id)


@staff(CHANGE_REGISTRATION)
@require_http_methods(["GET", "POST"])
def staff_event_message_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """E-mail the registrants of an event, or a segment of them. A first POST previews (who
    and how many); the POST with `confirm` queues the e-mails (sent after commit) and writes
    an audit entry."""
    event = selectors.event_get_for_staff(public_id=public_id)
    counts = selectors.event_message_counts(event=event)
    form = EventMessageForm(request.POST if request.method == "POST" else None, initial={"segment": "all"})
    if form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes":
            sent = services_changes.event_message_send(
                event=event, segment=data["segment"], subject=data["subject"], body=data["body"], actor=request.user
            )
            messages.success(
                request,
                ngettext(
                    "Your message is being sent to %(count)s person.",
                    "Your message is being sent to %(count)s people.",
                    sent,
                )
                % {"count": sent},
            )
            return redirect("outreach:staff_event_registrations", public_id=event.public_id)
        return render(
            request,
            "outreach/events/event_staff_message.html",
            {
                "event": event,
                "form": form,
                "counts": counts,
                "preview": True,
                "preview_count": counts[data["segment"]],
                "segment_label": dict(EventMessageForm.SEGMENTS)[data["segment"]],
            },
        )
    return render(request, "outreach/events/event_staff_message.html", {"event": event, "form": form, "counts": counts})
