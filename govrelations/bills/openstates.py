"""A small client of the Open States API v3 (https://docs.openstates.org/api-v3/).

Only what the sync needs: GET /bills with its filters, every `include`, and pagination
(`page`, `per_page`, and the `pagination.max_page` the API answers with). It uses the standard
`httpx`; most tests replace `OpenStatesClient.get_json`, and one runs it against a local
server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
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
    """GET `url` and return its JSON object. Raises OpenStatesUnavailable for what may pass
    (network, timeout, 429, 5xx, a body that is not a JSON object) and OpenStatesRejected for
    the other HTTP errors (bad key, bad parameter)."""
    try:
        response = httpx.get(url, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise OpenStatesUnavailable(f"Open States unreachable: {exc}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise OpenStatesUnavailable(f"HTTP {response.status_code} from Open States")
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
