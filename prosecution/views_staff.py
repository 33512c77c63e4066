"""Staff pages of neighborhood concerns: the landing page, the triage queue, a concern's page
and its actions (each action its own POST-only view that calls one service)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jcr.core.access import staff
from jcr.core.models import Area
from prosecution import services, triage
from prosecution.forms_staff import AssignForm, NoteForm, PriorityForm, QueueFilterForm, StatusForm
from prosecution.models import Category, Concern, ConcernUpdate
from prosecution.permissions import concern_get_for_staff, concern_list_visible_to

VIEW = "prosecution.view_concern"


def _queue_url(**params) -> str:
    return reverse("prosecution:staff_concern_list") + ("?" + urlencode(params) if params else "")


@staff("accounts.access_prosecution")
@require_GET
def staff_landing_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = triage.staff_counts(user=user) if user.has_perm(VIEW) else None
    my_areas = list(Area.objects.filter(assignments__user=user).distinct().order_by("kind", "name"))
    return render(
        request,
        "prosecution/staff_landing.html",
        {
            "counts": counts,
            "my_areas": my_areas,
            "links": {
                "mine": _queue_url(assignee="mine"),
                "unassigned": _queue_url(assignee="unassigned"),
                "unplaced": _queue_url(area="none"),
                "overdue": _queue_url(overdue="on"),
                "all": _queue_url(),
            },
            "ack_days": settings.JCR_CONCERN_ACK_DAYS,
        },
    )


@staff(VIEW)
@require_GET
def staff_concern_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    sees_all = user.has_perm("prosecution.view_all_concerns")
    areas = Area.objects.order_by("kind", "name")
    if not sees_all:
        areas = areas.filter(assignments__user=user).distinct()
    form = QueueFilterForm(
        request.GET or None,
        areas=list(areas.only("public_id", "name", "kind")),
        categories=list(Category.objects.all()),
        people=list(triage.assignable_staff().only("public_id", "full_name", "email")),
    )
    filters = form.filters() if form.is_bound else {}
    oldest_first = filters.get("sort") == "oldest"
    queryset = triage.concern_queue(user=user, filters=filters).prefetch_related("areas")
    page = triage.keyset_page(
        queryset,
        oldest_first=oldest_first,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    kept = [(k, v) for k, v in request.GET.items() if k not in ("after", "before") and v]
    next_url = "?" + urlencode([*kept, ("after", page.next_cursor)]) if page.next_cursor else None
    previous_url = "?" + urlencode([*kept, ("before", page.previous_cursor)]) if page.previous_cursor else None
    cutoff = triage.overdue_cutoff()
    rows = [{"concern": c, "overdue": c.status == Concern.Status.RECEIVED and c.created_at < cutoff} for c in page.rows]
    return render(
        request,
        "prosecution/staff_concern_list.html",
        {
            "form": form,
            "rows": rows,
            "filtered": bool(kept),
            "next_url": next_url,
            "previous_url": previous_url,
            "ack_days": settings.JCR_CONCERN_ACK_DAYS,
        },
    )


def _answers(concern: Concern) -> list[dict]:
    """The answers to the category's questions, labelled, in the questions' order."""
    shown = []
    for question in concern.category.questions.all():
        if question.code not in concern.answers:
            continue
        value = concern.answers[question.code]
        options = dict(question.option_choices())
        values = value if isinstance(value, list) else [value]
        shown.append({"label": question.label, "value": ", ".join(str(options.get(v, v)) for v in values)})
    return shown


def _detail(request: HttpRequest, concern: Concern, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    user = request.user
    can_edit = user.has_perm("prosecution.change_concern")
    photos = [
        {"photo": p, "url": default_storage.url(p.thumbnail or p.image), "full_url": default_storage.url(p.image)}
        for p in concern.photos.all()
    ]
    context = {
        "concern": concern,
        "areas": list(concern.areas.all()),
        "answers": _answers(concern),
        "photos": photos,
        "updates": list(concern.updates.select_related("author")),
        "can_edit": can_edit,
        "is_overdue": concern.status == Concern.Status.RECEIVED and concern.created_at < triage.overdue_cutoff(),
        "ack_days": settings.JCR_CONCERN_ACK_DAYS,
        "internal_kind": ConcernUpdate.Kind.INTERNAL_NOTE,
    }
    if can_edit:
        people = list(triage.assignable_staff(concern=concern))
        current = str(concern.assignee.public_id) if concern.assignee else ""
        context |= {
            "status_form": forms.get("status") or StatusForm(initial={"status": concern.status}),
            "note_form": forms.get("note") or NoteForm(),
            "assign_form": forms.get("assign") or AssignForm(initial={"assignee": current}, people=people),
            "priority_form": forms.get("priority") or PriorityForm(initial={"priority": concern.priority}),
            "assigned_to_me": concern.assignee_id == user.pk,
        }
    # --- Partners, referrals, projects and follow-ups: see the include concern_referral.html
    from prosecution.views_projects import concern_page_context

    context |= concern_page_context(user=user, concern=concern, areas=context["areas"], forms=forms, can_edit=can_edit)
    # End of referrals, projects and follow-ups
    return render(request, "prosecution/staff_concern_detail.html", context, status=status)


@staff(VIEW, object_scoped=True)
@require_GET
def staff_concern_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id)
    return _detail(request, concern)


def _concern_action(view: Callable) -> Callable:
    """A POST-only action on one concern: 404 outside the user's scope (asked first, so a GET
    does not reveal that the concern exists), 405 for other methods, 403 for read-only staff.
    The view receives the concern."""
    allowed = require_POST(view)

    @wraps(allowed)
    def wrapper(request: HttpRequest, public_id: UUID) -> HttpResponse:
        concern_get_for_staff(user=request.user, public_id=public_id)
        return allowed(request, public_id=public_id)

    return wrapper


def _back(request: HttpRequest, concern: Concern, message: str) -> HttpResponse:
    messages.success(request, message)
    if not concern_list_visible_to(user=request.user).filter(pk=concern.pk).exists():
        # Assigned away from the areas of the person who acted: the page is no longer theirs.
        return redirect("prosecution:staff_concern_list")
    return redirect("prosecution:staff_concern_detail", public_id=concern.public_id)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_status_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            concern = services.concern_set_status(
                concern=concern,
                status=form.cleaned_data["status"],
                actor=request.user,
                public_text=form.cleaned_data["public_text"],
                close_reason=form.cleaned_data["close_reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _("Status changed to %(status)s.") % {"status": concern.get_status_display()}
            return _back(request, concern, message)
    return _detail(request, concern, forms={"status": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_note_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.concern_add_note(concern=concern, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            return _back(request, concern, _("Internal note added."))
    return _detail(request, concern, forms={"note": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_assign_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    if request.POST.get("me"):
        concern = services.concern_assign(concern=concern, assignee=request.user, actor=request.user)
        return _back(request, concern, _("The concern is assigned to you."))
    form = AssignForm(request.POST, people=list(triage.assignable_staff(concern=concern)))
    if form.is_valid():
        assignee = form.chosen()
        concern = services.concern_assign(concern=concern, assignee=assignee, actor=request.user)
        if assignee is None:
            message = _("The concern is now unassigned.")
        else:
            message = _("The concern is assigned to %(name)s.") % {"name": assignee.full_name or assignee.email}
        return _back(request, concern, message)
    return _detail(request, concern, forms={"assign": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_priority_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PriorityForm(request.POST)
    if form.is_valid():
        concern = services.concern_set_priority(
            concern=concern, priority=form.cleaned_data["priority"], actor=request.user
        )
        message = _("Priority set to %(priority)s.") % {"priority": concern.get_priority_display()}
        return _back(request, concern, message)
    return _detail(request, concern, forms={"priority": form}, status=400)
