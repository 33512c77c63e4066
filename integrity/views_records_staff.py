"""Staff pages of the confidential records. Every view is declared with
`jti_staff_required` (or `JTIStaffRequiredMixin`): 404 for staff outside JTI, every read
(lists, searches and by-case views included) and every export needs a sign-in less than
ten minutes old and is logged, and so is every refusal (integrity/access.py)."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from integrity import selectors_records, services_records
from integrity.access import (
    DENIED_PERMISSION,
    EXPORT_PERMISSION,
    VIEW,
    WALL_PERMISSION,
    JTIStaffRequiredMixin,
    jti_staff_required,
    reauth_check,
    record_access_log,
    record_export_log,
    record_get,
    record_list_log,
    require_recent_sign_in,
)
from integrity.forms_records import (
    AllegationAdvanceForm,
    AllegationInternalForm,
    ClaimAssignForm,
    ClaimDisposeForm,
    ClaimReviewNoteForm,
    ClaimWallAddForm,
    ClaimWallRemoveForm,
    CourtReferralForm,
    DisclosureEntryForm,
    EvidenceItemForm,
    ExportForm,
    RetentionForm,
    SoftDeleteForm,
    TestingRequestForm,
)
from integrity.models_records import (
    Allegation,
    Claim,
    DisclosureEntry,
    DisclosureLog,
    EligibilityCriterion,
    TestingRequest,
)
from jcr.core.audit import audit_record
from jcr.core.exports import csv_response
from jcr.core.uploads import VERIFIED_TYPES, stored_file_matches

PAGE_SIZE = 50


class RecordsHomeView(JTIStaffRequiredMixin, TemplateView):
    http_method_names = ["get", "head"]
    template_name = "integrity/records_home.html"

    def get_context_data(self, **kwargs):
        context = selectors_records.records_home_context(user=self.request.user)
        for row in context["deadlines"]:
            record = row["record"]
            if record:
                record["url"] = reverse(DETAIL_NAMES[record["kind"]], kwargs={"public_id": record["public_id"]})
                record["kind_label"] = RECORD_KIND_LABELS[record["kind"]]
        record_list_log(self.request, model=None, count=len(context["deadlines"]))
        return {**super().get_context_data(**kwargs), **context}


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _detail_context(record) -> dict:
    return {
        "record": record,
        "steps": list(selectors_records.record_steps(record=record)),
        "deadlines": list(selectors_records.record_deadlines(record=record)),
        "delete_form": SoftDeleteForm(),
        "retention_form": RetentionForm(
            initial={"retention_until": record.retention_until, "legal_hold": record.legal_hold},
            auto_id="retention_%s",
        ),
    }


# --- Misconduct allegations ---------------------------------------------------------------


@jti_staff_required()
@require_GET
def allegation_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Allegation.Status.values else ""
    rows = list(selectors_records.allegation_list(user=request.user, status=status)[:PAGE_SIZE])
    record_list_log(request, model=Allegation, count=len(rows), filters={"status": status})
    return render(
        request,
        "integrity/records_allegation_list.html",
        {"rows": rows, "status": status, "statuses": Allegation.Status.choices},
    )


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def allegation_new_view(request: HttpRequest) -> HttpResponse:
    """Internal intake (a report received by phone, letter or in person)."""
    form = AllegationInternalForm(request.POST or None, request.FILES or None, initial={"language": "en"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allegation = services_records.allegation_submit(
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
    return render(request, "integrity/records_allegation_new.html", {"form": form})


@jti_staff_required(reauth=True)
@require_GET
def allegation_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    allegation = record_get(
        request,
        Allegation.objects.select_related("assigned_to").prefetch_related("attachments", "court_referrals"),
        public_id=public_id,
    )
    context = _detail_context(allegation)
    context |= {
        "advance_form": AllegationAdvanceForm(),
        "referral_form": CourtReferralForm(),
        "next_statuses": [
            (s, label)
            for s, label in Allegation.Status.choices
            if s in services_records.ALLEGATION_FLOW.get(allegation.status, set())
        ],
    }
    return render(request, "integrity/records_allegation_detail.html", context)


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
            services_records.allegation_advance(allegation=allegation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
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
        services_records.court_referral_add(allegation=allegation, actor=request.user, **form.cleaned_data)
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
        rows = list(selectors_records.allegation_list(user=request.user))
        record_export_log(user=request.user, model=Allegation, count=len(rows), reason=form.cleaned_data["reason"])
        return csv_response(
            filename=f"allegations-{timezone.localdate():%Y%m%d}.csv",
            header=["receipt_number", "received", "source", "status", "finding", "case_number"],
            rows=(
                [row.receipt_number, f"{row.created_at:%Y-%m-%d}", row.source, row.status, row.finding, row.case_number]
                for row in rows
            ),
        )
    return render(request, "integrity/records_export.html", {"form": form, "what": _("misconduct allegations")})


# --- Wrongful-conviction claims -----------------------------------------------------------


@jti_staff_required()
@require_GET
def claim_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    rows = list(selectors_records.claim_list_visible_to(user=request.user, q=q, mine=mine)[:PAGE_SIZE])
    record_list_log(request, model=Claim, count=len(rows), filters={"q": q, "mine": mine})
    return render(request, "integrity/records_claim_list.html", {"rows": rows, "q": q, "mine": mine})


@jti_staff_required(EXPORT_PERMISSION, reauth=True)
@require_http_methods(["GET", "POST"])
def claim_export_view(request: HttpRequest) -> HttpResponse:
    """A CSV of the claims the person may see (the conflict wall holds; no claimant contact
    details), after a stated reason; the POST needs a recent sign-in."""
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        reauth_check(request)
    if request.method == "POST" and form.is_valid():
        rows = list(selectors_records.claim_list_visible_to(user=request.user))
        record_export_log(user=request.user, model=Claim, count=len(rows), reason=form.cleaned_data["reason"])
        return csv_response(
            filename=f"claims-{timezone.localdate():%Y%m%d}.csv",
            header=["receipt_number", "received", "status", "disposition", "case_number", "conviction_year"],
            rows=(
                [
                    row.receipt_number,
                    f"{row.created_at:%Y-%m-%d}",
                    row.status,
                    row.disposition,
                    row.case_number,
                    row.conviction_year or "",
                ]
                for row in rows
            ),
        )
    return render(request, "integrity/records_export.html", {"form": form, "what": _("wrongful-conviction claims")})


@jti_staff_required(reauth=True)
@require_GET
def claim_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(
        request,
        Claim.objects.select_related("investigator").prefetch_related(
            "screenings__criterion", "review_notes", "conflicted_users"
        ),
        public_id=public_id,
    )
    can_wall = request.user.has_perm(WALL_PERMISSION)
    context = _detail_context(claim) | {
        "criteria": list(EligibilityCriterion.objects.filter(is_active=True)),
        "assign_form": ClaimAssignForm(claim=claim),
        "dispose_form": ClaimDisposeForm(),
        "note_form": ClaimReviewNoteForm(),
        "walled": sorted(claim.conflicted_users.all(), key=lambda u: (u.full_name, u.email)),
        "can_wall": can_wall,
        "wall_form": ClaimWallAddForm(claim=claim, auto_id="wall_%s") if can_wall else None,
    }
    return render(request, "integrity/records_claim_detail.html", context)


@jti_staff_required()
@require_POST
def claim_screen_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    answers = {
        c.code: request.POST.get(f"criterion_{c.code}") == "yes"
        for c in EligibilityCriterion.objects.filter(is_active=True)
        if request.POST.get(f"criterion_{c.code}") in ("yes", "no")
    }
    try:
        eligible = services_records.claim_screen(claim=claim, answers=answers, actor=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(
            request, _("Screening saved: eligible.") if eligible else _("Screening saved: not every criterion is met.")
        )
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required()
@require_POST
def claim_assign_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    form = ClaimAssignForm(request.POST)
    if form.is_valid():
        try:
            services_records.claim_assign(
                claim=claim, investigator=form.cleaned_data["investigator"], actor=request.user
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Investigator assigned."))
    else:
        messages.error(request, _("Choose an investigator."))
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required(reauth=True)
@require_GET
def claim_letter_view(request: HttpRequest, public_id) -> HttpResponse:
    """The disposition letter of a claim, laid out to print and mail (many claimants are in
    custody, without e-mail). A read of the record: recent sign-in, logged; 404 without a
    letter."""
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    if not claim.disposition_letter:
        raise Http404
    record_access_log(user=request.user, obj=claim, action=VIEW)
    return render(request, "integrity/records_claim_letter.html", {"record": claim})


def _wall_change_allowed(request: HttpRequest, public_id):
    """The claim (404 for a walled-off person, before anything else); a sign-in that is too
    old sends the person to re-authenticate and come back to the claim."""
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    require_recent_sign_in(request, next_url=reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id}))
    return claim, None


@jti_staff_required(WALL_PERMISSION)
@require_POST
def claim_wall_add_view(request: HttpRequest, public_id) -> HttpResponse:
    """Wall a person off from the claim (JTI Chief). A change: recent sign-in, audited."""
    claim, refused = _wall_change_allowed(request, public_id)
    if refused:
        return refused
    form = ClaimWallAddForm(request.POST, claim=claim)
    if not form.is_valid():
        messages.error(request, _("Choose the person who worked the original case."))
        return redirect("integrity:claim_detail", public_id=claim.public_id)
    person = form.cleaned_data["user"]
    try:
        services_records.claim_wall_add(claim=claim, users=[person], actor=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("integrity:claim_detail", public_id=claim.public_id)
    if person.pk == request.user.pk:
        messages.success(request, _("You walled yourself off from this claim; it is no longer shown to you."))
        return redirect("integrity:claim_list")
    messages.success(request, _("%(person)s can no longer see this claim.") % {"person": person})
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required(WALL_PERMISSION)
@require_POST
def claim_wall_remove_view(request: HttpRequest, public_id) -> HttpResponse:
    """Lift the wall for one person, with a stated reason (JTI Chief). Recent sign-in, audited."""
    claim, refused = _wall_change_allowed(request, public_id)
    if refused:
        return refused
    form = ClaimWallRemoveForm(request.POST)
    person = None
    if form.is_valid():
        person = claim.conflicted_users.filter(public_id=form.cleaned_data["user"]).first()
    if person is None:
        messages.error(request, _("Give the reason for lifting the wall (at least five characters)."))
        return redirect("integrity:claim_detail", public_id=claim.public_id)
    try:
        services_records.claim_wall_remove(
            claim=claim, user=person, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("The wall was lifted for %(person)s.") % {"person": person})
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required()
@require_POST
def claim_note_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    form = ClaimReviewNoteForm(request.POST)
    if form.is_valid():
        try:
            services_records.claim_review_note_add(claim=claim, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Give the reviewer and the note."))
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required()
@require_POST
def claim_dispose_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    form = ClaimDisposeForm(request.POST)
    if form.is_valid():
        try:
            services_records.claim_dispose(claim=claim, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Disposition recorded."))
    return redirect("integrity:claim_detail", public_id=claim.public_id)


# --- Post-conviction testing --------------------------------------------------------------


@jti_staff_required()
@require_GET
def testing_list_view(request: HttpRequest) -> HttpResponse:
    rows = list(selectors_records.testing_request_list(user=request.user)[:PAGE_SIZE])
    record_list_log(request, model=TestingRequest, count=len(rows))
    return render(request, "integrity/records_testing_list.html", {"rows": rows, "today": timezone.localdate()})


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def testing_new_view(request: HttpRequest) -> HttpResponse:
    form = TestingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        testing = services_records.pc1405_request_create(actor=request.user, **data)
        return redirect("integrity:testing_detail", public_id=testing.public_id)
    return render(request, "integrity/records_form.html", {"form": form, "title": _("New testing request")})


@jti_staff_required(reauth=True)
@require_GET
def testing_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(
        request,
        TestingRequest.objects.select_related("rule").prefetch_related("evidence_items", "court_orders"),
        public_id=public_id,
    )
    context = _detail_context(testing) | {
        "evidence_form": EvidenceItemForm(),
        "next_statuses": [
            (s, label)
            for s, label in TestingRequest.Status.choices
            if s in services_records.TESTING_FLOW.get(testing.status, set())
        ],
    }
    return render(request, "integrity/records_testing_detail.html", context)


@jti_staff_required()
@require_POST
def testing_evidence_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    form = EvidenceItemForm(request.POST)
    if form.is_valid():
        services_records.evidence_item_add(request=testing, actor=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Fill in every field of the evidence item."))
    return redirect("integrity:testing_detail", public_id=testing.public_id)


@jti_staff_required()
@require_POST
def testing_advance_view(request: HttpRequest, public_id) -> HttpResponse:
    testing = record_get(request, TestingRequest.objects, public_id=public_id, log=None)
    try:
        services_records.pc1405_request_advance(
            request=testing,
            to_status=request.POST.get("to_status", ""),
            actor=request.user,
            lab=request.POST.get("lab", ""),
            result=request.POST.get("result", ""),
            order_summary=request.POST.get("order_summary", ""),
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("integrity:testing_detail", public_id=testing.public_id)


# --- Discovery safeguards -----------------------------------------------------------------


@jti_staff_required()
@require_GET
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    rows = list(selectors_records.disclosure_list()[:PAGE_SIZE])
    record_list_log(request, model=DisclosureEntry, count=len(rows))
    return render(request, "integrity/records_disclosure_list.html", {"rows": rows})


@jti_staff_required()
@require_GET
def disclosure_case_view(request: HttpRequest) -> HttpResponse:
    """The per-case disclosure log: what was disclosed in one case, from every index entry."""
    case_number = request.GET.get("case", "").strip()[:60]
    rows = list(selectors_records.disclosure_log_for_case(case_number=case_number)[:PAGE_SIZE]) if case_number else []
    if case_number:
        record_list_log(request, model=DisclosureLog, count=len(rows), filters={"case": case_number})
    return render(request, "integrity/records_disclosure_case.html", {"rows": rows, "case_number": case_number})


@jti_staff_required()
@require_http_methods(["GET", "POST"])
def disclosure_new_view(request: HttpRequest) -> HttpResponse:
    form = DisclosureEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = services_records.disclosure_entry_create(actor=request.user, **form.cleaned_data)
        return redirect("integrity:disclosure_detail", public_id=entry.public_id)
    return render(request, "integrity/records_form.html", {"form": form, "title": _("New disclosure index entry")})


@jti_staff_required(reauth=True)
@require_GET
def disclosure_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects.prefetch_related("disclosures"), public_id=public_id)
    return render(request, "integrity/records_disclosure_detail.html", _detail_context(entry))


@jti_staff_required()
@require_POST
def disclosure_log_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects, public_id=public_id, log=None)
    try:
        services_records.disclosure_log_add(
            entry=entry,
            case_number=request.POST.get("case_number", ""),
            disclosed_on=timezone.localdate(),
            disclosed_to=request.POST.get("disclosed_to", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("integrity:disclosure_detail", public_id=entry.public_id)


@jti_staff_required()
@require_POST
def disclosure_reconsider_view(request: HttpRequest, public_id) -> HttpResponse:
    entry = record_get(request, DisclosureEntry.objects, public_id=public_id, log=None)
    try:
        services_records.disclosure_reconsider(
            entry=entry,
            decision=request.POST.get("decision", ""),
            text=request.POST.get("text", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("integrity:disclosure_detail", public_id=entry.public_id)


# --- Soft delete --------------------------------------------------------------------------

DELETABLE = {
    "allegation": (Allegation, "integrity:allegation_list"),
    "claim": (Claim, "integrity:claim_list"),
    "testing": (TestingRequest, "integrity:testing_list"),
    "disclosure": (DisclosureEntry, "integrity:disclosure_list"),
}


@jti_staff_required()
@require_POST
def record_delete_view(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Soft delete: the row stays, marked deleted; refused under legal hold."""
    if kind not in DELETABLE:
        raise Http404
    model, list_name = DELETABLE[kind]
    record = record_get(request, model.objects, public_id=public_id, log=None)
    form = SoftDeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for deleting this record."))
        services_records.record_soft_delete(record=record, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _fail(request, exc)
        return redirect(list_name)
    messages.success(
        request, _("The record was deleted. It is kept in the database and can be restored by an administrator.")
    )
    return redirect(list_name)


# --- Retention and legal hold -------------------------------------------------------------

DETAIL_NAMES = {
    "allegation": "integrity:allegation_detail",
    "claim": "integrity:claim_detail",
    "testing": "integrity:testing_detail",
    "disclosure": "integrity:disclosure_detail",
}


@jti_staff_required()
@require_POST
def record_retention_view(request: HttpRequest, kind: str, public_id) -> HttpResponse:
    """Set the retention date and the legal hold of one record (holders of the model's change
    permission: JTI Staff and JTI Chief). A change: needs a sign-in less than ten minutes old,
    after the object rules, so a walled-off person still gets 404."""
    if kind not in DELETABLE:
        raise Http404
    model, _list_name = DELETABLE[kind]
    if not request.user.has_perm(f"integrity.change_{model._meta.model_name}"):
        request.jti_denied = DENIED_PERMISSION
        raise Http404
    record = record_get(request, model.objects, public_id=public_id, log=None)
    detail_url = reverse(DETAIL_NAMES[kind], kwargs={"public_id": record.public_id})
    require_recent_sign_in(request, next_url=detail_url)
    form = RetentionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date as YYYY-MM-DD, or leave it empty."))
        return redirect(detail_url)
    try:
        changed = services_records.record_hold_set(record=record, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Retention saved.") if changed else _("Nothing changed."))
    return redirect(detail_url)


RECORD_KIND_LABELS = {
    "allegation": gettext_lazy("Misconduct allegation"),
    "claim": gettext_lazy("Wrongful-conviction claim"),
    "testing": gettext_lazy("Testing request"),
    "disclosure": gettext_lazy("Disclosure index entry"),
}


@jti_staff_required()
@require_GET
def retention_list_view(request: HttpRequest) -> HttpResponse:
    """Records past their retention date and not on hold (for a person to review), or on
    legal hold. Nothing here deletes anything."""
    show = request.GET.get("show", selectors_records.RETENTION_DUE)
    if show not in (selectors_records.RETENTION_DUE, selectors_records.RETENTION_HOLD):
        show = selectors_records.RETENTION_DUE
    page = Paginator(selectors_records.retention_rows(user=request.user, show=show), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        row
        | {
            "url": reverse(DETAIL_NAMES[row["kind"]], kwargs={"public_id": row["public_id"]}),
            "kind_label": RECORD_KIND_LABELS[row["kind"]],
        }
        for row in page
    ]
    record_list_log(request, model=None, count=len(rows), filters={"show": show, "page": page.number})
    return render(
        request,
        "integrity/records_retention_list.html",
        {"page": page, "rows": rows, "show": show, "today": timezone.localdate()},
    )
