"""Staff pages of the disclosure index (Brady). Every view is declared with `jti_staff_required`:
404 for staff outside JTI, every read (the list, its search, an entry, the export) needs a
sign-in less than ten minutes old and is logged, and so is every refusal
(integrity/records/access.py).

The officer lookup is the one page for prosecutors outside JTI
(`integrity.lookup_disclosure_index`): asked for an exact full name or badge number, it says
only "there is an entry: contact JTI" or "no entry found", never the entry; every lookup is
rate-limited and written to the access log with what was asked and the answer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.records import selectors, services_disclosure
from integrity.records.access import (
    EXPORT_ACTION,
    EXPORT_PERMISSION,
    LOOKUP_PERMISSION,
    jti_staff_required,
    reauth_check,
    record_get,
    record_list_log,
    require_recent_sign_in,
)
from integrity.records.forms import DisclosureEntryForm, DisclosureLookupForm, ExportForm
from integrity.records.models import DisclosureEntry, DisclosureLog
from integrity.records.views_staff import PAGE_SIZE, detail_context, error_show
from jcr.core.exports import csv_export
from jcr.core.middleware import client_ip


@jti_staff_required()
@require_GET
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    """The index and its search (officer name, badge number or agency): a read, logged with
    the search and the number of rows shown."""
    q = request.GET.get("q", "").strip()[:100]
    rows = list(selectors.disclosure_list(q=q)[:PAGE_SIZE])
    record_list_log(request, model=DisclosureEntry, count=len(rows), filters={"q": q})
    return render(request, "integrity/records/disclosure_list.html", {"rows": rows, "q": q})


@jti_staff_required(EXPORT_PERMISSION, reauth=True)
@require_http_methods(["GET", "POST"])
def disclosure_export_view(request: HttpRequest) -> HttpResponse:
    """A CSV of the index (no supporting documents), after a stated reason (JTI Chief); the
    POST needs a recent sign-in and is logged with the reason and the row count."""
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        reauth_check(request)
    if request.method == "POST" and form.is_valid():
        rows = list(selectors.disclosure_list())
        return csv_export(
            actor=request.user,
            action=EXPORT_ACTION,
            object_type=DisclosureEntry._meta.label_lower,
            reason=form.cleaned_data["reason"],
            filename=f"disclosure-index-{timezone.localdate():%Y%m%d}.csv",
            header=["officer", "badge_number", "agency", "basis", "reconsideration", "active", "disclosures"],
            rows=(
                [
                    row.officer_name,
                    row.badge_number,
                    row.agency,
                    row.basis,
                    row.reconsideration,
                    "yes" if row.is_active else "no",
                    row.disclosure_count,
                ]
                for row in rows
            ),
        )
    return render(request, "integrity/records/export.html", {"form": form, "what": _("the disclosure index")})


@jti_staff_required(LOOKUP_PERMISSION)
@require_http_methods(["GET", "POST"])
def disclosure_lookup_view(request: HttpRequest) -> HttpResponse:
    """A prosecutor asks before trial whether an officer has a disclosure index entry: yes
    ("contact JTI", with JTI's contact) or no, nothing more. The question is posted (never in
    the address, so no server log keeps the name), needs a recent sign-in, counts against the
    lookup's rate limit and is logged whatever the answer."""
    form = DisclosureLookupForm(request.POST or None)
    result = None
    if request.method == "POST":
        require_recent_sign_in(request, next_url=reverse("integrity:disclosure_lookup"))
        result = services_disclosure.disclosure_lookup(
            actor=request.user,
            ip=client_ip(request),
            name=request.POST.get("name", ""),
            badge=request.POST.get("badge", ""),
            agency=request.POST.get("agency", ""),
        )
        form.is_valid()  # shows what was wrong with the question, if anything
        if result.answer == services_disclosure.LOOKUP_LIMITED:
            minutes = max(1, -(-result.retry_after // 60))
            form.add_error(None, _("Too many lookups: try again in %(minutes)d minutes.") % {"minutes": minutes})
    context = {
        "form": form,
        "result": result,
        "jti_contact": {"email": settings.JCR_JTI_CONTACT_EMAIL, "phone": settings.JCR_JTI_CONTACT_PHONE},
    }
    return render(request, "integrity/records/disclosure_lookup.html", context)


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
    return render(request, "integrity/records/disclosure_detail.html", detail_context(entry, request.user))


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
