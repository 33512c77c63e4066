"""Who may open a route: every view declares it, and the route test insists.

Views of our own apps use the decorators below, which both enforce the rule and record it on
the view as `view.access`. Routes of third-party apps (admin, allauth) are declared in
THIRD_PARTY by URL name. `access_for(pattern_name, view)` answers for any route; the
route-introspection test fails for a route it cannot answer for.

Kinds:
- public: anyone, no login (resident pages, feeds, health).
- account: any signed-in person, resident or staff (their own account pages).
- staff: signed-in bureau staff with a second factor, holding `permission` if given;
  `object_scoped` routes answer 404 to staff outside the object's scope.
- admin: Django admin (administrators).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True)
class Access:
    kind: str
    permission: str | None = None
    object_scoped: bool = False
    confidential: bool = False

    PUBLIC = "public"
    ACCOUNT = "account"
    STAFF = "staff"
    ADMIN = "admin"


def public(view: Callable) -> Callable:
    """A page anyone may open without signing in."""
    view = login_not_required(view)
    view.access = Access(Access.PUBLIC)
    return view


def account(view: Callable) -> Callable:
    """A page for any signed-in person (LoginRequiredMiddleware sends others to log in)."""
    view.access = Access(Access.ACCOUNT)
    return view


def user_is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff(permission: str | None = None, *, object_scoped: bool = False, confidential: bool = False):
    """A staff page: 302 to login for anonymous visitors, 403 for residents and for staff
    without `permission`. Object-scoped views must themselves answer 404 outside scope
    (with the app's `<entity>_get_for_staff` helper)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not user_is_staff(request.user):
                raise PermissionDenied
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access = Access(
            Access.STAFF, permission=permission, object_scoped=object_scoped, confidential=confidential
        )
        return wrapper

    return decorator


# Routes we do not write ourselves, by URL name (shell-style patterns allowed).
THIRD_PARTY: dict[str, Access] = {
    "admin:*": Access(Access.ADMIN),
    "account_login": Access(Access.PUBLIC),
    "account_signup": Access(Access.PUBLIC),
    "account_reset_password*": Access(Access.PUBLIC),
    "account_confirm_email": Access(Access.PUBLIC),
    "account_email_verification_sent": Access(Access.PUBLIC),
    "account_inactive": Access(Access.PUBLIC),
    "account_login_code_confirm": Access(Access.PUBLIC),
    "account_request_login_code": Access(Access.PUBLIC),
    "account_reauthenticate": Access(Access.ACCOUNT),
    # allauth lets anyone open logout (login_not_required); anonymous visitors are just sent home.
    "account_logout": Access(Access.PUBLIC),
    "account_email": Access(Access.ACCOUNT),
    "account_change_password": Access(Access.ACCOUNT),
    "account_set_password": Access(Access.ACCOUNT),
    "mfa_*": Access(Access.ACCOUNT),
    "usersessions_list": Access(Access.ACCOUNT),
    "set_language": Access(Access.PUBLIC),
    "javascript-catalog": Access(Access.PUBLIC),
    "django.contrib.sitemaps.views.sitemap": Access(Access.PUBLIC),
}

# allauth's login-stage views (second factor, verification by code) are reached while not yet
# signed in; allauth marks them itself.
PUBLIC_STAGE_NAMES = ("mfa_authenticate", "mfa_login_webauthn", "account_confirm_login_code")


def access_for(name: str | None, view: Callable) -> Access | None:
    """The declared access of a route, or None when nothing declares it."""
    declared = getattr(view, "access", None)
    if declared is not None:
        return declared
    if name in PUBLIC_STAGE_NAMES:
        return Access(Access.PUBLIC)
    if name:
        for pattern, rule in THIRD_PARTY.items():
            if fnmatch.fnmatchcase(name, pattern):
                return rule
    return None
