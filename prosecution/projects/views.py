"""Staff pages of problem-solving projects (and of adding a concern to one); residents' page of a
public project. Each action is its own POST-only view that calls one service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core import geocoding
from jcr.core.access import public, staff
from jcr.core.caching import cache_public_page
from jcr.core.models import Area
from prosecution.concerns import triage
from prosecution.concerns.models import Concern
from prosecution.concerns.permissions import concern_get_for_staff, concern_list_visible_to
from prosecution.concerns.views_staff import concern_page_part
from prosecution.partners import selectors as partner_selectors
from prosecution.partners.models import FollowUp, Partner
from prosecution.partners.views import partner_page_part
from prosecution.projects import selectors, services
from prosecution.projects.forms import (
    AddToProjectForm,
    OwnerContactForm,
    ProjectActionForm,
    ProjectConcernForm,
    ProjectFilterForm,
    ProjectForm,
    ProjectPartnerForm,
    StageForm,
)
from prosecution.projects.models import OwnerContact, Project, ProjectAction, ProjectConcern, ProjectPartner
from prosecution.projects.permissions import project_get_for_staff, project_list_visible_to

VIEW_PROJECT = "prosecution.view_project"
OPEN_STAGES = [s for s in Project.Stage.values if s != Project.Stage.CLOSED]


@partner_page_part
def partner_page_projects(*, user, partner) -> dict:
    """A partner's page: the projects `user` sees that the partner takes part in, with its roles."""
    projects = list(
        project_list_visible_to(user=user)
        .filter(partner_links__partner=partner)
        .prefetch_related(Prefetch("partner_links", queryset=ProjectPartner.objects.filter(partner=partner)))
        .order_by("-updated_at", "-id")[:100]
    )
    return {"projects": [{"project": p, "roles": [link.role for link in p.partner_links.all()]} for p in projects]}


@concern_page_part
def concern_page_projects(*, user, concern, areas, forms, can_edit: bool) -> dict:
    """The staff concern page's link to "add to a project"."""
    return {"can_add_to_project": can_edit and user.has_perm("prosecution.change_project")}


def _concern_projects(user, concern: Concern) -> tuple[list[Project], list[Project]]:
    """(the projects of the concern that `user` sees, the open ones it may be added to)."""
    in_project = ProjectConcern.objects.filter(project=OuterRef("pk"), concern=concern)
    projects = list(
        project_list_visible_to(user=user)
        .annotate(has_concern=Exists(in_project))
        .filter(Q(has_concern=True) | Q(stage__in=OPEN_STAGES))
        .prefetch_related("areas")
        .order_by("-has_concern", "title", "id")[:300]
    )
    return [p for p in projects if p.has_concern], [p for p in projects if not p.has_concern]


