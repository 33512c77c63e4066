"""The staff triage queue: "what next" (due date, overdue first, then priority), filters saved
per person, full-text search and bulk actions on the selected rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from jcr.core.access import staff
from jcr.core.models import Area
from prosecution.concerns import queue, services_queue, triage
from prosecution.concerns.forms_staff import BulkActionForm, QueueFilterForm
from prosecution.concerns.models_categories import Category

VIEW = "prosecution.view_concern"
QUEUE_URL = "prosecution:staff_concern_list"
PAGING = ("after", "before")


def _queue_form(request: HttpRequest, data) -> QueueFilterForm:
    user = request.user
    areas = Area.objects.order_by("kind", "name")
    if not user.has_perm("prosecution.view_all_concerns"):
        areas = areas.filter(assignments__user=user).distinct()
    return QueueFilterForm(
        data,
        areas=list(areas.only("public_id", "name", "kind")),
        categories=list(Category.objects.all()),
        people=list(triage.assignable_staff().only("public_id", "full_name", "email")),
    )


@staff(VIEW)
@require_http_methods(["GET", "POST"])
def staff_concern_list_view(request: HttpRequest) -> HttpResponse:
    """The queue (GET); a POST is one of its forms: "bulk" (an action on the selected rows),
    "save_filters" or "reset_filters". Each POST answers with a redirect back to the queue."""
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent == "bulk":
            return _bulk(request)
        if intent in ("save_filters", "reset_filters"):
            return _filters(request, reset=intent == "reset_filters")
        messages.error(request, _("Nothing changed."))
        return _back_to_queue(request)
    user = request.user
    # Opening the queue bare applies the person's saved filters; any query (the filter form
    # sends every field, "Clear filters" sends an empty search) is taken as it is.
    saved = queue.saved_filters_for(user=user)
    using_saved = not request.GET and saved is not None
    params = saved if using_saved else queue.filter_params(request.GET)
    form = _queue_form(request, params or None)
    filters = form.filters() if form.is_bound else {}
    sort = filters.get("sort") or "due"
    qs = triage.concern_queue(user=user, filters=filters)
    if filters.get("q"):
        qs = qs.filter(queue.search_q(filters["q"]))
    qs = queue.with_queue_columns(qs.only(*triage.QUEUE_FIELDS))
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    if sort == "due":
        page = queue.due_page(qs, after=after, before=before)
    else:
        page = triage.keyset_page(qs, oldest_first=sort == "oldest", after=after, before=before)
    kept = list(params.items())
    next_url = "?" + urlencode([*kept, ("after", page.next_cursor)]) if page.next_cursor else None
    previous_url = "?" + urlencode([*kept, ("before", page.previous_cursor)]) if page.previous_cursor else None
    back = "?" + urlencode([*kept, *[(k, request.GET[k]) for k in PAGING if request.GET.get(k)]])
    can_edit = user.has_perm("prosecution.change_concern")
    return render(
        request,
        "prosecution/concerns/staff_concern_list.html",
        {
            "form": form,
            "rows": triage.queue_rows(page.rows),
            "filtered": bool(kept),
            "using_saved": using_saved,
            "has_saved": saved is not None,
            "saved_matches": saved is not None and saved == params,
            "next_url": next_url,
            "previous_url": previous_url,
            "back": back,
            "kept": kept,
            "can_edit": can_edit,
            # Its own ids: the filter form above has fields of the same names (status, priority).
            "bulk_form": BulkActionForm(people=list(triage.assignable_staff()), auto_id="id_bulk_%s")
            if can_edit
            else None,
            "clear_url": reverse(QUEUE_URL) + "?q=",
        },
    )


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    # Only a query string of the queue itself: never an address elsewhere.
    if not back.startswith("?") or "//" in back or "\\" in back:
        back = ""
    return redirect(reverse(QUEUE_URL) + back)


def _filters(request: HttpRequest, *, reset: bool) -> HttpResponse:
    """Save the queue's current filters for the person, or forget them ("reset")."""
    if reset:
        services_queue.queue_filters_reset(user=request.user)
        messages.success(request, _("Your saved filters are cleared: the queue opens with every open concern."))
        return redirect(reverse(QUEUE_URL) + "?q=")
    services_queue.queue_filters_save(user=request.user, data=request.POST)
    messages.success(request, _("These filters are saved: the queue opens with them from now on."))
    return _back_to_queue(request)


def _bulk(request: HttpRequest) -> HttpResponse:
    """One action on the selected rows of the queue, concern by concern (see
    services_queue.concerns_bulk_apply): what changed and what was skipped, and why."""
    form = BulkActionForm(request.POST, people=list(triage.assignable_staff()))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_queue(request)
    result = services_queue.concerns_bulk_apply(
        user=request.user,
        public_ids=form.cleaned_data["concerns"],
        action=form.cleaned_data["action"],
        **form.values(),
    )
    if result.changed:
        messages.success(
            request,
            ngettext(
                "%(count)d concern changed: %(codes)s.", "%(count)d concerns changed: %(codes)s.", len(result.changed)
            )
            % {"count": len(result.changed), "codes": ", ".join(result.changed)},
        )
    for code, why in result.skipped:
        messages.warning(request, _("%(code)s was skipped: %(why)s") % {"code": code, "why": why})
    if result.missing:
        messages.warning(
            request,
            ngettext(
                "%(count)d selected concern was not found among those you may see.",
                "%(count)d selected concerns were not found among those you may see.",
                result.missing,
            )
            % {"count": result.missing},
        )
    if not result.changed and not result.skipped and not result.missing:
        messages.info(request, _("Nothing changed."))
    return _back_to_queue(request)
