"""Staff pages of misconduct allegations. Every view is declared with `jti_staff_required`: 404
for staff outside JTI, every read and every export needs a sign-in less than ten minutes old
and is logged, and so is every refusal (integrity/records/access.py)."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.records import selectors, services_allegations
from integrity.records.access import (
    EXPORT_ACTION,
    EXPORT_PERMISSION,
    VIEW,
    jti_staff_required,
    reauth_check,
    record_get,
    record_list_log,
)
from integrity.records.forms import AllegationAdvanceForm, AllegationInternalForm, CourtReferralForm, ExportForm
from integrity.records.models import Allegation
from integrity.records.views_staff import PAGE_SIZE, detail_context, error_show
from jcr.core.audit import audit_record
from jcr.core.exports import csv_export
from jcr.core.uploads import VERIFIED_TYPES, stored_file_matches


@jti_staff_required()
@require_GET
def allegation_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Allegation.Status.values else ""
    rows = list(selectors.allegation_list(user=request.user, status=status)[:PAGE_SIZE])
    record_list_log(request, model=Allegation, count=len(rows), filters={"status": status})
    return render(
        request,
        "integrity/records/allegation_list.html",
        {"rows": rows, "status": status, "statuses": Allegation.Status.choices},
    )


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def allegation_new_view(request: HttpRequest) -> HttpResponse:
    """Internal intake (a report received by phone, letter or in person)."""
    form = AllegationInternalForm(request.POST or None, request.FILES or None, initial={"language": "en"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
            source=Allegation.Source.INTERNAL,
            actor=request.user,
        )
        messages.success(request, _("Allegation %(number)s saved.") % {"number": allegation.receipt_number})
        return redirect("integrity:allegation_detail", public_id=allegation.public_id)
    return render(request, "integrity/records/allegation_new.html", {"form": form})


@jti_staff_required(reauth=True)
@require_GET
def allegation_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    allegation = record_get(
        request,
        Allegation.objects.select_related("assigned_to").prefetch_related("attachments", "court_referrals"),
        public_id=public_id,
    )
    context = detail_context(allegation, request.user)
    context |= {
        "advance_form": AllegationAdvanceForm(),
        "referral_form": CourtReferralForm(),
        "next_statuses": [
            (s, label)
            for s, label in Allegation.Status.choices
            if s in services_allegations.ALLEGATION_FLOW.get(allegation.status, set())
        ],
    }
    return render(request, "integrity/records/allegation_detail.html", context)


SERVED_TYPES = ("application/pdf", "image/jpeg", "image/png")


def attachment_download_name(attachment) -> str:
    """The download's file name: the uploader's name without its extension, then the
    extension of the verified type ("statement.html" holding a PDF downloads as
    "statement.pdf")."""
    stem = os.path.splitext(os.path.basename(attachment.original_name or ""))[0].strip() or "attachment"
    return f"{stem}.{VERIFIED_TYPES[attachment.content_type][0]}"


@jti_staff_required(reauth=True)
@require_GET
def allegation_attachment_view(request: HttpRequest, public_id, attachment_id: int) -> HttpResponse:
    """Download one attachment of an allegation (JTI, recent sign-in): read from the private
    storage (JCR_PRIVATE_MEDIA_ROOT), never from MEDIA_URL, sent as an attachment with the
    type verified at upload, that type's extension and `nosniff`. 404 for everyone else, for
    a soft-deleted allegation, for a missing file, and for a file whose type was not verified
    or whose first bytes do not match it. Each download is logged."""
    allegation = record_get(request, Allegation.objects, public_id=public_id, log=None)
    attachment = allegation.attachments.filter(pk=attachment_id).first()
    if attachment is None or attachment.content_type not in SERVED_TYPES:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation, ValueError):
        raise Http404 from None
    if not stored_file_matches(handle, attachment.content_type):
        handle.close()
        raise Http404
    audit_record(
        action=f"integrity.record.{VIEW}",
        obj=allegation,
        actor=request.user,
        after={"attachment": attachment.pk, "download": True},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment_download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@jti_staff_required()
@require_POST
def allegation_advance_view(request: HttpRequest, public_id) -> HttpResponse:
    allegation = record_get(request, Allegation.objects, public_id=public_id, log=None)
    form = AllegationAdvanceForm(request.POST)
    if form.is_valid():
        try:
            services_allegations.allegation_advance(allegation=allegation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error_show(request, exc)
        else:
            messages.success(request, _("The allegation moved on."))
    else:
        messages.error(request, _("Choose a next step."))
    return redirect("integrity:allegation_detail", public_id=allegation.public_id)


@jti_staff_required()
@require_POST
def allegation_referral_view(request: HttpRequest, public_id) -> HttpResponse:
    allegation = record_get(request, Allegation.objects, public_id=public_id, log=None)
    form = CourtReferralForm(request.POST)
    if form.is_valid():
        services_allegations.court_referral_add(allegation=allegation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Court referral recorded."))
    else:
        messages.error(request, _("Give the court and the date of the referral."))
    return redirect("integrity:allegation_detail", public_id=allegation.public_id)


@jti_staff_required(EXPORT_PERMISSION, reauth=True)
@require_http_methods(["GET", "POST"])
def allegation_export_view(request: HttpRequest) -> HttpResponse:
    """A CSV of the allegations (no complainant contact details), after a stated reason.
    The export itself (the POST) needs a recent sign-in; the form does not."""
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        reauth_check(request)
    if request.method == "POST" and form.is_valid():
        rows = list(selectors.allegation_list(user=request.user))
        return csv_export(
            actor=request.user,
            action=EXPORT_ACTION,
            object_type=Allegation._meta.label_lower,
            reason=form.cleaned_data["reason"],
            filename=f"allegations-{timezone.localdate():%Y%m%d}.csv",
            header=["receipt_number", "received", "source", "status", "finding", "case_number"],
            rows=(
                [row.receipt_number, f"{row.created_at:%Y-%m-%d}", row.source, row.status, row.finding, row.case_number]
                for row in rows
            ),
        )
    return render(request, "integrity/records/export.html", {"form": form, "what": _("misconduct allegations")})
