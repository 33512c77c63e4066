"""Helpers for tests: a query-count guard that makes every new query justify itself, the
route walk and its route groups, and the registry of route samples and private markers the
quality gates use."""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import ResolverMatch
from django.utils import translation

from jcr.core.access import Access, access_for

# Transaction bookkeeping (ATOMIC_REQUESTS wraps each request in a savepoint under the test
# transaction) is not a query a page chose to run, so the guard does not count it.
_BOOKKEEPING = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class TooManyQueries(AssertionError):
    pass


class QueryCapture(CaptureQueriesContext):
    """CaptureQueriesContext without savepoint bookkeeping: `.queries` is what the code ran."""

    @property
    def queries(self) -> list[dict]:
        return [q for q in self.captured_queries if not q["sql"].startswith(_BOOKKEEPING)]

    def __len__(self) -> int:
        return len(self.queries)


@contextmanager
def assert_max_queries(limit: int, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[QueryCapture]:
    """Fail when the block runs more than `limit` queries, listing every query it ran.

    with assert_max_queries(8):
        client.get("/")
    """
    with QueryCapture(connections[using]) as context:
        yield context
    executed = len(context.queries)
    if executed > limit:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.queries, start=1))
        raise TooManyQueries(f"{executed} queries ran, at most {limit} expected:\n{listing}")


def sign_in_recently(client, user, *, seconds_ago: float = 0):
    """Record in `client`'s session an authentication `seconds_ago` (as allauth does at each
    sign-in): the confidential pages ask for a recent one, and `force_login` records none."""
    import time

    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time() - seconds_ago}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@dataclass(frozen=True)
class Route:
    """One URL pattern of the root URLconf, as the route walk finds it."""

    language: str
    route: str  # the pattern text, e.g. "es/staff/"
    view_name: str  # as resolve() names it: "namespace:name", or the view's dotted path
    url_name: str | None
    view: object
    has_params: bool

    @property
    def access(self) -> Access | None:
        return access_for(self.view_name, self.view)

    def url(self) -> str:
        return self.reverse(self.view_name)

    def reverse(self, name: str) -> str:
        with translation.override(self.language):
            return reverse(name)

    def __str__(self) -> str:
        return f"{self.route} ({self.view_name})"


def _walk(patterns, prefix: str, namespaces: list[str], params: bool):
    for pattern in patterns:
        has_params = params or bool(pattern.pattern.regex.groups)
        if isinstance(pattern, URLResolver):
            inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, has_params)
        else:
            match = ResolverMatch(pattern.callback, (), {}, url_name=pattern.name, namespaces=namespaces)
            yield prefix + str(pattern.pattern), match.view_name, pattern.name, pattern.callback, has_params


def all_routes(urlconf: str | None = None, languages: list[str] | None = None) -> list[Route]:
    """Every URL pattern of the root URLconf (or `urlconf`), through every include, in every
    language (the i18n prefix is read while the pattern is walked), each route once."""
    routes: dict[str, Route] = {}
    for language in languages or [code for code, _label in settings.LANGUAGES]:
        with translation.override(language):
            walk = _walk(get_resolver(urlconf).url_patterns, "", [], False)
            for route, view_name, url_name, view, has_params in walk:
                routes.setdefault(route, Route(language, route, view_name, url_name, view, has_params))
    return list(routes.values())


def routes_of_kind(kind: str) -> list[Route]:
    """Declared routes of `kind` (public/account/staff/admin) that need no URL parameters."""
    return [r for r in all_routes() if not r.has_params and r.access is not None and r.access.kind == kind]


# --- Route groups: one test per group checks every route of it ---------------------------

_ADMIN_MODEL_ROUTE = re.compile(r"^(?:[a-z]{2}/)?admin/(\w+)/(\w+)/")


def route_group(route: Route) -> str:
    """The group `route` is checked in: an admin model's pages by the model
    ("admin:core.area"), any other route by its URL namespace and the module of its view
    ("outreach:outreach.views_events", or the module alone outside a namespace). Found from
    the route itself, so groups follow the code wherever it moves."""
    namespace = route.view_name.rpartition(":")[0]
    match = _ADMIN_MODEL_ROUTE.match(route.route)
    if namespace == "admin" and match:
        return "admin:{}.{}".format(*match.groups())
    module = getattr(route.view, "__module__", None) or "unknown"
    return f"{namespace}:{module}" if namespace else module


