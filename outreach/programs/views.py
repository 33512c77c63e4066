"""Public pages of the program catalogue and the presentation request form."""

from __future__ import annotations

from uuid import uuid4

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.images import open_graph
from outreach.programs import selectors, services
from outreach.programs.forms import PresentationRequestForm, ProgramFilterForm
from outreach.programs.models import PresentationRequest


@public
@require_GET
@cache_public_page
def program_list_view(request: HttpRequest) -> HttpResponse:
    topics = selectors.topic_list()
    form = ProgramFilterForm(request.GET or None, topics=topics)
    filters = form.filters() if form.is_bound else {}
    programs = list(selectors.program_list_public(filters=filters))
    return render(
        request,
        "outreach/programs/program_list.html",
        {"form": form, "programs": programs, "filtered": bool(filters)},
    )


@public
@require_GET
@cache_public_page
def program_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_get_public(slug=slug)
    og = open_graph(
        request,
        title=program.title_label,
        description=program.summary_label,
        obj=program,
        has_spanish=program.has_spanish,
    )
    return render(request, "outreach/programs/program_detail.html", {"program": program, "og": og})


@public
@require_http_methods(["GET", "POST"])
def presentation_request_view(request: HttpRequest) -> HttpResponse:
    """The request form. The request is saved before the "received" page is shown, and the
    submission key makes a double submission a no-op."""
    if request.method == "POST":
        form = PresentationRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                presentation, _created = services.presentation_request_submit(
                    organisation=data["organisation"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    audience=data["audience"],
                    audience_size=data["audience_size"],
                    program=data["program"],
                    topic=data["topic"],
                    presentation_language=data["presentation_language"],
                    preferred_dates=form.preferred_dates(),
                    location=data["location"],
                    notes=data["notes"],
                    language=data["language"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("outreach:presentation_request_done", reference=presentation.reference)
    else:
        initial = {"submission_key": uuid4(), "language": request.LANGUAGE_CODE}
        program_slug = request.GET.get("program", "")
        if program_slug:
            initial["program"] = program_slug
        form = PresentationRequestForm(initial=initial)
    return render(request, "outreach/programs/presentation_request_form.html", {"form": form})


@public
@require_GET
@never_cache
def presentation_request_done_view(request: HttpRequest, reference: str) -> HttpResponse:
    presentation = PresentationRequest.objects.filter(reference=reference.upper()).only("reference", "status").first()
    if presentation is None:
        raise Http404
    response = render(request, "outreach/programs/presentation_request_done.html", {"presentation": presentation})
    response["X-Robots-Tag"] = "noindex"
    return response
