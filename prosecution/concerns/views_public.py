"""Residents' pages of the Community Prosecution Unit: report a concern, track it.

Every form works without JavaScript. The tracking pages are personal (the code is the
reporter's), so they are never cached, never indexed and never in the sitemap; the code shows
the status, while changes need the signed link of the resident's e-mail (resident_links). The
public pages call a concern by its public reference, never by its tracking code.
"""

from __future__ import annotations

import hashlib
import math
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core import geocoding
from jcr.core.abuse import MESSAGES as ABUSE_MESSAGES
from jcr.core.abuse import TIMESTAMP_FIELD, form_timestamp_age, rate_limit_check
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.context import current
from jcr.core.geo import map_context
from jcr.core.uploads import FORMATS
from prosecution.concerns import resident_links, selectors, services, services_follow
from prosecution.concerns.forms import (
    CategoryChooseForm,
    ConcernAddInfoForm,
    ConcernForm,
    ConcernNotFixedForm,
    TrackFindForm,
    tracking_code_normalize,
)
from prosecution.concerns.forms_follow import ConcernFollowForm


def _status_explanation(status: str) -> str:
    """What the resident reads next to each status on the tracking page."""
    explanations = {
        "received": _("We have your report. A community prosecutor will look at it soon."),
        "under_review": _("A community prosecutor is looking at your report and deciding what to do."),
        "referred": _(
            "We passed your report to the partner who can act on it (for example code enforcement or the police) "
            "and follow it with them."
        ),
        "in_progress": _("Work on the problem has started."),
        "resolved": _("We believe the problem is fixed. If it is not, tell us below."),
        "closed": _("This report is closed. If the problem is still there, tell us below."),
    }
    return explanations.get(status, "")