def route_groups(routes: list[Route]) -> dict[str, list[Route]]:
    """`routes` by group (see route_group), groups and routes in URL-walk order."""
    groups: dict[str, list[Route]] = {}
    for route in routes:
        groups.setdefault(route_group(route), []).append(route)
    return groups


def group_params(routes: list[Route]) -> list:
    """pytest parameters, one per route group, each holding the group's routes; the test id
    is the group name, so `-k outreach` or `-k admin:core` picks groups."""
    import pytest

    return [pytest.param(group, id=name) for name, group in route_groups(routes).items()]


def caches_snapshot() -> dict[str, tuple[dict, dict]]:
    """What the tests' in-memory caches hold now, to put back with `as_if_alone(snapshot)`."""
    return {
        alias: (dict(caches[alias]._cache), dict(caches[alias]._expire_info))
        for alias in settings.CACHES
        if isinstance(caches[alias], LocMemCache)
    }


def _caches_reset(snapshot: Mapping[str, tuple[dict, dict]] | None) -> None:
    for alias in settings.CACHES:
        cache = caches[alias]
        cache.clear()
        if snapshot and alias in snapshot:
            with cache._lock:
                cache._cache.update(snapshot[alias][0])
                cache._expire_info.update(snapshot[alias][1])


@contextmanager
def as_if_alone(cache_snapshot: Mapping[str, tuple[dict, dict]] | None = None) -> Iterator[None]:
    """Run one check of a grouped test as a test of its own would: the caches empty (page
    cache, cached sessions, rate limits) or as `cache_snapshot` left them, the default
    language, and a savepoint rolled back at the end, so nothing a page or a sample writes
    reaches the next check."""
    _caches_reset(cache_snapshot)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        yield
        transaction.set_rollback(True)


class OneHandler:
    """Test clients that share one request handler, so the middleware chain is built once for
    a grouped test rather than once per client (building it makes WhiteNoise list every static
    file, which costs more than most pages). Use it within one test only: its settings (media
    root, caches) do not change between its requests."""

    def __init__(self) -> None:
        self._handler = None

    def adopt(self, client: Client) -> Client:
        if self._handler is None:
            self._handler = client.handler
        else:
            client.handler = self._handler
        return client

    def client(self, user=None) -> Client:
        """A fresh client (no cookies) on the shared handler, signed in as `user` if given."""
        client = self.adopt(Client())
        if user is not None:
            client.force_login(user)
        return client


class GroupWorld:
    """The module's `world` (personas made once, see conftest) for one grouped test: the same
    personas, and `client(name)` a fresh client signed in as persona `name` on one handler."""

    def __init__(self, world) -> None:
        self.personas = world.personas
        self._world = world
        self._clients = OneHandler()

    def client(self, name: str) -> Client:
        return self._clients.adopt(self._world.client(name))


