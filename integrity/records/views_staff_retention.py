"""The records officer's pages of the monthly disposition run (`integrity.approve_disposition`,
the JTI Chief): the runs, and one run's list of records to approve or exclude (with a reason).
Approving needs a sign-in less than ten minutes old; each item is re-checked for a legal hold
as it is carried out (integrity/records/services_retention.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from integrity.records import services_retention
from integrity.records.access import jti_staff_required, record_list_log, require_recent_sign_in
from integrity.records.models_retention import DispositionItem, DispositionRun
from integrity.records.views_access_log import DETAIL_NAMES
from integrity.records.views_staff import error_show

PAGE_SIZE = 25
RUN_TYPE = "integrity.dispositionrun"


@jti_staff_required(services_retention.APPROVE_PERMISSION)
@require_GET
def disposition_run_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(DispositionRun.objects.select_related("approved_by"), PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_log(request, model=RUN_TYPE, count=len(page.object_list), filters={"page": page.number})
    return render(request, "integrity/records/disposition_runs.html", {"page": page})


def _item_rows(run: DispositionRun, user) -> list[dict]:
    walled_ids = services_retention.walled_record_ids(run, user)
    rows = []
    for item in run.items.select_related("schedule"):
        walled = str(item.record_public_id) in walled_ids
        url = None if walled else reverse(DETAIL_NAMES[item.record_type], kwargs={"public_id": item.record_public_id})
        rows.append({"item": item, "walled": walled, "url": url})
    return rows


@jti_staff_required(services_retention.APPROVE_PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def disposition_run_view(request: HttpRequest, run_id) -> HttpResponse:
    """One run: GET lists its records; POST approves it (the ticked ones excluded, each with
    its reason) and carries out the rest."""
    run = DispositionRun.objects.filter(public_id=run_id).first()
    if run is None:
        raise Http404
    url = reverse("integrity:disposition_run", kwargs={"run_id": run.public_id})
    if request.method == "POST":
        require_recent_sign_in(request, next_url=url)
        exclusions = {
            item.pk: request.POST.get(f"reason-{item.pk}", "")
            for item in run.items.all()
            if request.POST.get(f"exclude-{item.pk}")
        }
        try:
            summary = services_retention.disposition_run_approve(run=run, actor=request.user, exclusions=exclusions)
        except ValidationError as exc:
            error_show(request, exc)
        else:
            messages.success(
                request,
                _(
                    "Run approved: %(done)d carried out, %(held)d refused for a legal hold, "
                    "%(not_due)d no longer due, %(excluded)d excluded."
                )
                % summary,
            )
        return redirect(url)
    rows = _item_rows(run, request.user)
    record_list_log(request, model=RUN_TYPE, count=len(rows), filters={"run": str(run.public_id)})
    return render(
        request,
        "integrity/records/disposition_run.html",
        {
            "run": run,
            "rows": rows,
            "open": run.status == DispositionRun.Status.OPEN,
            "Outcome": DispositionItem.Outcome,
        },
    )
