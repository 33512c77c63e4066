"""Staff pages of partners, referrals and problem-solving projects; residents' pages of public
projects and of the "is it fixed?" follow-up. Each action is its own POST-only view that calls
one service."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import public, staff
from jcr.core.caching import cache_public_page
from jcr.core.models import Area
from prosecution import selectors, services, triage
from prosecution.forms_projects import (
    AddToProjectForm,
    FollowUpAnswerForm,
    OwnerContactForm,
    PartnerContactForm,
    PartnerFilterForm,
    PartnerForm,
    ProjectActionForm,
    ProjectConcernForm,
    ProjectFilterForm,
    ProjectForm,
    ProjectPartnerForm,
    ReferralForm,
    StageForm,
)
from prosecution.models import (
    Category,
    Concern,
    FollowUp,
    OwnerContact,
    Partner,
    PartnerContact,
    Project,
    ProjectAction,
    ProjectConcern,
    ProjectPartner,
    Referral,
)
from prosecution.permissions import (
    concern_get_for_staff,
    concern_list_visible_to,
    project_get_for_staff,
    project_list_visible_to,
)

VIEW_CONCERN = "prosecution.view_concern"
VIEW_PARTNER = "prosecution.view_partner"
VIEW_PROJECT = "prosecution.view_project"
OPEN_STAGES = [s for s in Project.Stage.values if s != Project.Stage.CLOSED]


# --- The concern page's part: referrals, projects, follow-ups ------------------------------------


def concern_page_context(*, user, concern: Concern, areas: list[Area], forms: dict, can_edit: bool) -> dict:
    """What templates/prosecution/includes/concern_referral.html needs on the staff concern page:
    the referral form (partners suggested by the concern's category and areas: one query, only
    for staff who may refer an open concern) and the link to "add to a project". Referrals,
    projects and the resident's "is it fixed?" answers are listed in the concern's history
    (the services write them there), so the page spends no other query on them."""
    context = {
        "can_refer": can_edit and concern.is_open and user.has_perm("prosecution.add_referral"),
        "can_add_to_project": can_edit and user.has_perm("prosecution.change_project"),
    }
    if forms.get("refer") is not None:  # a refused referral: its errors are shown, even for a closed concern
        context["refer_form"] = forms["refer"]
    elif context["can_refer"]:
        partners = selectors.partner_suggestions(category_id=concern.category_id, area_ids=[a.pk for a in areas])
        context["refer_form"] = ReferralForm(partners=partners)
    return context


def _concern_action(view: Callable) -> Callable:
    """POST-only action on a concern: 404 outside the user's scope first, then 405."""
    allowed = require_POST(view)

    @wraps(allowed)
    def wrapper(request: HttpRequest, public_id: UUID) -> HttpResponse:
        concern_get_for_staff(user=request.user, public_id=public_id)
        return allowed(request, public_id=public_id)

    return wrapper


def _concern_page(request, concern, *, forms, status=400):
    """The staff concern page again, with a form's errors (views_staff._detail)."""
    from prosecution.views_staff import _detail

    return _detail(request, concern, forms=forms, status=status)