@staff("prosecution.change_project", object_scoped=True)
@require_http_methods(["GET", "POST"])
def staff_concern_add_to_project_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Choose the problem-solving project a concern belongs to (GET lists them, POST adds)."""
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    current, choices = _concern_projects(request.user, concern)
    form = AddToProjectForm(request.POST or None, projects=choices)
    if request.method == "POST" and form.is_valid():
        project = next(p for p in choices if str(p.public_id) == form.cleaned_data["project"])
        try:
            _link, unpublished = services.project_add_concern(project=project, concern=concern, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added to the project %(title)s.") % {"title": project.title})
            if unpublished:
                messages.warning(request, _("The concern is of a sensitive category: the project is no longer public."))
            return redirect("prosecution:staff_concern_detail", public_id=concern.public_id)
    return render(
        request,
        "prosecution/projects/project_add_concern.html",
        {"concern": concern, "current": current, "choices": choices, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Projects -----------------------------------------------------------------------------------


@staff(VIEW_PROJECT)
@require_GET
def staff_project_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    areas = Area.objects.order_by("kind", "name")
    if not user.has_perm("prosecution.view_all_concerns"):
        areas = areas.filter(assignments__user=user).distinct()
    form = ProjectFilterForm(request.GET or None, areas=list(areas.only("public_id", "name", "kind")))
    filters = form.filters() if form.is_bound else {}
    qs = project_list_visible_to(user=user).prefetch_related("areas")
    stage = filters.get("stage")
    if stage == "all":
        pass
    elif stage:
        qs = qs.filter(stage=stage)
    else:
        qs = qs.filter(stage__in=OPEN_STAGES)
    if "area" in filters:
        qs = qs.filter(areas=filters["area"])
    if filters.get("mine"):
        qs = qs.filter(owner=user)
    projects = list(
        qs.annotate(concern_count=Count("concern_links", distinct=True)).order_by("-updated_at", "-id")[:200]
    )
    return render(
        request,
        "prosecution/projects/project_list.html",
        {
            "form": form,
            "projects": projects,
            "filtered": bool([v for v in request.GET.values() if v]),
            "can_add": user.has_perm("prosecution.add_project"),
        },
    )


def _with_point(request: HttpRequest, values: dict) -> dict:
    """Without a latitude and longitude, the typed address placed on the map when it is found
    (a warning says when it is not: the project is saved with its address alone)."""
    if values.get("latitude") is None and (values.get("address") or "").strip():
        found, unplaced = geocoding.address_point(values["address"])
        if found is not None:
            values["latitude"], values["longitude"] = found.latitude, found.longitude
        elif unplaced:
            messages.warning(request, unplaced)
    return values


def _people() -> list:
    return list(triage.assignable_staff().only("public_id", "full_name", "email"))


@staff("prosecution.add_project")
@require_http_methods(["GET", "POST"])
def staff_project_create_view(request: HttpRequest) -> HttpResponse:
    people = _people()
    initial = {"owner": str(request.user.public_id)}
    form = ProjectForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(actor=request.user, **_with_point(request, form.values()))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Project created. Group its concerns below."))
            return redirect("prosecution:staff_project_detail", public_id=project.public_id)
    return render(
        request,
        "prosecution/projects/project_form.html",
        {"form": form, "project": None},
        status=400 if form.is_bound else 200,
    )


@staff("prosecution.change_project", object_scoped=True)
@require_http_methods(["GET", "POST"])
def staff_project_edit_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS if name != "owner"}
    initial["owner"] = str(project.owner.public_id) if project.owner else ""
    form = ProjectForm(request.POST or None, people=_people(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(project=project, actor=request.user, **_with_point(request, form.values()))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("prosecution:staff_project_detail", public_id=project.public_id)
    return render(
        request,
        "prosecution/projects/project_form.html",
        {"form": form, "project": project},
        status=400 if form.is_bound else 200,
    )


def _project_page(request: HttpRequest, project: Project, *, forms: dict | None = None, status=200) -> HttpResponse:
    forms = forms or {}
    user = request.user
    latest_answer = (
        FollowUp.objects.filter(concern=OuterRef("concern_id")).exclude(answer="").order_by("-answered_at", "-id")
    )
    links = list(
        ProjectConcern.objects.filter(project=project)
        .select_related("concern", "concern__category")
        .annotate(followup_answer=Subquery(latest_answer.values("answer")[:1]))
        .order_by("concern__created_at", "id")
    )
    answers = dict(FollowUp.Answer.choices)
    for link in links:
        link.followup_label = answers.get(link.followup_answer or "", "")
    can_edit = user.has_perm("prosecution.change_project")
    partners = partner_selectors.partner_choices() if can_edit else []
    context = {
        "project": project,
        "areas": list(project.areas.all()),
        "links": links,
        "partner_links": list(ProjectPartner.objects.filter(project=project).select_related("partner")),
        "actions": list(ProjectAction.objects.filter(project=project).select_related("owner", "owner_partner")),
        "owner_contacts": list(OwnerContact.objects.filter(project=project).select_related("recorded_by")),
        "history": selectors.project_stage_history(project=project),
        "outcome": selectors.project_outcome(project=project, answers=[link.followup_answer for link in links]),
        "can_edit": can_edit,
        "stages": Project.Stage,
    }
    if can_edit:
        context |= {
            "stage_form": forms.get("stage") or StageForm(initial={"stage": project.stage}),
            "concern_form": forms.get("concern") or ProjectConcernForm(),
            "partner_form": forms.get("partner") or ProjectPartnerForm(partners=partners),
            "action_form": forms.get("action") or ProjectActionForm(people=_people()),
            "owner_contact_form": forms.get("owner_contact") or OwnerContactForm(),
        }
    return render(request, "prosecution/projects/project_detail.html", context, status=status)


@staff(VIEW_PROJECT, object_scoped=True)
@require_GET
def staff_project_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _project_page(request, project_get_for_staff(user=request.user, public_id=public_id))


def _project_action(view: Callable) -> Callable:
    """POST-only action on a project: 404 outside the user's scope first, then 405; the view
    receives the project, and 403 for staff who may only read."""
    allowed = require_POST(view)

    @wraps(allowed)
    def wrapper(request: HttpRequest, public_id: UUID, **kwargs) -> HttpResponse:
        project_get_for_staff(user=request.user, public_id=public_id)
        return allowed(request, public_id=public_id, **kwargs)

    return wrapper


def _project_back(request, project, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("prosecution:staff_project_detail", public_id=project.public_id)


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_stage_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            project = services.project_set_stage(project=project, stage=form.cleaned_data["stage"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _project_back(
                request, project, _("Stage changed to %(stage)s.") % {"stage": project.get_stage_display()}
            )
    return _project_page(request, project, forms={"stage": form}, status=400)


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_concern_add_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = ProjectConcernForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["tracking_code"]
        concern = concern_list_visible_to(user=request.user).filter(tracking_code=code).first()
        if concern is None:
            form.add_error(
                "tracking_code", _("No concern you can see has the tracking code %(code)s.") % {"code": code}
            )
        else:
            try:
                _link, unpublished = services.project_add_concern(project=project, concern=concern, actor=request.user)
            except ValidationError as exc:
                form.add_error("tracking_code", exc)
            else:
                if unpublished:
                    messages.warning(
                        request, _("The concern is of a sensitive category: the project is no longer public.")
                    )
                return _project_back(request, project, _("Concern %(code)s added.") % {"code": code})
    return _project_page(request, project, forms={"concern": form}, status=400)


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_concern_remove_view(request: HttpRequest, public_id: UUID, concern_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    link = get_object_or_404(
        ProjectConcern.objects.select_related("concern"), project=project, concern__public_id=concern_id
    )
    services.project_remove_concern(project=project, concern=link.concern, actor=request.user)
    return _project_back(
        request, project, _("Concern %(code)s removed from the project.") % {"code": link.concern.tracking_code}
    )


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_partner_add_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = ProjectPartnerForm(request.POST, partners=partner_selectors.partner_choices())
    if form.is_valid():
        partner = get_object_or_404(Partner, public_id=form.cleaned_data["partner"])
        try:
            services.project_add_partner(
                project=project, partner=partner, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _project_back(request, project, _("%(partner)s added to the project.") % {"partner": partner.name})
    return _project_page(request, project, forms={"partner": form}, status=400)


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_action_add_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = ProjectActionForm(request.POST, people=_people())
    if form.is_valid():
        try:
            services.project_action_add(
                project=project,
                description=form.cleaned_data["description"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _project_back(request, project, _("Action added."))
    return _project_page(request, project, forms={"action": form}, status=400)


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_action_done_view(request: HttpRequest, public_id: UUID, action_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    action = get_object_or_404(ProjectAction, project=project, public_id=action_id)
    try:
        services.project_action_done(action=action, actor=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("prosecution:staff_project_detail", public_id=project.public_id)
    return _project_back(request, project, _("Action marked done."))


@staff(VIEW_PROJECT, object_scoped=True)
@_project_action
def staff_project_owner_contact_add_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    project = project_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = OwnerContactForm(request.POST)
    if form.is_valid():
        try:
            services.owner_contact_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _project_back(request, project, _("Contact with the owner logged."))
    return _project_page(request, project, forms={"owner_contact": form}, status=400)


# --- Residents' pages ---------------------------------------------------------------------------


@public
@require_GET
@cache_public_page
def project_public_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A public, non-sensitive problem-solving project: stage, public summary, blurred place,
    partner names and the outcome summary (never the analysis, owner contacts or concerns)."""
    project = selectors.project_get_public(public_id=public_id)
    return render(
        request,
        "prosecution/projects/project_public.html",
        {
            "project": project,
            "areas": list(project.areas.all()),
            "partners": [link.partner.name for link in project.partner_links.all()],
            "outcome": selectors.project_outcome(project=project, public_only=True),
            "stages": [(value, label, value == project.stage) for value, label in Project.Stage.choices],
        },
    )
