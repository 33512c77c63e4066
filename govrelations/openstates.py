"""A small client of the Open States API v3 (https://docs.openstates.org/api-v3/).

Only what the sync needs: GET /bills with its filters, every `include`, and pagination
(`page`, `per_page`, and the `pagination.max_page` the API answers with). It uses the standard
library's HTTP client; tests replace `OpenStatesClient.get_json`.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings

log = logging.getLogger(__name__)

INCLUDES = ("sponsorships", "abstracts", "actions", "versions", "documents", "votes", "related_bills")
PER_PAGE = 20  # the API's largest page of bills


class OpenStatesError(Exception):
    pass


class OpenStatesNotConfigured(OpenStatesError):
    pass


class OpenStatesUnavailable(OpenStatesError):
    """A transient failure (network, timeout, 429, 5xx): try again later."""


class OpenStatesRejected(OpenStatesError):
    """The API refused the request (bad key, bad parameter): retrying will not help."""


def http_get_json(url: str, *, headers: dict[str, str], timeout: int) -> dict:
    request = urllib.request.Request(url, headers=headers, method="GET")  # noqa: S310 (https URL from settings)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise OpenStatesUnavailable(f"HTTP {exc.code} from Open States") from exc
        raise OpenStatesRejected(f"HTTP {exc.code} from Open States: {exc.read()[:300]!r}") from exc
    except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
        raise OpenStatesUnavailable(f"Open States unreachable: {exc}") from exc
    try:
        data = json.loads(payload)
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
        pause_seconds: float = 0.0,
    ) -> None:
        self.base_url = (base_url or settings.OPENSTATES_API_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.OPENSTATES_API_KEY
        if not self.api_key:
            raise OpenStatesNotConfigured("OPENSTATES_API_KEY is not set")
        self.per_page = per_page
        self.timeout = timeout or settings.OPENSTATES_TIMEOUT_SECONDS
        self.get_json = get_json or (lambda url, **kw: http_get_json(url, **kw))  # looked up per call
        self.pause_seconds = pause_seconds  # be gentle with the API's per-minute limit

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

    def bill_pages(self, *, max_pages: int | None = None, **filters) -> Iterator[dict]:
        """Yield each page of GET /bills ({"results": [...], "pagination": {...}}) in order.

        Stops after `pagination.max_page`, or after `max_pages` pages when given.
        Raises OpenStatesUnavailable / OpenStatesRejected.
        """
        page = 1
        while True:
            url = self.bills_url(page=page, **filters)
            data = self.get_json(
                url, headers={"X-API-KEY": self.api_key, "Accept": "application/json"}, timeout=self.timeout
            )
            results = data.get("results")
            pagination = data.get("pagination") or {}
            if not isinstance(results, list):
                raise OpenStatesUnavailable(f"page {page}: no results list in the answer")
            yield data
            last = pagination.get("max_page") or 1
            if page >= last or (max_pages and page >= max_pages):
                return
            page += 1
            if self.pause_seconds:
                time.sleep(self.pause_seconds)
