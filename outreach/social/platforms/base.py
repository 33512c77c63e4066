"""What every platform client shares: errors, the result, an httpx client, and the mapping
of HTTP answers to transient (retry later) or permanent (fail now) errors."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx
from django.utils import timezone

TIMEOUT = httpx.Timeout(20.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(300.0, connect=10.0)

_shared_lock = threading.Lock()
_shared: dict[int, httpx.Client] = {}


def shared_http() -> httpx.Client:
    """One HTTP client per process (a worker's deliveries reuse its TLS context and its
    kept-alive connections; building a client costs tens of milliseconds). A forked child
    builds its own."""
    pid = os.getpid()
    client = _shared.get(pid)
    if client is None:
        with _shared_lock:
            client = _shared.get(pid)
            if client is None:
                _shared.clear()
                client = _shared[pid] = httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    return client


class PlatformError(Exception):
    pass


class PlatformUnavailable(PlatformError):
    """Transient: a timeout, a connection error, a 5xx or a 429. Retry later."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PlatformRejected(PlatformError):
    """Permanent: the platform refused the post (validation, permissions). Do not retry."""


class TokenExpired(PlatformRejected):
    """401: the channel's token is expired or revoked. Staff must reconnect the account."""


@dataclass(frozen=True)
class Image:
    name: str
    data: bytes
    alt: str
    url: str = ""
    content_type: str = "image/jpeg"


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    url: str = ""


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(data, dict):
        for key in ("error_description", "message", "detail", "error", "title"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message") or str(value)
            if value:
                return str(value)[:500]
        errors = data.get("errors")
        if errors:
            return str(errors)[:500]
    return str(data)[:500]


def raise_for(response: httpx.Response) -> None:
    """Turn an unsuccessful answer into the error the publishing engine understands."""
    if response.is_success:
        return
    status = response.status_code
    text = f"HTTP {status}: {_message(response)}"
    if status == 429:
        raise PlatformUnavailable(text, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if status >= 500:
        raise PlatformUnavailable(text, retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    if status == 401:
        raise TokenExpired(text)
    raise PlatformRejected(text)


class BaseClient:
    platform = ""

    def __init__(self, channel, *, http: httpx.Client | None = None):
        self.channel = channel
        self.base = channel.api_base
        self.credentials = channel.credentials_get()
        self._http = http

    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = shared_http()
        return self._http

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            response = self.http().request(method, url, **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise PlatformUnavailable(f"{type(exc).__name__}: {exc}") from exc
        raise_for(response)
        return response

    def token(self, key: str = "access_token") -> str:
        value = self.credentials.get(key, "")
        if not value:
            raise TokenExpired(f"No {key} is stored for this channel.")
        return value

    def bearer(self, key: str = "access_token") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(key)}"}

    def publish(self, *, text: str, images: list[Image], post, delivery=None) -> PublishResult:
        """Publish once: one call that creates the post (uploads before it create nothing public)."""
        raise NotImplementedError
