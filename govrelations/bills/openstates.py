"""A small client of the Open States API v3 (https://docs.openstates.org/api-v3/).

Only what the sync needs: GET /bills with its filters, every `include`, and pagination
(`page`, `per_page`, and the `pagination.max_page` the API answers with). It uses the standard
`httpx`; tests replace `OpenStatesClient.get_json` or run it against a local fake server
(tests/fake_openstates.py).

The key's limits are kept here: every request is first counted against the day's and the
minute's budget in the database (`ApiUsage`, one row per UTC day, locked while counting, so
every process shares it). A full minute is waited out; a spent day raises
OpenStatesBudgetSpent. An answer 429 or 5xx, or no answer, is retried a bounded number of
times after `Retry-After` when the API gives one, else an exponential backoff with jitter; a
`Retry-After` longer than MAX_WAIT_SECONDS (the API's own daily quota) ends the run as a spent
budget.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from govrelations.bills.models import ApiUsage

log = logging.getLogger(__name__)

INCLUDES = ("sponsorships", "abstracts", "actions", "versions", "documents", "votes", "related_bills")
PER_PAGE = 20  # the API's largest page of bills
MAX_WAIT_SECONDS = 300  # a longer Retry-After means the API's day is spent: stop, resume tomorrow
BACKOFF_SECONDS = 2.0  # the first retry's wait without Retry-After; doubled each time
BACKOFF_CAP_SECONDS = 120.0


class OpenStatesError(Exception):
    pass


class OpenStatesNotConfigured(OpenStatesError):
    pass


class OpenStatesUnavailable(OpenStatesError):
    """A transient failure (network, timeout, 429, 5xx): try again later."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class OpenStatesBudgetSpent(OpenStatesError):
    """The day's requests are spent (ours or the API's): stop and resume another day."""


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` in seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def usage_day(now: datetime | None = None):
    return (now or timezone.now()).astimezone(UTC).date()


def budget_take(*, per_minute: int, per_day: int) -> float:
    """Count one request against the shared budget. Returns 0 when counted, or the seconds to
    wait for the next minute when this minute's requests are spent. Raises
    OpenStatesBudgetSpent when the day's are."""
    now = timezone.now()
    day = usage_day(now)
    with contextlib.suppress(IntegrityError):  # another process created it first
        ApiUsage.objects.get_or_create(day=day)
    with transaction.atomic():
        usage = ApiUsage.objects.select_for_update().get(day=day)
        if usage.requests >= per_day:
            raise OpenStatesBudgetSpent(f"the day's {per_day} requests to Open States are spent")
        minute = now.replace(second=0, microsecond=0)
        if usage.minute_start != minute:
            usage.minute_start, usage.minute_requests = minute, 0
        elif usage.minute_requests >= per_minute:
            return max(0.05, (minute + timedelta(minutes=1) - now).total_seconds())
        usage.minute_requests += 1
        usage.requests += 1
        usage.save(update_fields=["minute_start", "minute_requests", "requests"])
    return 0.0


def budget_note_throttled() -> None:
    ApiUsage.objects.filter(day=usage_day()).update(throttled=F("throttled") + 1)


def budget_left_today() -> int:
    used = ApiUsage.objects.filter(day=usage_day()).values_list("requests", flat=True).first() or 0
    return max(0, settings.OPENSTATES_REQUESTS_PER_DAY - used)


class OpenStatesRejected(OpenStatesError):
    """The API refused the request (bad key, bad parameter): retrying will not help."""


def http_get_json(url: str, *, headers: dict[str, str], timeout: int) -> dict:
    """GET `url` and return its JSON object. Raises OpenStatesUnavailable for what may pass
    (network, timeout, 429, 5xx, a body that is not a JSON object) and OpenStatesRejected for
    the other HTTP errors (bad key, bad parameter)."""
    try:
        response = httpx.get(url, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise OpenStatesUnavailable(f"Open States unreachable: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise OpenStatesUnavailable(
            f"HTTP {response.status_code} from Open States",
            status=response.status_code,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )
    if response.status_code >= 400:
        raise OpenStatesRejected(f"HTTP {response.status_code} from Open States: {response.text[:300]!r}")
    try:
        data = response.json()
    except ValueError as exc:
        raise OpenStatesUnavailable("Open States answered with something that is not JSON") from exc
    if not isinstance(data, dict):
        raise OpenStatesUnavailable("Open States answered with JSON that is not an object")
    return data


class OpenStatesClient:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        per_page: int = PER_PAGE,
        timeout: int | None = None,
        get_json: Callable[..., dict] | None = None,
        sleep: Callable[[float], None] | None = None,
        per_minute: int | None = None,
        per_day: int | None = None,
        max_retries: int | None = None,
    ) -> None:
        self.base_url = (base_url or settings.OPENSTATES_API_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.OPENSTATES_API_KEY
        if not self.api_key:
            raise OpenStatesNotConfigured("OPENSTATES_API_KEY is not set")
        self.per_page = per_page
        self.timeout = timeout or settings.OPENSTATES_TIMEOUT_SECONDS
        self.get_json = get_json or (lambda url, **kw: http_get_json(url, **kw))  # looked up per call
        self.sleep = sleep or (lambda seconds: time.sleep(seconds))
        self.per_minute = per_minute or settings.OPENSTATES_REQUESTS_PER_MINUTE
        self.per_day = per_day or settings.OPENSTATES_REQUESTS_PER_DAY
        self.max_retries = settings.OPENSTATES_MAX_RETRIES if max_retries is None else max_retries
        self.requests = 0  # made by this client, retries included
        self.throttled = 0  # answers 429

    def fetch(self, url: str) -> dict:
        """One GET within the budget, retried on transient failures (see the module's notes)."""
        attempt = 0
        while True:
            while (wait := budget_take(per_minute=self.per_minute, per_day=self.per_day)) > 0:
                self.sleep(wait)
            self.requests += 1
            try:
                return self.get_json(
                    url, headers={"X-API-KEY": self.api_key, "Accept": "application/json"}, timeout=self.timeout
                )
            except OpenStatesUnavailable as exc:
                if exc.status == 429:
                    self.throttled += 1
                    budget_note_throttled()
                if exc.retry_after is not None and exc.retry_after > MAX_WAIT_SECONDS:
                    raise OpenStatesBudgetSpent(f"{exc}: retry after {exc.retry_after:.0f} s") from exc
                attempt += 1
                if attempt > self.max_retries:
                    raise
                backoff = min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2 ** (attempt - 1))
                wait = exc.retry_after if exc.retry_after is not None else backoff
                log.info("Open States: %s; retry %d in %.1f s", exc, attempt, wait)
                jitter = random.uniform(0, min(wait, BACKOFF_SECONDS))  # noqa: S311 (spreads retries, no secret)
                self.sleep(wait + jitter)

    def bills_url(
        self,
        *,
        jurisdiction: str,
        page: int,
        session: str = "",
        subject: str = "",
        query: str = "",
        updated_since: datetime | None = None,
    ) -> str:
        params: list[tuple[str, str]] = [("jurisdiction", jurisdiction)]
        if session:
            params.append(("session", session))
        if subject:
            params.append(("subject", subject))
        if query:
            params.append(("q", query))
        if updated_since:
            params.append(("updated_since", updated_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")))
        params += [("include", name) for name in INCLUDES]
        params += [("sort", "updated_asc"), ("page", str(page)), ("per_page", str(self.per_page))]
        return f"{self.base_url}/bills?{urlencode(params)}"

    def bills_page(self, *, page: int, **filters) -> dict:
        """One page of GET /bills: {"results": [...], "pagination": {...}}."""
        data = self.fetch(self.bills_url(page=page, **filters))
        if not isinstance(data.get("results"), list):
            raise OpenStatesUnavailable(f"page {page}: no results list in the answer")
        return data

    def bill_pages(self, *, max_pages: int | None = None, **filters) -> Iterator[dict]:
        """Yield each page of GET /bills ({"results": [...], "pagination": {...}}) in order.

        Stops after `pagination.max_page`, or after `max_pages` pages when given.
        Raises OpenStatesUnavailable / OpenStatesRejected.
        """
        page = 1
        while True:
            data = self.bills_page(page=page, **filters)
            yield data
            last = (data.get("pagination") or {}).get("max_page") or 1
            if page >= last or (max_pages and page >= max_pages):
                return
            page += 1
