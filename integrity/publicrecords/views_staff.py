"""Staff pages of public records requests (JTI Staff and JTI Chief: the permission
`integrity.work_publicrecordsrequest`): the queue by determination due date, staff entry,
the request page with its actions and timeline, and the release log export. Each action is
one service call (timeline step and audit entry)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.publicrecords import selectors, services
from integrity.publicrecords.forms import (
    AssignForm,
    CloseForm,
    DeterminationForm,
    ExtensionForm,
    GatheredForm,
    NotesForm,
    QueueFilterForm,
    RedactionForm,
    ReleaseForm,
    RequestStaffForm,
)
from integrity.publicrecords.models import WORK, PublicRecordsRequest
from jcr.core.access import staff
from jcr.core.exports import csv_export


def _get(public_id) -> PublicRecordsRequest:
    try:
        return selectors.request_for_staff(public_id)
    except PublicRecordsRequest.DoesNotExist:
        raise Http404 from None


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@staff(WORK)
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.setdefault("status", "open")
    form = QueueFilterForm(params)
    data = form.cleaned_data if form.is_valid() else {"status": "open", "mine": False, "overdue": False}
    today = timezone.localdate()
    rows = selectors.request_queue(
        status=data["status"], mine_of=request.user if data["mine"] else None, overdue=data["overdue"], today=today
    )
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "integrity/publicrecords/queue.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode()},
    )


@staff(WORK)
@require_http_methods(["GET", "POST"])
def request_new_view(request: HttpRequest) -> HttpResponse:
    form = RequestStaffForm(request.POST or None, initial={"language": "en", "received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pra = services.request_enter(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The request was entered."))
            return redirect("integrity:public_records_detail", public_id=pra.public_id)
    return render(request, "integrity/publicrecords/request_new.html", {"form": form})


@staff(WORK)
@require_GET
def request_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    pra = _get(public_id)
    extension_rule = None
    extension_form = None
    if pra.status == PublicRecordsRequest.Status.RECEIVED:
        try:
            extension_rule = selectors.extension_rule(pra.received_on)
        except ValidationError:
            extension_rule = None
        if extension_rule is not None:
            extension_form = ExtensionForm(reasons=selectors.extension_reasons(extension_rule))
    context = {
        "pra": pra,
        "today": timezone.localdate(),
        "assign_form": AssignForm(initial={"assigned_to": pra.assigned_to_id}),
        "notes_form": NotesForm(initial={"search_notes": pra.search_notes}),
        "gathered_form": GatheredForm(),
        "redaction_form": RedactionForm(request=pra),
        "extension_rule": extension_rule,
        "extension_form": extension_form,
        "determination_form": DeterminationForm() if pra.awaits_determination else None,
        "release_form": ReleaseForm() if pra.determination in ("whole", "part") and pra.is_open else None,
        "close_form": CloseForm() if pra.is_open else None,
    }
    return render(request, "integrity/publicrecords/request_detail.html", context)


def _act(request: HttpRequest, public_id, form_class, call, /, **form_kwargs) -> HttpResponse:
    pra = _get(public_id)
    form = form_class(request.POST, **{k: (v(pra) if callable(v) else v) for k, v in form_kwargs.items()})
    if form.is_valid():
        try:
            call(pra, form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Saved."))
    else:
        _form_errors(request, form)
    return redirect("integrity:public_records_detail", public_id=pra.public_id)


@staff(WORK)
@require_POST
def request_assign_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request,
        public_id,
        AssignForm,
        lambda pra, d: services.request_assign(request=pra, assigned_to=d["assigned_to"], actor=request.user),
    )


@staff(WORK)
@require_POST
def request_notes_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request,
        public_id,
        NotesForm,
        lambda pra, d: services.request_notes_save(request=pra, search_notes=d["search_notes"], actor=request.user),
    )


@staff(WORK)
@require_POST
def request_gathered_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request, public_id, GatheredForm, lambda pra, d: services.gathered_add(request=pra, actor=request.user, **d)
    )


@staff(WORK)
@require_POST
def request_redaction_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request,
        public_id,
        RedactionForm,
        lambda pra, d: services.redaction_add(request=pra, actor=request.user, **d),
        request=lambda pra: pra,
    )


@staff(WORK)
@require_POST
def request_extend_view(request: HttpRequest, public_id) -> HttpResponse:
    def reasons(pra):
        try:
            return selectors.extension_reasons(selectors.extension_rule(pra.received_on))
        except ValidationError:
            return []

    return _act(
        request,
        public_id,
        ExtensionForm,
        lambda pra, d: services.request_extend(request=pra, actor=request.user, **d),
        reasons=reasons,
    )


@staff(WORK)
@require_POST
def request_determine_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request,
        public_id,
        DeterminationForm,
        lambda pra, d: services.request_determine(request=pra, actor=request.user, **d),
    )


@staff(WORK)
@require_POST
def request_release_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request, public_id, ReleaseForm, lambda pra, d: services.release_record(request=pra, actor=request.user, **d)
    )


@staff(WORK)
@require_POST
def request_close_view(request: HttpRequest, public_id) -> HttpResponse:
    return _act(
        request, public_id, CloseForm, lambda pra, d: services.request_close(request=pra, actor=request.user, **d)
    )


RELEASE_HEADER = [
    "tracking_code",
    "received_on",
    "determination",
    "determination_on",
    "released_on",
    "scope",
    "method",
    "records_count",
    "exemptions_cited",
]


@staff(WORK)
@require_GET
def release_log_export_view(request: HttpRequest) -> HttpResponse:
    """The release log as CSV (no requester details, no staff notes): recorded in the audit trail."""
    rows = []
    for release in selectors.release_log().prefetch_related("request__redactions"):
        pra = release.request
        cited = sorted({r.exemption for r in pra.redactions.all()})
        rows.append(
            [
                pra.tracking_code,
                pra.received_on,
                pra.determination,
                pra.determination_on,
                release.released_on,
                release.scope,
                release.method,
                release.records_count,
                " ".join(cited),
            ]
        )
    return csv_export(
        actor=request.user,
        action="integrity.publicrecords.export",
        filename=f"public-records-releases-{timezone.localdate():%Y%m%d}.csv",
        header=RELEASE_HEADER,
        rows=rows,
        object_type="integrity.release",
    )
