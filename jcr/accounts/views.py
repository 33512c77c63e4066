from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.accounts import services_invitations
from jcr.accounts.forms import InvitationAcceptForm
from jcr.accounts.middleware import LAST_SEEN
from jcr.accounts.models import User
from jcr.core.access import account, public
from jcr.core.submissions import my_submissions


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_staff=True, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@public
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An invited staff member sets a password; the second factor comes right after login."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services_invitations.invitation_accept(user=user, password=form.cleaned_data["password1"])
        messages.success(request, _("Your password is set. Sign in, then set up your second factor."))
        return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitee": user})


@account
@require_POST
def session_keepalive_view(request: HttpRequest) -> HttpResponse:
    """“Stay signed in”: the request itself counts as activity (SessionLimitsMiddleware)."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"remaining": int(settings.JCR_IDLE_TIMEOUT.total_seconds())})
    return redirect(request.POST.get("next") or "core:dashboard")


@account
@require_GET
def session_status_view(request: HttpRequest) -> JsonResponse:
    """Seconds left before the idle sign-out; does not itself count as activity."""
    last_seen = request.session.get(LAST_SEEN, timezone.now().timestamp())
    remaining = settings.JCR_IDLE_TIMEOUT.total_seconds() - (timezone.now().timestamp() - last_seen)
    return JsonResponse({"remaining": max(0, int(remaining))})


@account
@require_GET
def my_submissions_view(request: HttpRequest) -> HttpResponse:
    """A resident's own submissions across the units, matched by their verified addresses
    (allauth's EmailAddress): an address not yet verified shows nothing."""
    emails = EmailAddress.objects.filter(user=request.user, verified=True).values_list("email", flat=True)
    sections = my_submissions(emails=list(emails))
    response = render(request, "accounts/my_submissions.html", {"sections": sections})
    response["X-Robots-Tag"] = "noindex"
    return response
