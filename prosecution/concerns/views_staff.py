"""Staff pages of neighborhood concerns: the landing page, the triage queue, a concern's page
and its actions (each action its own POST-only view that calls one service)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jcr.core import geocoding
from jcr.core.access import staff
from jcr.core.geo import map_context
from jcr.core.models import Area
from jcr.core.uploads import FORMATS
from prosecution.concerns import selectors, service_levels, services_desk, services_record, triage
from prosecution.concerns.forms_record import (
    PhotoChoiceForm,
    PhotoRedactForm,
    PhotoVisibilityForm,
    PublicTextForm,
    RecategorizeForm,
    RelocateForm,
)
from prosecution.concerns.forms_staff import AssignForm, MergeForm, NoteForm, PriorityForm, StatusForm
from prosecution.concerns.models import Concern, ConcernPhoto
from prosecution.concerns.permissions import concern_get_for_staff, concern_list_visible_to

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
        "prosecution/concerns/staff_landing.html",
        {
            "counts": counts,
            "my_areas": my_areas,
            "links": {
                "mine": _queue_url(assignee="mine"),
                "unassigned": _queue_url(assignee="unassigned"),
                "unplaced": _queue_url(area="none"),
                "overdue": _queue_url(overdue="on"),
                "text_review": _queue_url(text_review="on", status="all"),
                "all": _queue_url(),
            },
        },
    )


def _answers(concern: Concern) -> list[dict]:
    """The answers to the category's questions, labelled, in the questions' order."""
    shown = []
    if not concern.answers or not isinstance(concern.answers, dict):
        return shown  # no query for the questions (nor for answers stored in another shape)
    for question in concern.category.questions.all():
        if question.code not in concern.answers:
            continue
        value = concern.answers[question.code]
        options = dict(question.option_choices())
        values = value if isinstance(value, list) else [value]
        shown.append({"label": question.label, "value": ", ".join(str(options.get(str(v), v)) for v in values)})
    return shown


# The parts of the concern page that other features add: partners (the referral form) and
# projects (the "add to a project" link). They import concerns, so concerns cannot import them:
# each registers its part here with @concern_page_part when its views module is imported (the
# unit's urls.py imports every feature's views).
CONCERN_PAGE_PARTS: list[Callable[..., dict]] = []


def concern_page_part(part: Callable[..., dict]) -> Callable[..., dict]:
    """Register `part(*, user, concern, areas, forms, can_edit) -> dict` for the concern page."""
    CONCERN_PAGE_PARTS.append(part)
    return part


# The tabs of the concern page's action panel, and which tab shows a refused form again.
ACTIONS = ("status", "assign", "priority", "note", "refer", "merge", "photos", "record")
ACTION_OF_FORM = {"redact": "photos", "public_text": "record", "recategorize": "record", "relocate": "record"}


def _action(request: HttpRequest, forms: dict, action: str = "") -> str:
    """The open tab: the one of a refused form (or `action`), else ?action= (links that work
    without JavaScript), else the status change."""
    for key in forms:
        return ACTION_OF_FORM.get(key, key)
    chosen = action or request.GET.get("action", "")
    return chosen if chosen in ACTIONS else ACTIONS[0]


def concern_page(
    request: HttpRequest, concern: Concern, *, forms: dict | None = None, status: int = 200, action: str = ""
) -> HttpResponse:
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
        "timeline": selectors.concern_staff_timeline(concern=concern, photos=photos),
        "action": _action(request, forms, action),
        "can_edit": can_edit,
        "overdue_since": service_levels.overdue_since(concern),
        "duplicate_of": concern.duplicate_of if concern.duplicate_of_id else None,
        # A merged concern never has duplicates of its own (merging moves them on); the page's
        # fetch says whether there are any, so most pages skip this query.
        "duplicates": list(concern.duplicates.select_related("category").order_by("created_at", "pk"))
        if getattr(concern, "has_duplicates", True) and not concern.duplicate_of_id
        else [],
    }
    if can_edit:
        people = list(triage.assignable_staff(concern=concern))
        current = str(concern.assignee.public_id) if concern.assignee else ""
        templates = services_desk.response_templates_for(concern=concern)
        context |= {
            "status_form": forms.get("status") or StatusForm(initial={"status": concern.status}, templates=templates),
            "response_templates": [{"template": t, "text": t.text_in(concern.language)} for t in templates],
            "merge_form": forms.get("merge") or MergeForm(),
            "note_form": forms.get("note") or NoteForm(),
            "assign_form": forms.get("assign") or AssignForm(initial={"assignee": current}, people=people),
            "priority_form": forms.get("priority") or PriorityForm(initial={"priority": concern.priority}),
            "assigned_to_me": concern.assignee_id == user.pk,
        }
    context |= _record_context(concern, photos, forms, can_edit=can_edit)
    # Partners, referrals, projects and follow-ups: see the include concern_referral.html
    for part in CONCERN_PAGE_PARTS:
        context |= part(user=user, concern=concern, areas=context["areas"], forms=forms, can_edit=can_edit)
    return render(request, "prosecution/concerns/staff_concern_detail.html", context, status=status)


@staff(VIEW, object_scoped=True)
@require_GET
def staff_concern_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, page=True)
    return concern_page(request, concern)


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
    form = StatusForm(request.POST, templates=services_desk.response_templates_for(concern=concern))
    if form.is_valid():
        try:
            concern = services_desk.concern_set_status(
                concern=concern,
                status=form.cleaned_data["status"],
                actor=request.user,
                public_text=form.cleaned_data["public_text"],
                close_reason=form.cleaned_data["close_reason"],
                close_detail=form.cleaned_data["close_detail"],
                template=form.chosen_template(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _("Status changed to %(status)s.") % {"status": concern.get_status_display()}
            return _back(request, concern, message)
    return concern_page(request, concern, forms={"status": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_note_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services_desk.concern_add_note(concern=concern, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            return _back(request, concern, _("Internal note added."))
    return concern_page(request, concern, forms={"note": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_assign_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    if request.POST.get("me"):
        concern = services_desk.concern_assign(concern=concern, assignee=request.user, actor=request.user)
        return _back(request, concern, _("The concern is assigned to you."))
    form = AssignForm(request.POST, people=list(triage.assignable_staff(concern=concern)))
    if form.is_valid():
        assignee = form.chosen()
        concern = services_desk.concern_assign(concern=concern, assignee=assignee, actor=request.user)
        if assignee is None:
            message = _("The concern is now unassigned.")
        else:
            message = _("The concern is assigned to %(name)s.") % {"name": assignee.full_name or assignee.email}
        return _back(request, concern, message)
    return concern_page(request, concern, forms={"assign": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_priority_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PriorityForm(request.POST)
    if form.is_valid():
        concern = services_desk.concern_set_priority(
            concern=concern, priority=form.cleaned_data["priority"], actor=request.user
        )
        message = _("Priority set to %(priority)s.") % {"priority": concern.get_priority_display()}
        return _back(request, concern, message)
    return concern_page(request, concern, forms={"priority": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_merge_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            original = services_desk.concern_merge(
                duplicate=concern,
                original_code=form.cleaned_data["original_code"],
                actor=request.user,
                detail=form.cleaned_data["detail"],
            )
        except ValidationError as exc:
            form.add_error("original_code", exc)
        else:
            message = _("Concern %(code)s is closed as a duplicate of %(original)s.") % {
                "code": concern.tracking_code,
                "original": original.tracking_code,
            }
            messages.success(request, message)
            return redirect("prosecution:staff_concern_detail", public_id=original.public_id)
    return concern_page(request, concern, forms={"merge": form}, status=400)


def _recategorize_form(concern: Concern) -> RecategorizeForm:
    """The empty category form, its choices from the cached list of active categories (the
    concern page is at its query budget; a POST still validates against the database)."""
    form = RecategorizeForm(initial={"category": concern.category.code})
    form.fields["category"].choices = selectors.category_active_choices()
    return form


# --- Correcting the record: photos (hide, redact), public text, category, location --------------


def _record_context(concern: Concern, photos: list[dict], forms: dict, *, can_edit: bool) -> dict:
    """The photos' addresses for staff and, for those who may change the concern, the forms of
    "correcting the record" (a redaction form per photo, in `photos`)."""
    posted = forms.get("redact")
    for item in photos:
        photo = item["photo"]
        # Through the staff photo view: storage paths stay off the page and DEBUG off works.
        item["url"] = _staff_photo_url(concern, photo, "thumbnail")
        item["full_url"] = _staff_photo_url(concern, photo, "original")
        item["public_url"] = _staff_photo_url(concern, photo, "public_thumbnail") if photo.redactions else ""
        if not can_edit:
            continue
        if posted is not None and posted.data.get("photo") == str(photo.public_id):
            item["redact_form"] = posted
        else:
            item["redact_form"] = PhotoRedactForm(
                initial={"photo": photo.public_id}, auto_id=f"id_redact_{str(photo.public_id)[:8]}_%s"
            )
    if not can_edit:
        return {}
    location = {"address": concern.address, "latitude": concern.latitude, "longitude": concern.longitude}
    return {
        "public_text_form": forms.get("public_text")
        or PublicTextForm(initial={"public_text": concern.public_text_draft}),
        "recategorize_form": forms.get("recategorize") or _recategorize_form(concern),
        "relocate_form": forms.get("relocate") or RelocateForm(initial=location),
        "relocate_map": map_context(),
    }


def _photo_of(concern: Concern, photo_public_id) -> ConcernPhoto | None:
    return concern.photos.filter(public_id=photo_public_id).first()


def _photo_changed(request: HttpRequest, concern: Concern) -> HttpResponse:
    messages.error(request, _("This photo changed since the page was shown. Look at it again and retry."))
    return concern_page(request, concern, status=409, action="photos")


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_photo_visibility_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PhotoVisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to hide or show."))
        return concern_page(request, concern, status=400, action="photos")
    photo = _photo_of(concern, form.cleaned_data["photo"])
    if photo is None:
        return _photo_changed(request, concern)
    hidden = form.cleaned_data["hidden"]
    services_record.concern_photo_set_hidden(photo=photo, hidden=hidden, actor=request.user)
    if hidden:
        return _back(request, concern, _("The photo is hidden from the public."))
    return _back(request, concern, _("The photo is shown to the public again."))


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_photo_redact_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PhotoRedactForm(request.POST, auto_id=f"id_redact_{request.POST.get('photo', '')[:8]}_%s")
    if form.is_valid():
        photo = _photo_of(concern, form.cleaned_data["photo"])
        if photo is None:
            return _photo_changed(request, concern)
        try:
            services_record.concern_photo_redact(photo=photo, region=form.region(), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _back(request, concern, _("The photo is redacted: the public sees only the blurred version."))
    return concern_page(request, concern, forms={"redact": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_photo_unredact_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PhotoChoiceForm(request.POST)
    photo = _photo_of(concern, form.cleaned_data["photo"]) if form.is_valid() else None
    if photo is None:
        return _photo_changed(request, concern)
    try:
        services_record.concern_photo_unredact(photo=photo, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return concern_page(request, concern, status=400, action="photos")
    return _back(request, concern, _("The redaction is removed: the public sees the photo as it was sent."))


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_public_text_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = PublicTextForm(request.POST)
    if form.is_valid():
        try:
            concern = services_record.concern_set_public_text(
                concern=concern,
                text=form.cleaned_data["public_text"],
                actor=request.user,
                # The form's two buttons; a form sent without either publishes.
                publish=request.POST.get("decision") != "withhold",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if concern.public_text_state == Concern.TextState.WITHHELD:
                return _back(request, concern, _("The text is not published: public pages show no text for it."))
            if concern.public_description:
                return _back(
                    request, concern, _("The public text is published. The resident's own words stay for staff.")
                )
            return _back(request, concern, _("What the resident wrote is published."))
    return concern_page(request, concern, forms={"public_text": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_recategorize_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = RecategorizeForm(request.POST)
    if form.is_valid():
        try:
            concern = services_record.concern_recategorize(
                concern=concern,
                category=form.cleaned_data["category"],
                actor=request.user,
                public_text=form.cleaned_data["public_text"],
            )
        except ValidationError as exc:
            form.add_error("category", exc)
        else:
            message = _("The category is now %(category)s.") % {"category": concern.category.label}
            if concern.is_sensitive:
                message += " " + _("It is a sensitive category: the concern is no longer on any public page.")
            return _back(request, concern, message)
    return concern_page(request, concern, forms={"recategorize": form}, status=400)


@staff(VIEW, object_scoped=True)
@_concern_action
def staff_concern_relocate_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = concern_get_for_staff(user=request.user, public_id=public_id, for_edit=True)
    form = RelocateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["latitude"] is None:  # no pin: the address typed, placed when it can be
            found, unplaced = geocoding.address_point(data["address"])
            if found is not None:
                data["latitude"], data["longitude"] = found.latitude, found.longitude
            elif unplaced:
                messages.warning(request, unplaced)
        try:
            concern, rerouted = services_record.concern_relocate(
                concern=concern,
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _("The location is corrected.")
            if rerouted and concern.assignee is not None:
                person = concern.assignee.full_name or concern.assignee.email
                message += " " + _("It was routed again: it is now assigned to %(name)s.") % {"name": person}
            elif rerouted:
                message += " " + _(
                    "It was routed again: no community prosecutor covers the new place, so it is in the "
                    "supervisors' queue."
                )
            return _back(request, concern, message)
    return concern_page(request, concern, forms={"relocate": form}, status=400)


STAFF_PHOTO_VERSIONS = ("original", "thumbnail", "public", "public_thumbnail")


def _staff_photo_url(concern: Concern, photo: ConcernPhoto, version: str) -> str:
    query = urlencode({"photo": photo.public_id, "version": version})
    return reverse("prosecution:staff_concern_photo", kwargs={"public_id": concern.public_id}) + "?" + query


@staff(VIEW, object_scoped=True)
@require_GET
def staff_concern_photo_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A photo of a concern for staff who may see the concern: as it was sent ("original",
    "thumbnail") or as the public gets it ("public", "public_thumbnail"). Served from storage
    by Django, so it works with any storage and with DEBUG off. 404 outside the user's scope."""
    concern = concern_get_for_staff(user=request.user, public_id=public_id)
    form = PhotoChoiceForm(request.GET)
    version = request.GET.get("version", "original")
    photo = _photo_of(concern, form.cleaned_data["photo"]) if form.is_valid() else None
    if photo is None or version not in STAFF_PHOTO_VERSIONS:
        raise Http404
    if version.startswith("public"):
        name = selectors.photo_public_file(photo, thumbnail=version == "public_thumbnail")
    else:
        name = (photo.thumbnail if version == "thumbnail" else "") or photo.image
    content_types = {ext: content_type for ext, content_type, _opts in FORMATS.values()}
    content_type = content_types.get(name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    try:
        with default_storage.open(name, "rb") as handle:
            body = handle.read()
    except OSError:  # FileNotFoundError included
        raise Http404 from None
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = "inline"
    return response
