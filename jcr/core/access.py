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
  `confidential` routes (integrity/records/access.py) answer 404, not 403, to staff without
  `permission`: they do not reveal that the records exist.
- admin: Django admin (administrators).

`methods` is what the route answers to (None: any method). The decorators read it from
Django's `require_http_methods` family (`require_GET`, `require_POST`, ...) applied under
them, and from `http_method_names` of class-based views, so call sites stay as they are.
The authorization matrix (tests/test_authorization_matrix.py) expects 405 from a GET to a
POST-only route for a person who may use it.

`flow` marks a step of a multi-step flow we do not write (allauth's sign-in stages, second
factor set-up, re-authentication, password set): what a person who may open it gets depends
on where they are in the flow, so the matrix accepts the page (200), a redirect to another
step (302, never to sign-in) or allauth's 404 for "nothing of that kind yet" (recovery codes
before a second factor), and still insists on sign-in for anyone the kind turns away.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import inspect
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
    methods: tuple[str, ...] | None = None
    flow: bool = False

    PUBLIC = "public"
    ACCOUNT = "account"
    STAFF = "staff"
    ADMIN = "admin"

    @property
    def scoped(self) -> bool:
        """Answers 404 to a person outside the object's scope (object-scoped or confidential)."""
        return self.object_scoped or self.confidential

    def allows(self, method: str) -> bool:
        return self.methods is None or method.upper() in self.methods


def view_methods(view: Callable) -> tuple[str, ...] | None:
    """The HTTP methods `view` accepts, or None when nothing restricts them.

    Follows the `__wrapped__` chain: Django's `require_http_methods(...)` (and `require_GET`,
    `require_POST`, `require_safe`) keeps its list in the closure variable
    `request_method_list`; class-based views list theirs in `view_class.http_method_names`.
    tests/test_authorization_matrix.py checks this reading against known views, so a Django
    change that breaks it fails there.
    """
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            names = [m.upper() for m in view_class.http_method_names if m != "options"]
            return tuple(sorted({*names, "OPTIONS"}))
        try:
            nonlocals = inspect.getclosurevars(view).nonlocals if inspect.isfunction(view) else {}
        except (TypeError, ValueError):
            nonlocals = {}
        allowed = nonlocals.get("request_method_list")
        if allowed is not None:
            return tuple(sorted({m.upper() for m in allowed}))
        view = getattr(view, "__wrapped__", None)
    return None


def public(view: Callable) -> Callable:
    """A page anyone may open without signing in."""
    view = login_not_required(view)
    view.access = Access(Access.PUBLIC, methods=view_methods(view))
    return view


def account(view: Callable) -> Callable:
    """A page for any signed-in person (LoginRequiredMiddleware sends others to log in)."""
    view.access = Access(Access.ACCOUNT, methods=view_methods(view))
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
            Access.STAFF,
            permission=permission,
            object_scoped=object_scoped,
            confidential=confidential,
            methods=view_methods(view),
        )
        return wrapper

    return decorator


# Routes we do not write ourselves, by URL name (shell-style patterns allowed).
# The first matching pattern wins, so specific names come before the patterns that cover them.
THIRD_PARTY: dict[str, Access] = {
    # Django's admin logout runs LogoutView, which answers POST only.
    "admin:logout": Access(Access.ADMIN, methods=("OPTIONS", "POST")),
    "admin:*": Access(Access.ADMIN),
    "account_login": Access(Access.PUBLIC, flow=True),
    "account_signup": Access(Access.PUBLIC, flow=True),
    "account_reset_password*": Access(Access.PUBLIC),
    "account_confirm_email": Access(Access.PUBLIC),
    "account_email_verification_sent": Access(Access.PUBLIC),
    "account_inactive": Access(Access.PUBLIC),
    "account_login_code_confirm": Access(Access.PUBLIC),
    "account_request_login_code": Access(Access.PUBLIC, flow=True),
    "account_reauthenticate": Access(Access.ACCOUNT, flow=True),
    "account_request_reauthentication_code": Access(Access.ACCOUNT, flow=True),
    "account_confirm_reauthentication_code": Access(Access.ACCOUNT, flow=True),
    # allauth lets anyone open logout (login_not_required); anonymous visitors are just sent home.
    "account_logout": Access(Access.PUBLIC, flow=True),
    "account_email": Access(Access.ACCOUNT),
    "account_change_password": Access(Access.ACCOUNT),
    "account_set_password": Access(Access.ACCOUNT, flow=True),
    "mfa_*": Access(Access.ACCOUNT, flow=True),
    "usersessions_list": Access(Access.ACCOUNT),
    # Changes the language on POST; a GET just sends the visitor back.
    "set_language": Access(Access.PUBLIC, flow=True),
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
    rule = None
    if name in PUBLIC_STAGE_NAMES:
        rule = Access(Access.PUBLIC, flow=True)
    elif name:
        rule = next((r for pattern, r in THIRD_PARTY.items() if fnmatch.fnmatchcase(name, pattern)), None)
    if rule is not None and rule.methods is None:
        rule = dataclasses.replace(rule, methods=view_methods(view))
    return rule
