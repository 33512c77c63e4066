"""Staff pages of wrongful-conviction claims (changes to the conflict wall: views_staff_wall.py).
Every view is declared with `jti_staff_required`: 404 for staff outside JTI, every read and every export needs a sign-in
less than ten minutes old and is logged, and so is every refusal (integrity/records/access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.records import selectors, services_claims, services_wall
from integrity.records.access import (
    EXPORT_ACTION,
    EXPORT_PERMISSION,
    VIEW,
    WALL_PERMISSION,
    jti_staff_required,
    reauth_check,
    record_access_log,
    record_get,
    record_list_log,
)
from integrity.records.forms import (
    ClaimAssignForm,
    ClaimDisposeForm,
    ClaimReviewNoteForm,
    ClaimWallAddForm,
    ExportForm,
)
from integrity.records.models import Claim, EligibilityCriterion
from integrity.records.views_staff import PAGE_SIZE, detail_context, error_show
from jcr.core.exports import csv_export


@jti_staff_required()
@require_GET
def claim_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    rows = list(selectors.claim_list_visible_to(user=request.user, q=q, mine=mine)[:PAGE_SIZE])
    record_list_log(request, model=Claim, count=len(rows), filters={"q": q, "mine": mine})
    return render(request, "integrity/records/claim_list.html", {"rows": rows, "q": q, "mine": mine})


@jti_staff_required(EXPORT_PERMISSION, reauth=True)
@require_http_methods(["GET", "POST"])
def claim_export_view(request: HttpRequest) -> HttpResponse:
    """A CSV of the claims the person may see (the conflict wall holds; no claimant contact
    details), after a stated reason; the POST needs a recent sign-in."""
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        reauth_check(request)
    if request.method == "POST" and form.is_valid():
        rows = list(selectors.claim_list_visible_to(user=request.user))
        return csv_export(
            actor=request.user,
            action=EXPORT_ACTION,
            object_type=Claim._meta.label_lower,
            reason=form.cleaned_data["reason"],
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
    return render(request, "integrity/records/export.html", {"form": form, "what": _("wrongful-conviction claims")})


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
    chief = request.user.has_perm(WALL_PERMISSION)
    walled = sorted(claim.conflicted_users.all(), key=lambda u: (u.full_name, u.email))
    context = detail_context(claim, request.user) | {
        "criteria": list(EligibilityCriterion.objects.filter(is_active=True)),
        "assign_form": ClaimAssignForm(claim=claim),
        "dispose_form": ClaimDisposeForm(),
        "note_form": ClaimReviewNoteForm(),
        # The conflict wall (services_wall): a JTI Chief changes anyone else's wall; any JTI
        # member proposes, and another confirms, a change to a JTI Chief's wall.
        "walled": [
            (person, person.pk != request.user.pk and (chief or services_wall.person_manages_walls(person)))
            for person in walled
        ],
        "wall_form": ClaimWallAddForm(claim=claim, actor=request.user, wall_managers_only=not chief, auto_id="wall_%s"),
        "wall_changes": list(selectors.claim_wall_changes_pending(claim=claim)),
    }
    return render(request, "integrity/records/claim_detail.html", context)


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
        eligible = services_claims.claim_screen(claim=claim, answers=answers, actor=request.user)
    except ValidationError as exc:
        error_show(request, exc)
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
            services_claims.claim_assign(
                claim=claim, investigator=form.cleaned_data["investigator"], actor=request.user
            )
        except ValidationError as exc:
            error_show(request, exc)
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
    return render(request, "integrity/records/claim_letter.html", {"record": claim})


@jti_staff_required()
@require_POST
def claim_note_view(request: HttpRequest, public_id) -> HttpResponse:
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    form = ClaimReviewNoteForm(request.POST)
    if form.is_valid():
        try:
            services_claims.claim_review_note_add(claim=claim, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error_show(request, exc)
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
            services_claims.claim_dispose(claim=claim, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error_show(request, exc)
        else:
            messages.success(request, _("Disposition recorded."))
    else:
        messages.error(request, _("Choose the disposition."))
    return redirect("integrity:claim_detail", public_id=claim.public_id)
