"""MCLE records pages for the MCLE coordinators (the JTI roles, who hold "view compliance"):
every member of staff with their State Bar record and standing, one person's page to enter the
State Bar record and credit earned elsewhere, and the CSV of attorneys' standings. Each person
keeps seeing their own transcript (views.training_my_transcript_view); a certificate of credit
earned elsewhere answers 404 to anyone but its owner and JTI."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from integrity.training import mcle, selectors, services, services_mcle
from integrity.training.forms import ComplianceFilterForm, ExternalCreditForm, MCLERecordForm
from integrity.training.models import CreditCategory, MCLEProfile
from jcr.core.access import staff
from jcr.core.exports import csv_export

VIEW_COMPLIANCE = selectors.VIEW_COMPLIANCE
CHANGE_RECORD = "integrity.change_mcleprofile"
ADD_CREDIT = "integrity.add_externalcredit"
EXPORT_ACTION = "integrity.training.mcle_export"
PAGE_SIZE = 50


@staff(VIEW_COMPLIANCE)
@require_GET
def training_mcle_records_view(request: HttpRequest) -> HttpResponse:
    """Every member of staff: attorney or not, bar number, group, period end, hours per
    requirement and what is missing."""
    versions = selectors.rule_set_versions()
    groups = selectors.groups_current()
    form = ComplianceFilterForm(request.GET or None, groups=groups)
    rows = selectors.compliance_rows(
        versions=versions, groups=groups, users=selectors.staff_members(), **(form.filters() if form.is_bound else {})
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "integrity/training/mcle_records.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rule_set": selectors.rule_set_in_force(on=timezone.localdate(), versions=versions),
        },
    )


@staff(VIEW_COMPLIANCE)
@require_http_methods(["GET", "POST"])
def training_mcle_person_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One person's MCLE record: their State Bar record (bar number, admission date, group or
    "not an attorney"), their standing, and credit earned elsewhere."""
    person = selectors.deputy_get_for_staff(user=request.user, public_id=public_id)
    profile = selectors.profile_of(person)
    action = request.POST.get("action") if request.method == "POST" else None
    record_form = MCLERecordForm(
        request.POST if action == "record" else None, instance=profile or MCLEProfile(user=person)
    )
    credit_form = ExternalCreditForm(
        request.POST if action == "credit" else None, request.FILES if action == "credit" else None
    )
    if action == "record":
        if not request.user.has_perm(CHANGE_RECORD):
            raise PermissionDenied
        if record_form.is_valid():
            try:
                services_mcle.profile_save(user=person, actor=request.user, **record_form.cleaned_data)
            except ValidationError as exc:
                record_form.add_error(None, exc)
            else:
                messages.success(request, _("The State Bar record of %(name)s is saved.") % {"name": person})
                return redirect("integrity:training_mcle_person", public_id=person.public_id)
    elif action == "credit":
        if not request.user.has_perm(ADD_CREDIT):
            raise PermissionDenied
        if credit_form.is_valid():
            data = credit_form.cleaned_data
            certificate = data.pop("certificate")
            try:
                credit, capped = services_mcle.external_credit_add(
                    user=person,
                    actor=request.user,
                    certificate=services_mcle.Certificate(**certificate) if certificate else None,
                    **data,
                )
            except ValidationError as exc:
                credit_form.add_error(None, exc)
            else:
                if capped:
                    messages.warning(
                        request,
                        _(
                            "%(hours)s credit hours recorded: the most %(minutes)s minutes allow, rounded down "
                            "to the quarter hour."
                        )
                        % {"hours": credit.hours, "minutes": credit.minutes},
                    )
                else:
                    messages.success(request, _("%(hours)s credit hours recorded.") % {"hours": credit.hours})
                return redirect("integrity:training_mcle_person", public_id=person.public_id)
    elif person.pk != request.user.pk:
        services.transcript_view_record(deputy=person, actor=request.user)
    versions = selectors.rule_set_versions()
    row = selectors.standings_bulk(users=[selectors.staff_members().get(pk=person.pk)], versions=versions)[0]
    return render(
        request,
        "integrity/training/mcle_person.html",
        {
            "person": person,
            "profile": profile,
            "row": row,
            "rule_set": row.rule_set or selectors.rule_set_in_force(on=timezone.localdate(), versions=versions),
            "record_form": record_form,
            "credit_form": credit_form,
            "credits": selectors.external_credits_of(user=person),
            "can_change_record": request.user.has_perm(CHANGE_RECORD),
            "can_add_credit": request.user.has_perm(ADD_CREDIT),
        },
    )


@staff(object_scoped=True)
@require_GET
def training_mcle_certificate_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The certificate of credit earned elsewhere, as an attachment: its owner's or, for JTI,
    anyone's (404 otherwise, and when none was uploaded)."""
    credit = selectors.external_credit_get_for_staff(user=request.user, public_id=public_id)
    if not credit.certificate:
        selectors.raise_not_found()
    extension = credit.certificate.name.rsplit(".", 1)[-1]
    return FileResponse(
        credit.certificate.open("rb"),
        as_attachment=True,
        filename=f"mcle-certificate-{credit.earned_on:%Y%m%d}.{extension}",
        content_type=credit.certificate_type or "application/octet-stream",
    )


def _missing_text(row) -> str:
    if row.group_missing:
        return _("State Bar group not recorded")
    if row.standing is None:
        return _("No rule set in force at the end of the period")
    return "; ".join(f"{p['label']}: {p['missing']}" for p in row.progress if p["missing"])


@staff(VIEW_COMPLIANCE)
@require_GET
def training_mcle_export_view(request: HttpRequest) -> HttpResponse:
    """The coordinator's CSV: one line per attorney (staff recorded as not attorneys are left
    out) with the period, deadline, hours per category and subfield, participatory hours,
    total, whether they comply and what is missing."""
    groups = selectors.groups_current()
    rows = selectors.compliance_rows(versions=selectors.rule_set_versions(), groups=groups)
    rows = [r for r in rows if r.has_obligation]
    header = [
        _("Name"), _("State Bar number"), _("Group"), _("Period"), _("Deadline"),
        *[str(label) for _code, label in CreditCategory.choices],
        _("Participatory"), _("Total"), _("Compliant"), _("Missing"), _("Rule"),
    ]  # fmt: skip
    lines = []
    for row in rows:
        standing, profile = row.standing, selectors.profile_of(row.user)
        hours = [standing.by_category.get(code, mcle.ZERO) if standing else "" for code, _l in CreditCategory.choices]
        lines.append(
            [
                str(row.user),
                profile.bar_number if profile else "",
                row.group.number if row.group else "",
                f"{standing.period_start:%Y-%m-%d}/{standing.period_end:%Y-%m-%d}" if standing else "",
                f"{row.group.period_end:%Y-%m-%d}" if row.group else "",
                *hours,
                standing.participatory if standing else "",
                standing.total if standing else "",
                _("yes") if row.compliant else _("no"),
                _missing_text(row),
                f"{row.rule_set.citation} (v{row.rule_set.version})" if row.rule_set else "",
            ]
        )
    return csv_export(
        actor=request.user,
        action=EXPORT_ACTION,
        object_type=MCLEProfile._meta.label_lower,
        filename=f"mcle-compliance-{timezone.localdate():%Y%m%d}.csv",
        header=header,
        rows=lines,
    )
