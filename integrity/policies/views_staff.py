"""Staff pages of legal update bulletins and office policies. Writers (JTI staff) draft,
the JTI Chief publishes, and every staff member reads what is addressed to them and
acknowledges it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrity.policies import selectors, services
from integrity.policies.forms import BulletinForm, PolicyForm, PolicyVersionForm
from integrity.policies.models import Bulletin, DocumentStatus, Policy, PolicyVersion
from jcr.core.access import staff

# --- Bulletins -----------------------------------------------------------------------------


@staff(selectors.ACKNOWLEDGE)
@require_GET
def bulletin_list_view(request: HttpRequest) -> HttpResponse:
    bulletins = list(selectors.bulletin_list_for(user=request.user)[:200])
    return render(
        request,
        "integrity/policies/bulletin_list.html",
        {"bulletins": bulletins, "can_write": request.user.has_perm(selectors.WRITE_BULLETIN)},
    )


@staff(selectors.ACKNOWLEDGE, object_scoped=True)
@require_GET
def bulletin_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    bulletin = selectors.bulletin_get_for(user=request.user, public_id=public_id)
    context = {
        "bulletin": bulletin,
        "receipt": selectors.bulletin_receipt_of(bulletin=bulletin, user=request.user),
        "can_write": request.user.has_perm(selectors.WRITE_BULLETIN),
        "can_publish": request.user.has_perm(selectors.PUBLISH_BULLETIN),
        "groups": list(bulletin.audience_groups.all()),
        "policies": list(bulletin.policies.all()),
    }
    if bulletin.bill is not None:
        context["bill_url"] = selectors.bill_link(
            bill=bulletin.bill,
            public=selectors.bill_has_public_page(bill=bulletin.bill),
            can_open_staff=request.user.has_perm(selectors.GOVREL_STAFF),
        )
    if request.user.has_perm("integrity.view_bulletinrecipient"):
        context["acknowledged"], context["waiting"] = selectors.bulletin_recipients(bulletin=bulletin)
    return render(request, "integrity/policies/bulletin_detail.html", context)


@staff(selectors.WRITE_BULLETIN)
@require_http_methods(["GET", "POST"])
def bulletin_form_view(request: HttpRequest, public_id=None) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, public_id=public_id) if public_id else Bulletin()
    if bulletin.pk and bulletin.status != DocumentStatus.DRAFT:
        raise PermissionDenied
    form = BulletinForm(request.POST or None, instance=bulletin)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.bulletin_save(
                bulletin=form.save(commit=False),
                actor=request.user,
                audience_groups=form.cleaned_data["audience_groups"],
                policies=form.cleaned_data["policies"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The bulletin was saved as a draft."))
            return redirect("integrity:bulletin_detail", public_id=saved.public_id)
    return render(request, "integrity/policies/bulletin_form.html", {"form": form, "bulletin": bulletin})


@staff(selectors.PUBLISH_BULLETIN)
@require_POST
def bulletin_publish_view(request: HttpRequest, public_id) -> HttpResponse:
    bulletin = get_object_or_404(Bulletin, public_id=public_id)
    try:
        services.bulletin_publish(bulletin=bulletin, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The bulletin was published and sent by e-mail."))
    return redirect("integrity:bulletin_detail", public_id=bulletin.public_id)


@staff(selectors.ACKNOWLEDGE)  # POST only; those it was not sent to get 404 (bulletin_get_for)
@require_POST
def bulletin_acknowledge_view(request: HttpRequest, public_id) -> HttpResponse:
    bulletin = selectors.bulletin_get_for(user=request.user, public_id=public_id)
    try:
        services.bulletin_acknowledge(bulletin=bulletin, person=request.user)
    except PermissionDenied:
        raise Http404 from None  # not sent to this person
    messages.success(request, _("Thank you: your acknowledgement was recorded."))
    return redirect("integrity:bulletin_detail", public_id=bulletin.public_id)


# --- Policies ------------------------------------------------------------------------------


@staff(selectors.ACKNOWLEDGE)
@require_GET
def policy_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "integrity/policies/policy_staff_list.html",
        {
            "policies": selectors.policy_staff_list(user=request.user),
            "can_write": request.user.has_perm(selectors.WRITE_POLICY),
        },
    )


@staff(selectors.WRITE_POLICY)
@require_http_methods(["GET", "POST"])
def policy_form_view(request: HttpRequest, slug=None) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug) if slug else Policy()
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.policy_save(policy=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The policy was saved."))
            return redirect("integrity:policy_detail", slug=saved.slug)
    return render(request, "integrity/policies/policy_form.html", {"form": form, "policy": policy})


@staff(selectors.ACKNOWLEDGE)
@require_GET
def policy_detail_view(request: HttpRequest, slug) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug)
    versions = selectors.policy_versions_for(policy=policy, user=request.user)
    if not versions:
        raise Http404
    current = selectors.policy_current_version(policy=policy)
    return render(
        request,
        "integrity/policies/policy_detail.html",
        {
            "policy": policy,
            "versions": versions,
            "current": current,
            "can_write": request.user.has_perm(selectors.WRITE_POLICY),
        },
    )


@staff(selectors.ACKNOWLEDGE)
@require_GET
def policy_version_view(request: HttpRequest, slug, number: int) -> HttpResponse:
    version = selectors.policy_version_get_for(user=request.user, slug=slug, number=number)
    acknowledged = version.acknowledgements.filter(person=request.user).first()
    context = {
        "policy": version.policy,
        "version": version,
        "current": selectors.policy_current_version(policy=version.policy),
        "acknowledgement": acknowledged,
        "can_write": request.user.has_perm(selectors.WRITE_POLICY),
        "can_publish": request.user.has_perm(selectors.PUBLISH_POLICY),
    }
    if version.status == DocumentStatus.PUBLISHED and request.user.has_perm("integrity.view_policyacknowledgement"):
        context["acks"], context["missing"] = selectors.policy_version_acknowledgements(version=version)
    return render(request, "integrity/policies/policy_version.html", context)


@staff(selectors.WRITE_POLICY)
@require_http_methods(["GET", "POST"])
def policy_version_form_view(request: HttpRequest, slug, number: int | None = None) -> HttpResponse:
    policy = get_object_or_404(Policy, slug=slug)
    if number is None:
        latest = policy.versions.order_by("-number").first()
        version = PolicyVersion(policy=policy, body=latest.body if latest else "")
    else:
        version = get_object_or_404(PolicyVersion, policy=policy, number=number)
        if version.status != DocumentStatus.DRAFT:
            raise PermissionDenied
    form = PolicyVersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.policy_version_save(version=form.save(commit=False), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The version was saved as a draft."))
            return redirect("integrity:policy_version", slug=policy.slug, number=saved.number)
    return render(
        request, "integrity/policies/policy_version_form.html", {"form": form, "policy": policy, "version": version}
    )


@staff(selectors.PUBLISH_POLICY)
@require_POST
def policy_version_publish_view(request: HttpRequest, slug, number: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, policy__slug=slug, number=number)
    try:
        services.policy_version_publish(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The version was published."))
    return redirect("integrity:policy_version", slug=slug, number=number)


@staff(selectors.ACKNOWLEDGE)
@require_POST
def policy_version_acknowledge_view(request: HttpRequest, slug, number: int) -> HttpResponse:
    version = selectors.policy_version_get_for(user=request.user, slug=slug, number=number)
    try:
        services.policy_version_acknowledge(version=version, person=request.user)
    except PermissionDenied:
        raise Http404 from None  # a draft
    messages.success(request, _("Thank you: your acknowledgement was recorded."))
    return redirect("integrity:policy_version", slug=slug, number=number)


@staff(selectors.ACKNOWLEDGE)
@require_GET
def policy_diff_view(request: HttpRequest, slug, old: int, new: int) -> HttpResponse:
    older = selectors.policy_version_get_for(user=request.user, slug=slug, number=old)
    newer = selectors.policy_version_get_for(user=request.user, slug=slug, number=new)
    return render(
        request,
        "integrity/policies/policy_diff.html",
        {
            "policy": newer.policy,
            "older": older,
            "newer": newer,
            "diff": selectors.version_diff_html(old=older.body, new=newer.body),
            "stats": selectors.version_diff_stats(old=older.body, new=newer.body),
        },
    )


# --- A person's acknowledgements -----------------------------------------------------------


@staff(selectors.ACKNOWLEDGE)
@require_GET
def my_acknowledgements_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "integrity/policies/policy_my_acknowledgements.html",
        selectors.acknowledgements_pending(user=request.user),
    )
