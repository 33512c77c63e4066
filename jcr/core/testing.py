"""Helpers for tests: a query-count guard that makes every new query justify itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

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