@public
@require_GET
def report_category_view(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the kind of concern (a GET form: the choice leads to that category's form)."""
    categories = selectors.category_list_active()
    form = CategoryChooseForm(request.GET if "category" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("prosecution:report_form", code=form.cleaned_data["category"].code)
    return render(request, "prosecution/concerns/report_category.html", {"form": form, "categories": categories})


def _concern_form(request: HttpRequest, category, *, data=None, files=None, initial=None) -> ConcernForm:
    return ConcernForm(
        data,
        files,
        category=category,
        questions=list(category.questions.all()),
        initial=initial or {"submission_key": uuid4(), "language": request.LANGUAGE_CODE},
    )


def _initial_from_post(form: ConcernForm, data) -> dict:
    """What the resident typed, as the initial values of a fresh (unbound, error-free) form:
    "Check for similar reports" shows the list without judging a half-filled form."""
    initial = {}
    for name, field in form.fields.items():
        if name in ("photos", "website"):
            continue
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    try:  # keep the time the form was first shown, unless the value is bad
        form_timestamp_age(scope=form.abuse_scope, value=data.get(TIMESTAMP_FIELD, ""))
    except Exception:
        initial.pop(TIMESTAMP_FIELD, None)
    if not initial.get("submission_key"):
        initial["submission_key"] = uuid4()
    return initial


@public
@require_http_methods(["GET", "POST"])
def report_form_view(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the concern. "Check for similar reports" (name="check") shows open concerns of
    the same category near the location given, without saving anything."""
    category = selectors.category_get_active(code=code)
    checked = False
    geocode_message = ""
    if request.method == "POST" and "check" in request.POST:
        posted = _concern_form(request, category, data=request.POST)
        location = posted.location()
        if location is None:  # checking is not rate-limited by the form: the look-up is
            location, geocode_message = _address_location(request.POST.get("address", ""), ip=current.get().ip or "")
        form = _concern_form(request, category, initial=_initial_from_post(posted, request.POST))
        checked = True
    elif request.method == "POST":
        form = _concern_form(request, category, data=request.POST, files=request.FILES)
        location = form.location()
        if form.is_valid():
            data = form.cleaned_data
            if data["latitude"] is None and data["address"].strip():
                # No pin: the typed address placed on the map when it can be (else staff do it).
                location, _message = _address_location(data["address"])
                if location is not None:
                    data["latitude"], data["longitude"] = location
            try:
                concern, _created = services.concern_submit(
                    category=category,
                    description=data["description"],
                    address=data["address"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    when_happens=data["when_happens"],
                    answers=form.answers(),
                    photos=data["photos"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    language=data["language"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("prosecution:report_done", tracking_code=concern.tracking_code)
        if request.FILES:
            # A browser cannot refill a file input: say so next to the photos.
            form.add_error("photos", _("Your photos were not kept because the form had a problem: choose them again."))
    else:
        form = _concern_form(request, category)
        location = None
    nearby = None
    if location is not None:
        nearby = selectors.concern_nearby_open(category=category, latitude=location[0], longitude=location[1])
    return render(
        request,
        "prosecution/concerns/report_form.html",
        {
            "category": category,
            "form": form,
            "map": map_context(),
            "nearby": nearby,
            "checked": checked,
            "has_location": location is not None,
            "geocode_message": geocode_message,
        },
    )


def _address_location(address: str, *, ip: str | None = None) -> tuple[tuple[float, float] | None, str]:
    """(latitude, longitude) of a typed address inside the county, or None and why."""
    found, message = geocoding.address_point(address, ip=ip)
    return ((found.latitude, found.longitude) if found else None), message


@public
@require_GET
@never_cache
def report_done_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    concern = selectors.concern_get_by_tracking_code(tracking_code=tracking_code)
    return render(request, "prosecution/concerns/report_done.html", {"concern": concern})


@public
@require_GET
def concern_track_find_view(request: HttpRequest) -> HttpResponse:
    """ "Find my report": a GET form taking the tracking code."""
    form = TrackFindForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if selectors.concern_tracking_code_exists(tracking_code=code):
            return redirect("prosecution:concern_track", tracking_code=code)
        form.add_error("code", _("No report has this tracking code. Check the code and try again."))
    return render(request, "prosecution/concerns/concern_track_find.html", {"form": form})


def _follow_context(concern) -> dict:
    """The "me too" button and the follow form (never on a sensitive concern)."""
    if not services_follow.concern_followable(concern):
        return {"follow_form": None}
    return {"follow_form": ConcernFollowForm(), "support_count": services_follow.concern_support_count(concern)}


def _track_page(
    request: HttpRequest,
    concern,
    *,
    add_info_form=None,
    not_fixed_form=None,
    tokens: dict[str, str] | None = None,
    status: int = 200,
):
    """The tracking page. Its forms appear only to whoever may use them: the holder of a valid
    link from the resident's e-mail (`tokens`: action -> token, posted back with the form) or
    the signed-in reporter; anyone else with the code sees the status and how to get a link."""
    tokens = tokens or {}
    owner = resident_links.concern_reported_by(user=request.user, concern=concern)
    may_add = owner or resident_links.ADD_INFO in tokens
    may_reopen = (owner or resident_links.NOT_FIXED in tokens) and not concern.is_open
    context = {
        "concern": concern,
        "updates": selectors.concern_public_updates(concern=concern),
        "photos": selectors.concern_public_photos(concern=concern),
        "areas": [] if concern.is_sensitive else list(concern.areas.all()),
        "status_explanation": _status_explanation(concern.status),
        "add_info_form": (add_info_form or ConcernAddInfoForm(prefix="info")) if may_add else None,
        "not_fixed_form": (not_fixed_form or ConcernNotFixedForm(prefix="notfixed")) if may_reopen else None,
        "tokens": tokens,
        "link_days": settings.JCR_CONCERN_LINK_DAYS,
        **_follow_context(concern),
    }
    response = render(request, "prosecution/concerns/concern_track.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    if tokens or request.GET.get("token"):
        # The address holds the resident's token: never send it to another site. "same-origin",
        # not "no-referrer": under no-referrer a browser posts the page's own forms with
        # "Origin: null", which the CSRF check refuses.
        response["Referrer-Policy"] = "same-origin"
    return response


@public
@require_GET
@never_cache
def concern_track_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    normalized = tracking_code_normalize(tracking_code)
    if normalized != tracking_code:
        return redirect("prosecution:concern_track", tracking_code=normalized)
    concern = selectors.concern_get_by_tracking_code(tracking_code=tracking_code)
    return _track_page(request, concern)


def _resident_action(request: HttpRequest, concern, action: str) -> tuple[str, HttpResponse | None]:
    """The token of this request (from the link, or posted back by the form) and, when it
    does not allow `action` on `concern`, the page to answer with instead (403)."""
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    if resident_links.concern_resident_may(request=request, concern=concern, action=action, token=token):
        return token, None
    messages.error(
        request,
        _(
            "This link does not work: it has expired or it is not for this report. Open the link in the latest "
            "e-mail we sent you about this report."
        ),
    )
    return "", _track_page(request, concern, status=403)


def _concern_rate_limited(concern, form) -> bool:
    """Count one change by the resident on `concern`; above JCR_RATE_LIMITS["concern_update_each"]
    (counted per concern, whoever sends it) add the form error and answer True."""
    retry_after = rate_limit_check(scope="concern_update_each", ip=None, email=f"concern:{concern.public_id}")
    if retry_after:
        form.add_error(None, ABUSE_MESSAGES["rate_limited"] % {"minutes": max(1, math.ceil(retry_after / 60))})
    return bool(retry_after)


@public
@require_http_methods(["GET", "POST"])
@never_cache
def concern_add_info_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The link "add information" of the resident's e-mails (GET) and its form (POST)."""
    action = resident_links.ADD_INFO
    concern = selectors.concern_get_by_tracking_code(tracking_code=tracking_code)
    token, refused = _resident_action(request, concern, action)
    if refused is not None:
        return refused
    tokens = {action: token} if token else {}
    if request.method == "GET":
        return _track_page(request, concern, tokens=tokens)
    form = ConcernAddInfoForm(request.POST, request.FILES, prefix="info")
    status = 200
    if form.is_valid():
        if _concern_rate_limited(concern, form):
            status = 429
        else:
            try:
                services.concern_add_info(
                    concern=concern,
                    text=form.cleaned_data["text"],
                    photos=form.cleaned_data["photos"],
                    actor=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you. We added your information to the report."))
                return redirect("prosecution:concern_track", tracking_code=concern.tracking_code)
    return _track_page(request, concern, add_info_form=form, tokens=tokens, status=status)


@public
@require_http_methods(["GET", "POST"])
@never_cache
def concern_not_fixed_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The link "it is not fixed" of the resident's e-mails (GET) and its form (POST)."""
    action = resident_links.NOT_FIXED
    concern = selectors.concern_get_by_tracking_code(tracking_code=tracking_code)
    token, refused = _resident_action(request, concern, action)
    if refused is not None:
        return refused
    tokens = {action: token} if token else {}
    if request.method == "GET":
        return _track_page(request, concern, tokens=tokens)
    form = ConcernNotFixedForm(request.POST, prefix="notfixed")
    status = 200
    if form.is_valid():
        if _concern_rate_limited(concern, form):
            status = 429
        else:
            try:
                services.concern_not_fixed(
                    concern=concern,
                    text=form.cleaned_data["text"],
                    actor=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you. We reopened your report and told the community prosecutor."))
                return redirect("prosecution:concern_track", tracking_code=concern.tracking_code)
    return _track_page(request, concern, not_fixed_form=form, tokens=tokens, status=status)


@public
@require_POST
@never_cache
def concern_links_send_view(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """ "E-mail me the links": fresh signed links go to the reporter's own address (never to
    the person asking, who may not be the reporter). Limited per concern and per client."""
    concern = selectors.concern_get_by_tracking_code(tracking_code=tracking_code)
    retry_after = rate_limit_check(scope="concern_links", ip=current.get().ip, email=f"concern:{concern.public_id}")
    if retry_after:
        messages.error(request, ABUSE_MESSAGES["rate_limited"] % {"minutes": max(1, math.ceil(retry_after / 60))})
    elif services.concern_links_send(concern=concern):
        messages.success(request, _("We sent the links to the e-mail address given with this report."))
    else:
        messages.error(request, _("This report has no e-mail address, so we cannot send links."))
    return redirect("prosecution:concern_track", tracking_code=concern.tracking_code)


@public
@require_GET
@cache_public_page
def concern_public_view(request: HttpRequest, public_ref: str) -> HttpResponse:
    """A concern as the public may see it (linked from the area pages and the "is it one of
    these?" list): kind, areas, status, public updates and photos, and its text once staff
    published it. Nothing here changes the concern; sensitive concerns answer 404."""
    concern = selectors.concern_get_public(public_ref=public_ref)
    context = {
        "concern": concern,
        "updates": selectors.concern_public_updates(concern=concern),
        "photos": selectors.concern_public_photos(concern=concern),
        "areas": list(concern.areas.all()),
        **_follow_context(concern),
    }
    response = render(request, "prosecution/concerns/concern_public.html", context)
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=settings.JCR_PUBLIC_CACHE_SECONDS)
    return response


def _photo_response(request: HttpRequest, public_id, *, thumbnail: bool) -> HttpResponse:
    """Serve the public version of a photo through Django storage (local media or object
    storage alike); the stored name never appears in the response. A photo that becomes
    hidden or redacted gets a new address, so what a cache kept under the old one is not
    refreshed with it."""
    photo = selectors.photo_get_public(public_id=public_id)
    name = selectors.photo_public_file(photo, thumbnail=thumbnail)
    extension = name.rsplit(".", 1)[-1].lower()
    content_types = {ext: content_type for ext, content_type, _opts in FORMATS.values()}
    if extension not in content_types:
        raise Http404
    # Of the file served (a thumbnail replaces the full photo once it is made), not its name.
    etag = '"' + hashlib.sha256(f"{photo.public_id}:{name}".encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        # Read whole (photos are at most JCR_UPLOAD_MAX_BYTES, thumbnails a few kB): a plain
        # response, so the page cache, the privacy checks and middleware can read its body.
        try:
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = HttpResponse(body, content_type=content_types[extension])
        response["Content-Disposition"] = "inline"
    response["ETag"] = etag
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, public=True, max_age=settings.JCR_PUBLIC_CACHE_SECONDS)
    return response


@public
@require_GET
def photo_public_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A photo of a concern as the public may see it (redacted if it was redacted): 404 for
    a hidden photo or a photo of a sensitive concern."""
    return _photo_response(request, public_id, thumbnail=False)


@public
@require_GET
def photo_public_thumbnail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The small version of the same photo (the full one until its thumbnail is made)."""
    return _photo_response(request, public_id, thumbnail=True)
