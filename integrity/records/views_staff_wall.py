"""Staff pages of the conflict wall of a wrongful-conviction claim (the rules:
integrity/records/services_wall.py). Every view is a POST declared with `jti_staff_required`:
404 for staff outside JTI and for a person walled off the claim, a recent sign-in, and every
refusal logged. A change the rules forbid (walling oneself off, a JTI Staff member walling off
someone who is not a JTI Chief, the proposer confirming their own proposal) answers 403 and is
logged as refused; nothing changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.records import services_wall
from integrity.records.access import DENIED_PERMISSION, jti_staff_required, record_get, require_recent_sign_in
from integrity.records.forms import ClaimWallAddForm, ClaimWallRemoveForm
from integrity.records.models import Claim, ClaimWallChange
from integrity.records.views_staff import error_show


def _claim_for_change(request: HttpRequest, public_id) -> Claim:
    """The claim (404 for a walled-off person, before anything else); a sign-in that is too
    old sends the person to re-authenticate and come back to the claim."""
    claim = record_get(request, Claim.objects, public_id=public_id, log=None)
    require_recent_sign_in(request, next_url=reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id}))
    return claim


def _refused(request: HttpRequest, exc: PermissionDenied):
    """A change the rules forbid: logged as refused by the gate, answered with 403."""
    request.jti_denied = DENIED_PERMISSION
    raise exc


def _back(claim: Claim) -> HttpResponse:
    return redirect("integrity:claim_detail", public_id=claim.public_id)


@jti_staff_required()
@require_POST
def claim_wall_add_view(request: HttpRequest, public_id) -> HttpResponse:
    """Wall a person off the claim: done at once by a JTI Chief for anyone else; proposed, to
    be confirmed by a second JTI member, when the person is a JTI Chief."""
    claim = _claim_for_change(request, public_id)
    form = ClaimWallAddForm(request.POST, claim=claim)
    if not form.is_valid():
        messages.error(request, _("Choose the person who worked the original case."))
        return _back(claim)
    person, note = form.cleaned_data["user"], form.cleaned_data["note"]
    try:
        if services_wall.person_manages_walls(person):
            services_wall.claim_wall_change_propose(
                claim=claim, person=person, lift=False, actor=request.user, reason=note
            )
            messages.success(
                request, _("Proposed: a second JTI member must confirm walling off %(person)s.") % {"person": person}
            )
        else:
            services_wall.claim_wall_add(claim=claim, users=[person], actor=request.user, note=note)
            messages.success(request, _("%(person)s can no longer see this claim.") % {"person": person})
    except PermissionDenied as exc:
        _refused(request, exc)
    except ValidationError as exc:
        error_show(request, exc)
    return _back(claim)


@jti_staff_required()
@require_POST
def claim_wall_remove_view(request: HttpRequest, public_id) -> HttpResponse:
    """Lift the wall for one person, with a stated reason: at once by a JTI Chief for anyone
    else; proposed, to be confirmed by a second JTI member, when the person is a JTI Chief."""
    claim = _claim_for_change(request, public_id)
    form = ClaimWallRemoveForm(request.POST)
    person = None
    if form.is_valid():
        person = claim.conflicted_users.filter(public_id=form.cleaned_data["user"]).first()
    if person is None:
        messages.error(request, _("Give the reason for lifting the wall (at least five characters)."))
        return _back(claim)
    reason = form.cleaned_data["reason"]
    try:
        if services_wall.person_manages_walls(person):
            services_wall.claim_wall_change_propose(
                claim=claim, person=person, lift=True, actor=request.user, reason=reason
            )
            messages.success(
                request,
                _("Proposed: a second JTI member must confirm lifting the wall for %(person)s.") % {"person": person},
            )
        else:
            services_wall.claim_wall_remove(claim=claim, user=person, actor=request.user, reason=reason)
            messages.success(request, _("The wall was lifted for %(person)s.") % {"person": person})
    except PermissionDenied as exc:
        _refused(request, exc)
    except ValidationError as exc:
        error_show(request, exc)
    return _back(claim)


def _change_get(claim: Claim, change_id) -> ClaimWallChange:
    change = ClaimWallChange.objects.filter(claim=claim, public_id=change_id).first()
    if change is None:
        raise Http404
    return change


@jti_staff_required()
@require_POST
def claim_wall_confirm_view(request: HttpRequest, public_id, change_id) -> HttpResponse:
    """Confirm a proposed change to a JTI Chief's wall (a second JTI member, not the walled person)."""
    claim = _claim_for_change(request, public_id)
    try:
        change = services_wall.claim_wall_change_confirm(change=_change_get(claim, change_id), actor=request.user)
    except PermissionDenied as exc:
        _refused(request, exc)
    except ValidationError as exc:
        error_show(request, exc)
    else:
        messages.success(
            request,
            (_("The wall was lifted for %(person)s.") if change.lift else _("%(person)s can no longer see this claim."))
            % {"person": change.person},
        )
    return _back(claim)


@jti_staff_required()
@require_POST
def claim_wall_reject_view(request: HttpRequest, public_id, change_id) -> HttpResponse:
    """Reject (or withdraw) a proposed change to a JTI Chief's wall; the walled person cannot."""
    claim = _claim_for_change(request, public_id)
    try:
        services_wall.claim_wall_change_reject(change=_change_get(claim, change_id), actor=request.user)
    except PermissionDenied as exc:
        _refused(request, exc)
    except ValidationError as exc:
        error_show(request, exc)
    else:
        messages.success(request, _("The proposed change was rejected; the wall is as it was."))
    return _back(claim)
