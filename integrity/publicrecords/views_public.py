"""Public pages of public records requests: the request form, the receipt and the status page
(by tracking code: the status and the clock, nothing else)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from integrity.publicrecords import selectors, services
from integrity.publicrecords.forms import RequestPublicForm, StatusFindForm, tracking_code_normalize
from jcr.core.access import public

RECEIPT_SESSION_KEY = "integrity_public_records_receipt"


@public
@require_http_methods(["GET", "POST"])
@never_cache
def request_form_view(request: HttpRequest) -> HttpResponse:
    """Saved first, then the receipt page (with the tracking code)."""
    if request.method == "POST":
        form = RequestPublicForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pra = services.request_submit(
                    description=data["description"],
                    preferred_format=data["preferred_format"],
                    name=data["name"],
                    email=data["email"],
                    contact=data["contact"],
                    language=data["language"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[RECEIPT_SESSION_KEY] = {
                    "code": pra.tracking_code,
                    "emailed": bool(pra.requester_email),
                }
                return redirect("integrity:public_records_received")
    else:
        form = RequestPublicForm(initial={"language": request.LANGUAGE_CODE})
    return render(request, "integrity/publicrecords/request_form.html", {"form": form})


@public
@require_GET
@never_cache
def request_received_view(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    status = selectors.public_status(receipt["code"]) if receipt else None
    return render(request, "integrity/publicrecords/received.html", {"receipt": receipt, "status": status})


@public
@require_GET
def status_find_view(request: HttpRequest) -> HttpResponse:
    form = StatusFindForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if selectors.public_status(code) is not None:
            return redirect("integrity:public_records_status", tracking_code=code)
        form.add_error("code", _("No request has this tracking code. Check the code and try again."))
    return render(request, "integrity/publicrecords/status_find.html", {"form": form})


@public
@require_GET
@never_cache
def status_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    normalized = tracking_code_normalize(tracking_code)
    if normalized != tracking_code:
        return redirect("integrity:public_records_status", tracking_code=normalized)
    status = selectors.public_status(tracking_code)
    if status is None:
        raise Http404
    response = render(request, "integrity/publicrecords/status.html", {"status": status})
    response["Referrer-Policy"] = "same-origin"  # the tracking code never leaves the site
    return response
