"""The JTI Chief's page of the access log of the confidential records."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrity.records.access import ACCESS_LOG_PERMISSION, jti_staff_required, record_list_log
from integrity.records.access_log import ACCESS_LOG_TYPE, AccessLogFilterForm, access_log_entries, entry_row

PAGE_SIZE = 50
DETAIL_NAMES = {
    "integrity.allegation": "integrity:allegation_detail",
    "integrity.claim": "integrity:claim_detail",
    "integrity.testingrequest": "integrity:testing_detail",
    "integrity.disclosureentry": "integrity:disclosure_detail",
}


@jti_staff_required(ACCESS_LOG_PERMISSION)
@require_GET
def access_log_view(request: HttpRequest) -> HttpResponse:
    """Who read, listed, exported or was refused which confidential record, when and from
    where (JTI Chief; recent sign-in). Reading the log is itself logged, with its filters."""
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(access_log_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [entry_row(entry) | {"detail_name": DETAIL_NAMES.get(entry.object_type)} for entry in page]
    record_list_log(
        request,
        model=ACCESS_LOG_TYPE,
        count=len(rows),
        filters={k: str(v) for k, v in filters.items() if v} | ({"page": page.number} if page.number > 1 else {}),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "integrity/records/access_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
