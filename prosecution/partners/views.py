"""Staff pages of partner agencies and of referring a concern to one; the resident's page of the
"is it fixed?" follow-up. Each action is its own POST-only view that calls one service."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import public, staff
from jcr.core.models import Area
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.concerns.permissions import concern_get_for_staff, concern_list_visible_to
from prosecution.concerns.selectors import cpu_contact
from prosecution.concerns.views_staff import concern_page, concern_page_part
from prosecution.partners import selectors, services
from prosecution.partners.forms import (
    FollowUpAnswerForm,
    PartnerContactForm,
    PartnerFilterForm,
    PartnerForm,
    ReferralForm,
)
from prosecution.partners.models import Partner, PartnerContact, Referral

VIEW_CONCERN = "prosecution.view_concern"
VIEW_PARTNER = "prosecution.view_partner"


# --- The concern page's part: referrals, projects, follow-ups ------------------------------------


@concern_page_part
def concern_page_referrals(*, user, concern: Concern, areas: list[Area], forms: dict, can_edit: bool) -> dict:
    """What templates/prosecution/includes/concern_referral.html needs on the staff concern page:
    the referral form (partners suggested by the concern's category and areas: one query, only
    for staff who may refer an open concern); projects add the link to "add to a project". Referrals,
    projects and the resident's "is it fixed?" answers are listed in the concern's history
    (the services write them there), so the page spends no other query on them."""
    context = {
        "can_refer": can_edit and concern.is_open and user.has_perm("prosecution.add_referral"),
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
    """The staff concern page again, with a form's errors."""
    return concern_page(request, concern, forms=forms, status=status)


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
        "prosecution/partners/partner_list.html",
        {
            "form": form,
            "partners": partners,
            "filtered": bool([v for v in request.GET.values() if v]),
            "can_add": request.user.has_perm("prosecution.add_partner"),
        },
    )


def _partner_form_page(request, form, *, partner=None, status=200):
    return render(request, "prosecution/partners/partner_form.html", {"form": form, "partner": partner}, status=status)


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


# The parts of a partner's page that other features add: projects (the partner's projects, with
# its roles). Projects import partners, so partners cannot import them: the part registers here
# with @partner_page_part when its views module is imported (the unit's urls.py imports it).
PARTNER_PAGE_PARTS: list[Callable[..., dict]] = []


def partner_page_part(part: Callable[..., dict]) -> Callable[..., dict]:
    """Register `part(*, user, partner) -> dict` for a partner's page."""
    PARTNER_PAGE_PARTS.append(part)
    return part


def _partner_page(request, partner: Partner, *, contact_form=None, status=200) -> HttpResponse:
    user = request.user
    referrals = list(
        Referral.objects.filter(partner=partner, concern__in=concern_list_visible_to(user=user).values("pk"))
        .select_related("concern", "concern__category", "contact", "email")
        .order_by("-created_at", "-id")[:100]
    )
    can_edit = user.has_perm("prosecution.change_partner")
    context = {
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "areas": list(partner.areas.all()),
        "categories": list(partner.categories.all()),
        "referrals": referrals,
        "can_edit": can_edit,
        "contact_form": (contact_form or PartnerContactForm()) if can_edit else None,
    }
    for part in PARTNER_PAGE_PARTS:
        context |= part(user=user, partner=partner)
    return render(request, "prosecution/partners/partner_detail.html", context, status=status)


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


TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _followup_invalid(request: HttpRequest, status: int) -> HttpResponse:
    response = render(request, "prosecution/partners/followup_invalid.html", {"contact": cpu_contact()}, status=status)
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
        "prosecution/partners/followup_answer.html",
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
