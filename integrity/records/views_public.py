"""Public pages of the confidential records: the two intake forms and the aggregates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from integrity.records import selectors, services_allegations, services_claims
from integrity.records.forms import AllegationPublicForm, ClaimPublicForm
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.errors import confidential_request

RECEIPT_SESSION_KEY = "integrity_receipt"


def _keep_receipt(request: HttpRequest, *, kind: str, number: str, emailed: bool) -> None:
    request.session[RECEIPT_SESSION_KEY] = {"kind": kind, "number": number, "emailed": emailed}


@public
@require_http_methods(["GET", "POST"])
@never_cache
@confidential_request
def allegation_report_view(request: HttpRequest) -> HttpResponse:
    """Report possible misconduct: saved, then the receipt page. A rejected field keeps
    everything else typed; chosen files cannot be refilled by a browser, so the form says so."""
    if request.method == "POST":
        form = AllegationPublicForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                allegation = services_allegations.allegation_submit(
                    description=data["description"],
                    case_number=data["case_number"],
                    subject=data["subject"],
                    anonymous=data["anonymous"],
                    complainant_name=data["name"],
                    complainant_email=data["email"],
                    complainant_phone=data["phone"],
                    language=data["language"],
                    attachments=data["attachments"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _keep_receipt(
                    request,
                    kind="allegation",
                    number=allegation.receipt_number,
                    emailed=bool(allegation.complainant_email),
                )
                return redirect("integrity:allegation_received")
        if request.FILES and "attachments" not in form.errors:
            form.add_error(
                "attachments", _("Your files were not kept because the form had a problem: choose them again.")
            )
    else:
        form = AllegationPublicForm(initial={"language": request.LANGUAGE_CODE})
    return render(request, "integrity/records/allegation_form.html", {"form": form})


@public
@require_GET
@never_cache
def allegation_received_view(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt or receipt.get("kind") != "allegation":
        receipt = None
    return render(request, "integrity/records/received.html", {"receipt": receipt, "kind": "allegation"})


@public
@require_http_methods(["GET", "POST"])
@never_cache
@confidential_request
def claim_submit_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ClaimPublicForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = services_claims.claim_submit(
                    claimant_name=data["claimant_name"],
                    case_number=data["case_number"],
                    conviction_year=data["conviction_year"],
                    summary=data["summary"],
                    claimant_contact=data["contact"],
                    claimant_email=data["email"],
                    has_counsel=data["has_counsel"],
                    counsel_name=data["counsel_name"],
                    wants_counsel_contact=data["wants_counsel_contact"],
                    consent_records=data["consent_records"],
                    language=data["language"],
                    claimant_contact_preference=data["claimant_contact_preference"],
                    writer=data["writer"],
                    writer_name=data["writer_name"],
                    writer_relationship=data["writer_relationship"],
                    writer_contact=data["writer_contact"],
                    writer_email=data["writer_email"],
                    writer_contact_preference=data["writer_contact_preference"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                emailed = bool(services_claims.claim_receipt_email(claim))
                _keep_receipt(request, kind="claim", number=claim.receipt_number, emailed=emailed)
                return redirect("integrity:claim_received")
    else:
        form = ClaimPublicForm(initial={"language": request.LANGUAGE_CODE})
    return render(request, "integrity/records/claim_form.html", {"form": form})


@public
@require_GET
@never_cache
def claim_received_view(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt or receipt.get("kind") != "claim":
        receipt = None
    return render(request, "integrity/records/received.html", {"receipt": receipt, "kind": "claim"})


@public
@require_GET
@cache_public_page
def records_transparency_view(request: HttpRequest) -> HttpResponse:
    return render(request, "integrity/records/transparency.html", selectors.public_aggregates())
