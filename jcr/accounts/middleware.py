"""Session limits (idle and absolute) and the second factor every staff member must have."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT = "jcr_login_at"
LAST_SEEN = "jcr_last_seen"
SIGNED_OUT_REASON = "jcr_signed_out_reason"
# Requests that must not count as activity (the idle-warning script asking for status).
PASSIVE_URL_NAMES = {"accounts:session_status"}
# Activity is written to the session at most once a minute, so that a busy person's requests
# do not each rewrite the session row; the idle timeout is exact to within this.
ACTIVITY_RESOLUTION_SECONDS = 60
# "Stay signed in" always counts at once.
KEEPALIVE_URL_NAMES = {"accounts:session_keepalive"}


class SessionLimitsMiddleware:
    """Sign a person out after 30 idle minutes or 12 hours in all (see settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            idle = now - last_seen > settings.JCR_IDLE_TIMEOUT.total_seconds()
            expired = now - login_at > settings.JCR_SESSION_ABSOLUTE_LIMIT.total_seconds()
            if idle or expired:
                # Only this browser's session has run out: other devices stay signed in.
                request.jcr_session_timed_out = True
                logout(request)
                # MessageMiddleware comes after this one, so messages cannot be added yet: the
                # reason waits in the new session and process_view shows it on the next page
                # that opens (this one if public, else the sign-in page we are sent to).
                request.session[SIGNED_OUT_REASON] = "idle" if idle else "expired"
            else:
                name = _url_name(request)
                stale = now - session.get(LAST_SEEN, 0) >= ACTIVITY_RESOLUTION_SECONDS
                if name not in PASSIVE_URL_NAMES and (stale or name in KEEPALIVE_URL_NAMES):
                    session[LAST_SEEN] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        reason = session.pop(SIGNED_OUT_REASON, None) if session is not None else None
        if reason and hasattr(request, "_messages"):
            messages.info(
                request,
                _("You were signed out after 30 minutes without activity.")
                if reason == "idle"
                else _("You were signed out because sessions last at most 12 hours."),
            )


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


# What a staff member without a second factor may still reach.
ENROLMENT_URL_NAMES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    # allauth asks for the password again before enrolment; without it enrolment loops.
    "account_reauthenticate",
    "account_logout",
    "accounts:session_status",
    "accounts:session_keepalive",
    "set_language",
    "healthz",
    "healthz_live",
    "healthz_ready",
}


MFA_CHECKED_AT = "jcr_mfa_checked_at"
# How long "this person has a second factor" is trusted before it is looked up again. Removing
# one's last authenticator is the only way to lose it, so the window only delays that case.
MFA_RECHECK_SECONDS = 300


def _has_second_factor(request, user) -> bool:
    now = timezone.now().timestamp()
    checked_at = request.session.get(MFA_CHECKED_AT)
    if checked_at is not None and 0 <= now - checked_at < MFA_RECHECK_SECONDS:
        return True
    if is_mfa_enabled(user):
        request.session[MFA_CHECKED_AT] = now
        return True
    request.session.pop(MFA_CHECKED_AT, None)
    return False


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ENROLMENT_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if _has_second_factor(request, user):
            return None
        messages.warning(request, _("Staff accounts need a second factor. Set up an authenticator app to continue."))
        return redirect("mfa_activate_totp")
