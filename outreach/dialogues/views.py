"""Residents' pages of the community dialogues: the series, applying, the draw record, the
accept/decline link and the follow-up (subcommittees and recommendations).

Pages that are the same for everyone are cached for anonymous visitors; the pages of one
application (its confirmation, its accept/decline link) are personal: never cached, never
indexed, never in the sitemap.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jcr.core import geocoding
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.geo import areas_containing, map_context
from outreach.dialogues import lottery, selectors, services
from outreach.dialogues.forms import DialogueApplicationForm, DialogueRespondForm
from outreach.dialogues.models import DialogueApplication


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_GET
@cache_public_page
def dialogue_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/dialogues/dialogue_list.html", {"series_list": selectors.series_list_public()})


@public
@require_GET
@cache_public_page
def dialogue_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_get_public(slug=slug)
    return render(
        request,
        "outreach/dialogues/dialogue_detail.html",
        {
            "series": series,
            "sessions": selectors.series_sessions_public(series=series),
            "window_open": series.window_is_open(),
            "window_closed": series.window_has_closed(),
            "subcommittees": selectors.subcommittee_list_public(series=series),
        },
    )


@public
@require_http_methods(["GET", "POST"])
def dialogue_apply_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form. Outside the window it says when applications open or that they
    closed, and shows no form."""
    series = selectors.series_get_public(slug=slug)
    if not series.window_is_open():
        return render(request, "outreach/dialogues/dialogue_apply.html", {"series": series, "form": None})
    districts = selectors.series_districts(series=series)
    form = DialogueApplicationForm(
        request.POST if request.method == "POST" else None,
        districts=districts,
        initial={"language": request.LANGUAGE_CODE},
    )
    residence = _residence(form, districts) if request.method == "POST" and form.is_valid() else None
    if residence is not None:
        data = form.cleaned_data
        district, latitude, longitude = residence
        try:
            application, _merged = services.dialogue_application_submit(
                series=series,
                district=district,
                group=data["group"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
                address=data["address"],
                latitude=latitude,
                longitude=longitude,
                language=data["language"],
                commits_to_learning=data["commits_to_learning"],
                commits_to_research=data["commits_to_research"],
                commits_to_problem_solving=data["commits_to_problem_solving"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if _merged:
                messages.info(request, _("You had already applied: we updated your application with these answers."))
            return redirect("outreach:dialogue_apply_done", slug=series.slug, public_id=application.public_id)
    return render(
        request, "outreach/dialogues/dialogue_apply.html", {"series": series, "form": form, "map": map_context()}
    )


def _residence(form: DialogueApplicationForm, districts) -> tuple | None:
    """(district, latitude, longitude) of a valid application form: the pin when one was placed,
    otherwise the typed address looked up (jcr.core.geocoding); the district chosen, otherwise the
    one the point lies in. None, with the reason on the form (kept as typed), when the district
    cannot be told."""
    data = form.cleaned_data
    latitude, longitude = data["latitude"], data["longitude"]
    unavailable = False
    if latitude is None and data["address"].strip():
        try:
            found = geocoding.geocode_one(data["address"])
        except geocoding.GeocodingUnavailable:
            found, unavailable = None, True
        if found is not None:
            latitude, longitude = found.latitude, found.longitude
    district = form.chosen_district()
    if district is None:
        if latitude is not None:
            containing = {area.pk for area in areas_containing(lon=longitude, lat=latitude)}
            district = next((area for area in districts if area.pk in containing), None)
        if district is None:
            form.add_error(
                "district",
                geocoding.UNAVAILABLE_MESSAGE
                if unavailable
                else _("Choose your district: we could not tell it from your address."),
            )
            return None
    return district, latitude, longitude


@public
@require_GET
@never_cache
def dialogue_apply_done_view(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    series = selectors.series_get_public(slug=slug)
    application = selectors.application_get_public(series=series, public_id=public_id)
    return _noindex(
        render(request, "outreach/dialogues/dialogue_apply_done.html", {"series": series, "application": application})
    )


@public
@require_GET
@cache_public_page
def dialogue_draw_record_view(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_get_public(slug=slug, with_record=True)
    return render(
        request,
        "outreach/dialogues/dialogue_draw_record.html",
        {
            "series": series,
            "draw": selectors.draw_record_get_public(series=series),
            "algorithm_version": lottery.ALGORITHM_VERSION,
        },
    )


@public
@require_GET
@cache_public_page
def dialogue_draw_record_json_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The published record as JSON (for `manage.py dialogue_draw_verify --file`): before the
    draw, only the commitment."""
    series = selectors.series_get_public(slug=slug, with_record=True)
    record = series.draw_record or {
        "series": series.slug,
        "algorithm_version": lottery.ALGORITHM_VERSION,
        "commitment": series.commitment,
    }
    response = JsonResponse(record, json_dumps_params={"indent": 2, "sort_keys": True})
    response["Content-Disposition"] = f'inline; filename="{series.slug}-draw.json"'
    return response


@public
@require_http_methods(["GET", "POST"])
@never_cache
def dialogue_respond_view(request: HttpRequest, token: str) -> HttpResponse:
    """The selected applicant's page (the link in their e-mail): the session's date, time and
    location, and the buttons to accept or decline before the deadline."""
    application, session = selectors.offer_get_by_token(token=token)
    form = DialogueRespondForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.dialogue_application_respond(
                token=token, accept=form.cleaned_data["answer"] == "accept"
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if application.status == DialogueApplication.Status.ACCEPTED:
                messages.success(request, _("Thank you: your seat is confirmed. See you at the session."))
                return redirect("outreach:dialogue_respond", token=token)
            if application.status == DialogueApplication.Status.DECLINED:
                messages.info(request, _("Thank you for telling us. We offered your seat to the next person."))
            else:
                messages.warning(request, _("The time to answer had passed, so the seat went to the next person."))
            return redirect("outreach:dialogue_detail", slug=application.series.slug)
    return _noindex(
        render(
            request,
            "outreach/dialogues/dialogue_respond.html",
            {
                "application": application,
                "series": application.series,
                "session": session,
                "form": form,
                "can_answer": application.status == DialogueApplication.Status.SELECTED
                and (application.response_deadline is None or application.response_deadline > timezone.now()),
            },
        )
    )


@public
@require_GET
@cache_public_page
def dialogue_recommendation_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_get_public(slug=slug)
    return render(
        request,
        "outreach/dialogues/dialogue_recommendation_list.html",
        {"series": series, "subcommittees": selectors.subcommittee_list_public(series=series)},
    )


@public
@require_GET
@cache_public_page
def dialogue_recommendation_detail_view(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    series = selectors.series_get_public(slug=slug)
    recommendation = selectors.recommendation_get_public(series=series, public_id=public_id)
    return render(
        request,
        "outreach/dialogues/dialogue_recommendation_detail.html",
        {"series": series, "recommendation": recommendation, "subcommittee": recommendation.subcommittee},
    )