class Failures:
    """The failures of a grouped test, collected so one run reports all of them.

    failures = Failures()
    for route in routes:
        with failures.check(route, persona):
            ...  # assertions; a failure (or an error) is recorded and the loop goes on
    failures.raise_any("routes answering against their declaration")
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.checks = 0

    @contextmanager
    def check(self, route: Route, who: str | None = None) -> Iterator[None]:
        self.checks += 1
        try:
            yield
        except Exception as error:  # every failure is reported, not only the first
            kind = "" if isinstance(error, AssertionError) else f"{type(error).__name__}: "
            message = str(error).split("\nassert ")[0].strip() or repr(error)
            if not who and not kind and message.startswith(str(route)):
                self.lines.append(message)  # the message names the route already
            else:
                self.lines.append(f"{route}{f' as {who}' if who else ''}: {kind}{message}")

    def add(self, line: str) -> None:
        self.lines.append(line)

    def raise_any(self, what: str) -> None:
        if self.lines:
            listing = "\n".join(f"- {line}" for line in self.lines)
            raise AssertionError(f"{len(self.lines)} {what} ({self.checks} checks):\n{listing}")


# --- Route samples and private markers: the hooks apps implement -------------------------

HOOKS_MODULE = "tests.hooks"


@dataclass(frozen=True)
class Sample:
    """How to open one parametrized route.

    kwargs: the URL parameters. query: a query string (without "?") some views need.
    outside: personas who hold the route's permission but are outside this object's scope
        (they must get 404). An object-scoped or confidential route must name at least one.
    ok: what a persona who may open the route gets (200 unless the route redirects by
        design, e.g. a one-time key that is moved into the session first).
    """

    kwargs: dict = field(default_factory=dict)
    query: str = ""
    outside: frozenset[str] = frozenset()
    ok: int = 200


SampleFactory = Callable[[Mapping[str, object], "Route"], Sample]


def hook_modules() -> list[ModuleType]:
    """The `<app>.tests.hooks` modules of the installed apps, in INSTALLED_APPS order.

    Every installed app may ship `<app>/tests/hooks.py`; the gates import it when it exists
    (nothing to register) and use, when defined:

    - `route_samples() -> dict[str, SampleFactory]`: view-name pattern (an exact name such as
      "prosecution:concern_detail", or shell-style such as "admin:*_change") -> a callable
      `(personas, route) -> Sample`. `personas` maps persona name -> User (None for the
      anonymous `resident`); `route` is the Route being sampled. Every route with URL
      parameters needs one, or the authorization matrix fails for it.
    - `ROUTE_SAMPLE_EXCLUSIONS: dict[str, str]`: view-name pattern -> why the route cannot be
      sampled at all. Keep it short; the matrix lists these as skipped with the reason.
    - `seed_private_markers(*, personas, marker) -> list[str]`: create rows whose private
      fields hold `marker(label)` tokens and return the tokens; tests/test_public_leaks.py
      asserts none of them shows on any public response.
    """
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{HOOKS_MODULE}"
        try:
            if importlib.util.find_spec(f"{config.name}.tests") is None or importlib.util.find_spec(name) is None:
                continue
        except ModuleNotFoundError:
            continue
        found.append(importlib.import_module(name))
    return found


def route_sample_factories() -> dict[str, SampleFactory]:
    factories: dict[str, SampleFactory] = {}
    for module in hook_modules():
        hook = getattr(module, "route_samples", None)
        if hook is not None:
            factories.update(hook())
    return factories


def route_sample_exclusions() -> dict[str, str]:
    excluded: dict[str, str] = {}
    for module in hook_modules():
        excluded.update(getattr(module, "ROUTE_SAMPLE_EXCLUSIONS", {}))
    return excluded


def _first_match(name: str, table: Mapping[str, object]):
    if name in table:  # an exact name beats any pattern
        return table[name]
    return next((value for pattern, value in table.items() if fnmatch.fnmatchcase(name, pattern)), None)


def route_sample_factory(route: Route) -> SampleFactory | None:
    return _first_match(route.view_name, route_sample_factories())


def route_exclusion(route: Route) -> str | None:
    return _first_match(route.view_name, route_sample_exclusions())


_PATH_PARAM = re.compile(r"<(?:[^<>:]+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>(?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)")


def route_path(route: Route, kwargs: Mapping[str, object] | None = None) -> str:
    """The path of `route` with `kwargs` put in place of its parameters, built from the pattern
    text itself (so unnamed routes work too). Raises KeyError for a missing parameter."""
    kwargs = kwargs or {}
    text = _REGEX_PARAM.sub(lambda m: str(kwargs[m.group(1)]), route.route)
    text = _PATH_PARAM.sub(lambda m: str(kwargs[m.group(1)]), text)
    return "/" + text.replace("^", "").replace("$", "")


def sample_url(route: Route, sample: Sample) -> str:
    path = route_path(route, sample.kwargs)
    return f"{path}?{sample.query}" if sample.query else path


def marker(label: str) -> str:
    """A unique token to seed into a private field; it must never show on a public page."""
    return f"zzpriv{re.sub(r'[^a-z0-9]', '', label.lower())}{secrets.token_hex(6)}"


def seed_private_markers(personas: Mapping[str, object]) -> dict[str, list[str]]:
    """Call every app's `seed_private_markers` hook; returns the markers by app module."""
    seeded: dict[str, list[str]] = {}
    for module in hook_modules():
        hook = getattr(module, "seed_private_markers", None)
        if hook is not None:
            seeded[module.__name__] = list(hook(personas=personas, marker=marker))
    return seeded


# --- What a persona should get from a route ---------------------------------------------

LOGIN = "login"  # a 302 to the sign-in page (the portal's, or admin's own which forwards there)
FLOW = "flow"  # a flow step (Access.flow): 200, a 302 to another step (not sign-in) or 404
FLOW_STATUSES = (200, 302, 404)


