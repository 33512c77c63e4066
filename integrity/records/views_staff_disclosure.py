"""Staff pages of the disclosure index (Brady). Every view is declared with `jti_staff_required`:
404 for staff outside JTI, every read and every export needs a sign-in less than ten minutes
old and is logged, and so is every refusal (integrity/records/access.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.records import selectors, services_disclosure
from integrity.records.access import jti_staff_required, record_get, record_list_log
from integrity.records.forms import DisclosureEntryForm
from integrity.records.models import DisclosureEntry, DisclosureLog
from integrity.records.views_staff import PAGE_SIZE, detail_context, error_show


@jti_staff_required()
@require_GET
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.disclosure_list()[:PAGE_SIZE])
    record_list_log(request, model=DisclosureEntry, count=len(rows))
    return render(request, "integrity/records/disclosure_list.html", {"rows": rows})


@jti_staff_required()
@require_GET
def disclosure_case_view(request: HttpRequest) -> HttpResponse:
    """The per-case disclosure log: what was disclosed in one case, from every index entry."""
    case_number = request.GET.get("case", "").strip()[:60]
    rows = list(selectors.disclosure_log_for_case(case_number=case_number)[:PAGE_SIZE]) if case_number else []
    if case_number:
        record_list_log(request, model=DisclosureLog, count=len(rows), filters={"case": case_number})
    return render(request, "integrity/records/disclosure_case.html", {"rows": rows, "case_number": case_number})


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def disclosure_new_view(request: HttpRequest) -> HttpResponse:
    form = DisclosureEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = services_disclosure.disclosure_entry_create(actor=request.user, **form.cleaned_data)
        return redirect("integrity:disclosure_detail", public_id=entry.public_id)
    return render(request, "integrity/records/form.html", {"form": form, "title": _("New disclosure index entry")})


@jti_staff_required(reauth=True)
@require_GET
def disclosure_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects.prefetch_related("disclosures"), public_id=public_id)
    return render(request, "integrity/records/disclosure_detail.html", detail_context(entry))


@jti_staff_required()
@require_POST
def disclosure_log_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects, public_id=public_id, log=None)
    try:
        services_disclosure.disclosure_log_add(
            entry=entry,
            case_number=request.POST.get("case_number", ""),
            disclosed_on=timezone.localdate(),
            disclosed_to=request.POST.get("disclosed_to", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        error_show(request, exc)
    return redirect("integrity:disclosure_detail", public_id=entry.public_id)


@jti_staff_required()
@require_POST
def disclosure_reconsider_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects, public_id=public_id, log=None)
    try:
        services_disclosure.disclosure_reconsider(
            entry=entry,
            decision=request.POST.get("decision", ""),
            text=request.POST.get("text", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        error_show(request, exc)
    return redirect("integrity:disclosure_detail", public_id=entry.public_id)
