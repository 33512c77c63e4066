"""Staff pages of positions: the sign-off (approve or return), making a letter from the
template, a letter's page and its date sent. One POST-only view per action, each calling one
service. Proposing a position is on the bill's analysis tab (govrelations.bills)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govrelations.positions import selectors, services
from govrelations.positions.forms import DecisionForm, LetterForm, LetterSentForm, SpanishReasonsForm
from govrelations.positions.models import Position
from jcr.core.access import staff

VIEW = "accounts.access_govrelations"  # the unit and the bureau chief; not administrators


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _decide(request: HttpRequest, public_id, *, approve: bool) -> HttpResponse:
    position = selectors.position_get_for_staff(public_id=public_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "") if hasattr(form, "cleaned_data") else ""
    try:
        if approve:
            services.position_approve(position=position, actor=request.user, comment=comment)
        else:
            services.position_return(position=position, actor=request.user, comment=comment)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("Position approved for the District Attorney.") if approve else _("Position returned.")
        )
    return redirect("govrelations:staff_bill_analysis", public_id=position.bill.public_id)


@staff("govrelations.approve_position")
@require_POST
def staff_position_approve_view(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, approve=True)


@staff("govrelations.approve_position")
@require_POST
def staff_position_return_view(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(request, public_id, approve=False)


@staff("govrelations.add_position")
@require_POST
def staff_position_spanish_view(request: HttpRequest, public_id) -> HttpResponse:
    """The Spanish of the reasons, written or corrected after the proposal (a translation)."""
    position = selectors.position_get_for_staff(public_id=public_id)
    form = SpanishReasonsForm(request.POST)
    if form.is_valid():
        try:
            services.position_spanish_set(position=position, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Spanish reasons saved."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_analysis", public_id=position.bill.public_id)


@staff("govrelations.add_positionletter")
@require_POST
def staff_letter_create_view(request: HttpRequest, public_id) -> HttpResponse:
    position = selectors.position_get_for_staff(public_id=public_id)
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            letter = services.position_letter_create(position=position, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Letter made from the template. Print it from this page."))
            return redirect("govrelations:staff_letter_detail", public_id=letter.public_id)
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_bill_analysis", public_id=position.bill.public_id)


@staff(VIEW)
@require_GET
def staff_letter_detail_view(request: HttpRequest, public_id) -> HttpResponse:
    letter = selectors.letter_get_for_staff(public_id=public_id)
    return render(
        request,
        "govrelations/positions/staff_letter_detail.html",
        {
            "letter": letter,
            "bill": letter.position.bill,
            "sent_form": LetterSentForm(initial={"sent_on": letter.sent_on}),
            "can_edit": request.user.has_perm("govrelations.change_positionletter"),
            "is_public": letter.position.status == Position.Status.APPROVED,
        },
    )


@staff("govrelations.change_positionletter")
@require_POST
def staff_letter_sent_view(request: HttpRequest, public_id) -> HttpResponse:
    letter = selectors.letter_get_for_staff(public_id=public_id)
    form = LetterSentForm(request.POST)
    if form.is_valid():
        services.position_letter_mark_sent(letter=letter, actor=request.user, sent_on=form.cleaned_data["sent_on"])
        messages.success(request, _("Date sent recorded."))
    else:
        _form_errors(request, form)
    return redirect("govrelations:staff_letter_detail", public_id=letter.public_id)