def expected_status(route: Route, user, sample: Sample, *, persona: str, method: str = "GET") -> int | str:
    """The answer `user` (None: anonymous) should get from `route`, computed from its access
    declaration: LOGIN, 403, 404 (outside the object's scope), or `sample.ok` / 405."""
    access = route.access
    if access is None:
        raise AssertionError(f"{route} declares no access (see jcr.core.access)")
    if access.kind == Access.ADMIN:
        return admin_expected_status(route, user, sample, method=method)
    allowed = (FLOW if access.flow else sample.ok) if access.allows(method) else 405
    if access.kind == Access.PUBLIC:
        return allowed
    if user is None:
        return LOGIN
    if access.kind == Access.STAFF:
        if not (user.is_active and user.is_staff):
            return 403
        if access.permission and not user.has_perm(access.permission):
            # Confidential routes do not reveal that they exist: 404, not 403.
            return 404 if access.confidential else 403
    if access.scoped and persona in sample.outside:
        return 404
    return allowed


def _admin_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _admin_model(route: Route):
    """The ModelAdmin whose URLs `route` belongs to, found from the route text."""
    from django.contrib import admin

    match = re.match(r"^(?:[a-z]{2}/)?admin/(\w+)/(\w+)/", route.route)
    if not match:
        return None
    for model, model_admin in admin.site._registry.items():
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model_admin
    return None


# Admin views of our own that check a permission of their own (not a ModelAdmin's).
ADMIN_VIEW_PERMISSIONS = {"admin:accounts_user_invite": "accounts.invite_staff"}


def _admin_autocomplete_status(request, sample: Sample) -> int:
    """The person picker's search answers whoever may view the model it searches (Django's
    AutocompleteJsonView asks that model's ModelAdmin), else 403."""
    from urllib.parse import parse_qs

    from django.apps import apps as django_apps
    from django.contrib import admin

    params = {k: v[0] for k, v in parse_qs(sample.query or "").items()}
    source = django_apps.get_model(params["app_label"], params["model_name"])
    remote = source._meta.get_field(params["field_name"]).remote_field.model
    remote_admin = admin.site._registry.get(remote)
    return sample.ok if remote_admin is not None and remote_admin.has_view_permission(request) else 403


def admin_expected_status(route: Route, user, sample: Sample, *, method: str = "GET") -> int | str:
    """Admin pages: sign-in for anonymous visitors, 403 for anyone the site refuses, and for
    administrators what the ModelAdmin's has_*_permission methods say for their role."""
    from django.contrib import admin

    if user is None:
        return LOGIN
    request = _admin_request(user)
    if not admin.site.has_permission(request):
        return 403
    access = route.access
    if not access.allows(method):
        return 405
    name = route.url_name or ""
    if route.view_name == "admin:login":
        return 302  # already signed in: sent on to the admin index
    if route.view_name in ("admin:view_on_site", "admin:django.contrib.admin.sites.catch_all_view"):
        return sample.ok
    if route.view_name == "admin:app_list":
        return 200 if admin.site._build_app_dict(request, sample.kwargs["app_label"]) else 404
    if route.view_name in ADMIN_VIEW_PERMISSIONS:
        return sample.ok if user.has_perm(ADMIN_VIEW_PERMISSIONS[route.view_name]) else 403
    if route.view_name == "admin:autocomplete":
        return _admin_autocomplete_status(request, sample)
    model_admin = _admin_model(route)
    if model_admin is None:  # index, password change, jsi18n
        return sample.ok
    obj = None
    if "object_id" in sample.kwargs or "id" in sample.kwargs:
        pk = sample.kwargs.get("object_id", sample.kwargs.get("id"))
        obj = model_admin.model._default_manager.get(pk=pk)
    if route.url_name is None:  # "<object_id>/" answers with a redirect to the change page
        return 302
    recent_login = 302 if getattr(model_admin, "requires_recent_login", False) else 200
    if name.endswith("_changelist"):
        # Confidential lists ask for a recent sign-in too; force_login records none.
        return recent_login if model_admin.has_view_or_change_permission(request) else 403
    if name.endswith("_add"):
        return 200 if model_admin.has_add_permission(request) else 403
    if name.endswith(("_change", "_history")):
        if not model_admin.has_view_or_change_permission(request, obj):
            return 403
        # Confidential records ask for a recent sign-in; force_login records none.
        return 302 if getattr(model_admin, "requires_recent_login", False) else 200
    if name.endswith("_delete"):
        return 200 if model_admin.has_delete_permission(request, obj) else 403
    if name.endswith("_password_change"):
        return 200 if model_admin.has_change_permission(request, obj) else 403
    return sample.ok
