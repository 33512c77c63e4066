"""A fake Open States API v3 for the tests: a small WSGI app served on 127.0.0.1 in a thread.

GET /bills answers like the documented API: `jurisdiction`, `session`, `updated_since`,
`sort=updated_asc`, `include` (a record carries a list such as `actions` only when asked for
it), `page` and `per_page` (at most 20), and `pagination` {page, max_page, per_page,
total_items}. The key goes in `X-API-KEY`. It keeps its own quotas, per minute and per UTC day,
answering 429 with `Retry-After` (the seconds to the next minute, or to midnight) as the real
one does with "exceeded limit of 10/min". The clock is the process clock, so time-machine moves
it for the server too.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

INCLUDABLE = ("sponsorships", "abstracts", "actions", "versions", "documents", "votes", "related_bills")
MAX_PER_PAGE = 20


def bill(n: int, *, updated_at: datetime, title: str = "", **extra) -> dict:
    """A bill record in the API's shape, with every include."""
    record = {
        "id": f"ocd-bill/fake-{n:04d}",
        "session": "20252026",
        "jurisdiction": {"id": "ocd-jurisdiction/country:us/state:ca/government", "name": "California"},
        "from_organization": {"name": "Assembly", "classification": "lower"},
        "identifier": f"AB {n}",
        "title": title or f"Bill number {n}",
        "classification": ["bill"],
        "subject": ["Crime"],
        "created_at": "2025-01-06T00:00:00+00:00",
        "updated_at": updated_at.isoformat(),
        "openstates_url": f"https://openstates.org/ca/bills/20252026/AB{n}/",
        "first_action_date": "2025-01-06",
        "latest_action_date": "2025-01-06",
        "latest_action_description": "Introduced",
        "abstracts": [],
        "sponsorships": [{"name": "Bonta", "entity_type": "person", "primary": True, "classification": "primary"}],
        "actions": [
            {
                "organization": {"name": "Assembly", "classification": "lower"},
                "description": "Introduced",
                "date": "2025-01-06",
                "classification": ["introduction"],
                "order": 1,
            }
        ],
        "versions": [],
        "documents": [],
        "votes": [],
        "related_bills": [],
    }
    record.update(extra)
    return record


class FakeOpenStates:
    def __init__(self, bills: list[dict], *, per_minute: int = 10, per_day: int = 250, api_key: str = "fake-key"):
        self.bills = {b["id"]: b for b in bills}
        self.per_minute = per_minute
        self.per_day = per_day
        self.api_key = api_key
        self.minutes: Counter = Counter()
        self.days: Counter = Counter()
        self.log: list[dict] = []  # every request: its query and the status answered
        self.fail_next: list[int] = []  # statuses to answer before serving (e.g. [503])

    # --- the data -----------------------------------------------------------------------------
    def update(self, record: dict) -> None:
        self.bills[record["id"]] = record

    # --- the app ------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        status, headers, body = self.answer(environ, query)
        self.log.append({"path": environ["PATH_INFO"], "query": query, "status": status})
        start_response(f"{status} X", [("Content-Type", "application/json"), *headers])
        return [json.dumps(body).encode()]

    def answer(self, environ, query) -> tuple[int, list, dict]:
        if environ["PATH_INFO"] != "/bills":
            return 404, [], {"detail": "Not Found"}
        if environ.get("HTTP_X_API_KEY") != self.api_key:
            return 401, [], {"detail": "invalid API key"}
        now = datetime.now(UTC)
        day, minute = now.date(), now.replace(second=0, microsecond=0)
        if self.days[day] >= self.per_day:
            midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
            wait = int((midnight - now).total_seconds()) + 1
            return 429, [("Retry-After", str(wait))], {"detail": f"exceeded limit of {self.per_day}/day"}
        if self.minutes[minute] >= self.per_minute:
            wait = int((minute + timedelta(minutes=1) - now).total_seconds()) + 1
            return 429, [("Retry-After", str(wait))], {"detail": f"exceeded limit of {self.per_minute}/min"}
        self.days[day] += 1
        self.minutes[minute] += 1
        if self.fail_next:
            return self.fail_next.pop(0), [], {"detail": "Service Unavailable"}
        return 200, [], self.bills_page(query)

    def bills_page(self, query: dict) -> dict:
        def one(name, default=""):
            return query.get(name, [default])[0]

        results = [b for b in self.bills.values() if b["jurisdiction"]["name"] == one("jurisdiction")]
        if one("session"):
            results = [b for b in results if b["session"] == one("session")]
        if one("updated_since"):
            since = datetime.fromisoformat(one("updated_since")).replace(tzinfo=UTC)
            results = [b for b in results if datetime.fromisoformat(b["updated_at"]) >= since]
        results.sort(key=lambda b: (b["updated_at"], b["id"]))
        per_page = min(int(one("per_page", "10")), MAX_PER_PAGE)
        page = int(one("page", "1"))
        max_page = max(1, -(-len(results) // per_page))
        includes = set(query.get("include", []))
        chunk = [
            {k: v for k, v in b.items() if k not in INCLUDABLE or k in includes}
            for b in results[(page - 1) * per_page : page * per_page]
        ]
        return {
            "results": chunk,
            "pagination": {"per_page": per_page, "page": page, "max_page": max_page, "total_items": len(results)},
        }


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # no request lines in the test output
        pass


class ServedFake:
    """Serves a FakeOpenStates on 127.0.0.1 (a free port) in a thread; `url` is its base."""

    def __init__(self, app: FakeOpenStates):
        self.app = app
        self.server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> ServedFake:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
