"""Helpers for tests: a query-count guard that makes every new query justify itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
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


def all_routes() -> list[Route]:
    """Every URL pattern of the root URLconf, through every include, in every language
    (the i18n prefix is read while the pattern is walked), each route once."""
    routes: dict[str, Route] = {}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            for route, view_name, url_name, view, has_params in _walk(get_resolver().url_patterns, "", [], False):
                routes.setdefault(route, Route(language, route, view_name, url_name, view, has_params))
    return list(routes.values())


def routes_of_kind(kind: str) -> list[Route]:
    """Declared routes of `kind` (public/account/staff/admin) that need no URL parameters."""
    return [r for r in all_routes() if not r.has_params and r.access is not None and r.access.kind == kind]
