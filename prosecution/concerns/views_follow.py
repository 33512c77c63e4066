"""Residents' pages to keep up with concerns they did not report: follow a concern (double
opt-in, one-click unfollow), "me too", and alerts of new concerns in a police district.

Sensitive concerns answer 404 everywhere here (selectors.concern_get_public). Confirmation
and unsubscribe pages are personal (their address holds a secret): never cached or indexed.
A GET never changes anything, so a mail scanner that opens links subscribes or unsubscribes
nobody."""

from __future__ import annotations

import math

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.abuse import MESSAGES as ABUSE_MESSAGES
from jcr.core.abuse import rate_limit_check
from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.context import current
from prosecution.concerns import selectors, services_follow
from prosecution.concerns.feeds import AreaConcernsFeed
from prosecution.concerns.forms_follow import AreaAlertForm, ConcernFollowForm

TEMPLATES = "prosecution/concerns/follow/"


def _personal(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    # "same-origin", not "no-referrer": the secret in the address still never leaves the site,
    # and the page's own POST keeps its Origin header (with no-referrer the browser sends
    # "Origin: null", which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


# --- Follow a concern ----------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
@never_cache
def concern_follow_view(request: HttpRequest, public_ref: str) -> HttpResponse:
    """The follow form (it is also on the concern's pages); POST sends the confirmation e-mail."""
    concern = selectors.concern_get_public(public_ref=public_ref)
    verified = _verified_email(request)
    form = ConcernFollowForm(request.POST if request.method == "POST" else None, initial={"email": verified})
    status = 200
    if form.is_bound:
        if form.is_valid():
            email = form.cleaned_data["email"]
            # A signed-in person's own verified address needs no confirmation e-mail.
            own = verified is not None and email.strip().lower() == verified
            try:
                follow = services_follow.concern_follow_request(
                    concern=concern,
                    email=email,
                    language=request.LANGUAGE_CODE,
                    verified_by=request.user if own else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if own:
                    return render(request, TEMPLATES + "follow_confirmed.html", {"follow": follow})
                return render(request, TEMPLATES + "follow_sent.html", {"concern": concern})
        status = 429 if any(e.code == "rate_limited" for e in form.errors.as_data().get("__all__", [])) else 400
    return render(request, TEMPLATES + "follow_form.html", {"concern": concern, "form": form}, status=status)


@public
@require_http_methods(["GET", "POST"])
@never_cache
def concern_follow_confirm_view(request: HttpRequest, key: str) -> HttpResponse:
    """GET shows a button, POST confirms."""
    if request.method == "POST":
        try:
            follow = services_follow.concern_follow_confirm(key=key)
        except ValidationError:
            return _personal(render(request, TEMPLATES + "link_invalid.html", status=404))
        return _personal(render(request, TEMPLATES + "follow_confirmed.html", {"follow": follow}))
    return _personal(render(request, TEMPLATES + "confirm.html", {"kind": "follow", "key": key}))


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def concern_unfollow_view(request: HttpRequest, token: str) -> HttpResponse:
    """The unfollow link of every update e-mail: one button, no account. No CSRF token: the
    secret token in the link is the authorisation, and mail programs POST here without a
    session (List-Unsubscribe-Post, RFC 8058)."""
    if request.method == "POST":
        follow = services_follow.concern_unfollow(token=token)
        if follow is None:
            return _personal(render(request, TEMPLATES + "link_invalid.html", status=404))
        return _personal(render(request, TEMPLATES + "unsubscribed.html", {"kind": "follow", "item": follow}))
    return _personal(render(request, TEMPLATES + "unsubscribe.html", {"kind": "follow", "token": token}))


# --- "Me too" ------------------------------------------------------------------------------------


def _verified_email(request: HttpRequest) -> str | None:
    """The signed-in person's verified address (the primary one first), lower case, or None."""
    if not request.user.is_authenticated:
        return None
    address = EmailAddress.objects.filter(user=request.user, verified=True).order_by("-primary", "pk").first()
    return address.email.lower() if address is not None else None


def _voter(request: HttpRequest) -> str:
    """Who says "me too": a signed-in person's verified address, else this browser's session
    (made now when there is none). Stored only as a keyed hash."""
    verified = _verified_email(request)
    if verified is not None:
        return services_follow.support_voter_key(f"email:{verified}")
    if request.session.session_key is None:
        request.session["me_too"] = True
        request.session.save()
    return services_follow.support_voter_key(f"session:{request.session.session_key}")


@public
@require_POST
@never_cache
def concern_me_too_view(request: HttpRequest, public_ref: str) -> HttpResponse:
    """ "This affects me too": counted once per verified address or browser, limited per
    client. Not a new report."""
    concern = selectors.concern_get_public(public_ref=public_ref)
    retry_after = rate_limit_check(scope="concern_me_too", ip=current.get().ip, email=None)
    if retry_after:
        error = ABUSE_MESSAGES["rate_limited"] % {"minutes": max(1, math.ceil(retry_after / 60))}
        context = {"concern": concern, "error": error, "count": services_follow.concern_support_count(concern)}
        return render(request, TEMPLATES + "me_too.html", context, status=429)
    count, created = services_follow.concern_support_add(concern=concern, voter=_voter(request))
    return render(request, TEMPLATES + "me_too.html", {"concern": concern, "count": count, "created": created})


# --- Area alerts ---------------------------------------------------------------------------------


def _alert_area(slug: str):
    area = services_follow.alert_area_get(slug=slug)
    if area is None:
        raise Http404
    return area


@public
@require_http_methods(["GET", "POST"])
@never_cache
def area_alert_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Subscribe to the daily e-mail of new concerns in a police district (and its RSS feed)."""
    area = _alert_area(slug)
    form = AreaAlertForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services_follow.area_alert_request(
                    area=area, email=form.cleaned_data["email"], language=request.LANGUAGE_CODE
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return render(request, TEMPLATES + "alert_sent.html", {"area": area})
        status = 429 if any(e.code == "rate_limited" for e in form.errors.as_data().get("__all__", [])) else 400
    return render(request, TEMPLATES + "alert_form.html", {"area": area, "form": form}, status=status)


@public
@require_http_methods(["GET", "POST"])
@never_cache
def area_alert_confirm_view(request: HttpRequest, key: str) -> HttpResponse:
    if request.method == "POST":
        try:
            alert = services_follow.area_alert_confirm(key=key)
        except ValidationError:
            return _personal(render(request, TEMPLATES + "link_invalid.html", status=404))
        return _personal(render(request, TEMPLATES + "alert_confirmed.html", {"alert": alert}))
    return _personal(render(request, TEMPLATES + "confirm.html", {"kind": "alert", "key": key}))


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def area_alert_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every digest (see concern_unfollow_view)."""
    if request.method == "POST":
        alert = services_follow.area_alert_unsubscribe(token=token)
        if alert is None:
            return _personal(render(request, TEMPLATES + "link_invalid.html", status=404))
        return _personal(render(request, TEMPLATES + "unsubscribed.html", {"kind": "alert", "item": alert}))
    return _personal(render(request, TEMPLATES + "unsubscribe.html", {"kind": "alert", "token": token}))


# RSS of the new non-sensitive concerns of a police district (public positions only).
area_concerns_feed_view = public(require_GET(cache_public_page(AreaConcernsFeed())))