@staff(VIEW_CONCERN, object_scoped=True)
@_concern_action
def staff_concern_refer_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    if not request.user.has_perm("prosecution.add_referral"):
        raise PermissionDenied
    partners = selectors.partner_suggestions(
        category_id=concern.category_id, area_ids=list(concern.areas.values_list("pk", flat=True))
    )
    form = ReferralForm(request.POST, partners=partners)
    if form.is_valid():
        partner = Partner.objects.filter(public_id=form.cleaned_data["partner"]).first()
        contact_id = form.cleaned_data["contact"]
        contact = PartnerContact.objects.filter(public_id=contact_id).first() if contact_id else None
        if partner is None:
            form.add_error("partner", _("Choose a partner."))
        else:
            try:
                referral = services.concern_refer(
                    concern=concern,
                    partner=partner,
                    contact=contact,
                    message=form.cleaned_data["message"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Referred to %(partner)s; an e-mail to %(email)s is on its way.")
                    % {"partner": partner.name, "email": referral.to_email},
                )
                return redirect("prosecution:staff_concern_detail", public_id=concern.public_id)
    return _concern_page(request, concern, forms={"refer": form})


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
        "prosecution/project_add_concern.html",
        {"concern": concern, "current": current, "choices": choices, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Partners -----------------------------------------------------------------------------------


def _areas_and_categories() -> tuple[list[Area], list[Category]]:
    return (
        list(Area.objects.order_by("kind", "name").only("public_id", "name", "kind")),
        list(Category.objects.order_by("order", "name")),
    )


@staff(VIEW_PARTNER)
@require_GET
def staff_partner_list_view(request: HttpRequest) -> HttpResponse:
    areas, categories = _areas_and_categories()
    form = PartnerFilterForm(request.GET or None, areas=areas, categories=categories)
    filters = form.filters() if form.is_bound else {"active": "active"}
    partners = list(selectors.partner_list(**filters)[:500])
    return render(
        request,
        "prosecution/partner_list.html",
        {
            "form": form,
            "partners": partners,
            "filtered": bool([v for v in request.GET.values() if v]),
            "can_add": request.user.has_perm("prosecution.add_partner"),
        },
    )


def _partner_form_page(request, form, *, partner=None, status=200):
    return render(request, "prosecution/partner_form.html", {"form": form, "partner": partner}, status=status)


def _partner_values(form: PartnerForm) -> dict:
    data = dict(form.cleaned_data)
    return {
        "areas": list(data.pop("areas")),
        "categories": list(data.pop("categories")),
        **data,
    }


@staff("prosecution.add_partner")
@require_http_methods(["GET", "POST"])
def staff_partner_create_view(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_save(actor=request.user, **_partner_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Partner %(name)s added. Add its contacts below.") % {"name": partner.name})
            return redirect("prosecution:staff_partner_detail", public_id=partner.public_id)
    return _partner_form_page(request, form, status=400 if form.is_bound else 200)


@staff("prosecution.change_partner")
@require_http_methods(["GET", "POST"])
def staff_partner_edit_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = get_object_or_404(Partner, public_id=public_id)
    initial = {
        "name": partner.name,
        "kind": partner.kind,
        "jurisdiction": partner.jurisdiction,
        "areas": list(partner.areas.all()),
        "categories": list(partner.categories.all()),
        "website": partner.website,
        "phone": partner.phone,
        "notes": partner.notes,
        "is_active": partner.is_active,
    }
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_save(partner=partner, actor=request.user, **_partner_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Partner %(name)s saved.") % {"name": partner.name})
            return redirect("prosecution:staff_partner_detail", public_id=partner.public_id)
    return _partner_form_page(request, form, partner=partner, status=400 if form.is_bound else 200)


def _partner_page(request, partner: Partner, *, contact_form=None, status=200) -> HttpResponse:
    user = request.user
    projects = list(
        project_list_visible_to(user=user)
        .filter(partner_links__partner=partner)
        .prefetch_related(Prefetch("partner_links", queryset=ProjectPartner.objects.filter(partner=partner)))
        .order_by("-updated_at", "-id")[:100]
    )
    referrals = list(
        Referral.objects.filter(partner=partner, concern__in=concern_list_visible_to(user=user).values("pk"))
        .select_related("concern", "concern__category", "contact", "email")
        .order_by("-created_at", "-id")[:100]
    )
    can_edit = user.has_perm("prosecution.change_partner")
    return render(
        request,
        "prosecution/partner_detail.html",
        {
            "partner": partner,
            "contacts": list(partner.contacts.all()),
            "areas": list(partner.areas.all()),
            "categories": list(partner.categories.all()),
            "projects": [{"project": p, "roles": [link.role for link in p.partner_links.all()]} for p in projects],
            "referrals": referrals,
            "can_edit": can_edit,
            "contact_form": (contact_form or PartnerContactForm()) if can_edit else None,
        },
        status=status,
    )


@staff(VIEW_PARTNER)
@require_GET
def staff_partner_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _partner_page(request, get_object_or_404(Partner, public_id=public_id))


@staff("prosecution.change_partner")
@require_POST
def staff_partner_contact_add_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    partner = get_object_or_404(Partner, public_id=public_id)
    form = PartnerContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.partner_contact_add(partner=partner, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
            return redirect("prosecution:staff_partner_detail", public_id=partner.public_id)
    return _partner_page(request, partner, contact_form=form, status=400)


@staff("prosecution.change_partner")
@require_POST
def staff_partner_contact_remove_view(request: HttpRequest, public_id: UUID, contact_id: UUID) -> HttpResponse:
    contact = get_object_or_404(PartnerContact, public_id=contact_id, partner__public_id=public_id)
    services.partner_contact_remove(contact=contact, actor=request.user)
    messages.success(request, _("Contact %(name)s removed.") % {"name": contact.name})
    return redirect("prosecution:staff_partner_detail", public_id=public_id)


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
        "prosecution/project_list.html",
        {
            "form": form,
            "projects": projects,
            "filtered": bool([v for v in request.GET.values() if v]),
            "can_add": user.has_perm("prosecution.add_project"),
        },
    )


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
            project = services.project_save(actor=request.user, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Project created. Group its concerns below."))
            return redirect("prosecution:staff_project_detail", public_id=project.public_id)
    return render(
        request, "prosecution/project_form.html", {"form": form, "project": None}, status=400 if form.is_bound else 200
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
            project = services.project_save(project=project, actor=request.user, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("prosecution:staff_project_detail", public_id=project.public_id)
    return render(
        request,
        "prosecution/project_form.html",
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
    partners = selectors.partner_choices() if can_edit else []
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
    return render(request, "prosecution/project_detail.html", context, status=status)


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
    form = ProjectPartnerForm(request.POST, partners=selectors.partner_choices())
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
        "prosecution/project_public.html",
        {
            "project": project,
            "areas": list(project.areas.all()),
            "partners": [link.partner.name for link in project.partner_links.all()],
            "outcome": selectors.project_outcome(project=project, public_only=True),
            "stages": [(value, label, value == project.stage) for value, label in Project.Stage.choices],
        },
    )


TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _followup_invalid(request: HttpRequest, status: int) -> HttpResponse:
    from prosecution.views_public import cpu_contact

    response = render(request, "prosecution/followup_invalid.html", {"contact": cpu_contact()}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def followup_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    """The one-question follow-up ("is it fixed?"): no account, the token is the key. A
    malformed token gets 400, an unknown or expired one 404 (a friendly page either way)."""
    if not TOKEN_SHAPE.match(token):
        return _followup_invalid(request, 400)
    try:
        followup = selectors.followup_get_by_token(token=token)
    except Http404:
        return _followup_invalid(request, 404)
    recorded = None
    if request.method == "POST":
        form = FollowUpAnswerForm(request.POST)
        if form.is_valid():
            followup, recorded = services.followup_answer(followup=followup, answer=form.cleaned_data["answer"])
    else:
        preset = request.GET.get("answer")
        form = FollowUpAnswerForm(initial={"answer": preset} if preset else None)
    response = render(
        request,
        "prosecution/followup_answer.html",
        {
            "followup": followup,
            "concern": followup.concern,
            "form": form,
            "recorded": recorded,
            "track_url": reverse("prosecution:concern_track", kwargs={"tracking_code": followup.concern.tracking_code}),
        },
        status=400 if request.method == "POST" and recorded is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
