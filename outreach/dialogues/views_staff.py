"""Staff pages of the community dialogues: the series, the applications of each district and
group against their seats, eligibility decisions, the draw and the participant list."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import staff
from jcr.core.exports import csv_export
from outreach.dialogues import selectors, services
from outreach.dialogues.forms import ApplicationFilterForm, ConfirmForm, EligibilityForm

VIEW = "outreach.view_dialogueapplication"
PAGE_SIZE = 50


@staff("outreach.view_dialogueseries")
@require_GET
def staff_dialogue_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "outreach/dialogues/dialogue_staff_list.html", {"series_list": selectors.series_list_staff()}
    )


def _series_page(request: HttpRequest, series, *, confirm_form=None, status: int = 200) -> HttpResponse:
    table = selectors.stratum_table(series=series)
    form = ApplicationFilterForm(request.GET or None, districts=[(row["slug"], row["name"]) for row in table])
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(selectors.application_list_staff(series=series, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    user = request.user
    return render(
        request,
        "outreach/dialogues/dialogue_staff_series.html",
        {
            "series": series,
            "table": table,
            "form": form,
            "page": page,
            "kept": kept,
            "filtered": bool(filters and any(filters.values())),
            "can_draw": user.has_perm("outreach.run_dialogue_draw"),
            "can_export": user.has_perm("outreach.export_dialogue_participants"),
            "draw_ready": series.is_ready_to_draw(),
            "confirm_form": confirm_form or ConfirmForm(expected=series.slug),
        },
        status=status,
    )


@staff(VIEW)
@require_GET
def staff_dialogue_series_view(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_get_for_staff(slug=slug)
    return _series_page(request, series)


@staff(VIEW)
@require_GET
def staff_dialogue_application_view(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    series = selectors.series_get_for_staff(slug=slug)
    application = selectors.application_get_for_staff(series=series, public_id=public_id)
    return _application_page(request, series, application)


def _application_page(request, series, application, *, form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "outreach/dialogues/dialogue_staff_application.html",
        {
            "series": series,
            "application": application,
            "form": form or EligibilityForm(),
            "can_change": request.user.has_perm("outreach.change_dialogueapplication") and not series.is_drawn,
        },
        status=status,
    )


@staff("outreach.change_dialogueapplication")
@require_POST
def staff_dialogue_eligibility_view(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    series = selectors.series_get_for_staff(slug=slug)
    application = selectors.application_get_for_staff(series=series, public_id=public_id)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            application = services.dialogue_application_set_eligibility(
                application=application,
                eligible=form.cleaned_data["eligible"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _("Application %(id)s is now: %(status)s.") % {
                "id": application.pseudonym,
                "status": application.get_status_display(),
            }
            messages.success(request, message)
            return redirect("outreach:staff_dialogue_application", slug=series.slug, public_id=application.public_id)
    return _application_page(request, series, application, form=form, status=400)


@staff("outreach.run_dialogue_draw")
@require_http_methods(["GET", "POST"])
def staff_dialogue_draw_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what the draw will do and the confirmation form; POST: draw (re-confirmed by typing
    the series' short name)."""
    series = selectors.series_get_for_staff(slug=slug)
    form = ConfirmForm(request.POST if request.method == "POST" else None, expected=series.slug)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.dialogue_draw_run(series=series, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            selected = sum(len(r["selected"]) for r in record["results"].values())
            waitlisted = sum(len(r["waitlist"]) for r in record["results"].values())
            messages.success(
                request,
                _("The lottery is drawn: %(selected)d selected, %(waitlisted)d on wait lists. Everyone was e-mailed.")
                % {"selected": selected, "waitlisted": waitlisted},
            )
            return redirect("outreach:staff_dialogue_series", slug=series.slug)
    pool, seats = services.draw_inputs(series)
    return render(
        request,
        "outreach/dialogues/dialogue_staff_draw.html",
        {
            "series": series,
            "form": form,
            "pool_size": sum(len(ids) for ids in pool.values()),
            "strata": len(pool),
            "oversubscribed": sum(1 for key, ids in pool.items() if len(ids) > seats.get(key, 0)),
            "draw_ready": series.is_ready_to_draw(),
        },
        status=400 if form.is_bound else 200,
    )


@staff("outreach.export_dialogue_participants")
@require_POST
def staff_dialogue_export_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The participant list as CSV, after the person re-confirms; the export is audited."""
    series = selectors.series_get_for_staff(slug=slug)
    form = ConfirmForm(request.POST, expected=series.slug)
    if not form.is_valid():
        messages.error(request, _("Type the series' short name to export its participant list."))
        return _series_page(request, series, confirm_form=form, status=400)
    rows = selectors.participant_list_for_export(series=series)
    columns = {
        "district": _("District"),
        "group": _("Group"),
        "status": _("Status"),
        "waitlist_rank": _("Place on the wait list"),
        "pseudonym": _("Pseudonymous id"),
        "name": _("Name"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "language": _("Language"),
    }
    return csv_export(
        actor=request.user,
        action="outreach.dialogue_series.export",
        obj=series,
        filename=f"{series.slug}-participants.csv",
        header=columns.values(),
        rows=([row.get(key, "") for key in columns] for row in rows),
    )
