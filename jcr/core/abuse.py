"""Protection for public forms: a honeypot, a minimum fill time and rate limits.

    class ConcernForm(ProtectedFormMixin, forms.Form):
        abuse_scope = "concern_submit"      # a key of JCR_RATE_LIMITS, also used in the logs
        abuse_email_field = "email"         # the field counted per e-mail (None: per IP only)

The mixin adds two fields a person never deals with:

* `website`, the honeypot: a text input inside a block that is visually hidden by a CSS class
  (`.jcr-extra-field`, static/css/portal.css), `aria-hidden`, out of the tab order and without
  autocomplete, labelled "Leave this field empty" for anyone who still meets it. The widget
  counts as hidden, so every renderer (crispy, allauth's field elements, `{{ form }}`) prints
  it without a second label. Bots that fill every input fill it.
* `form_ts`, a signed timestamp (django.core.signing, salted per scope): the form must have been
  open for JCR_FORM_MIN_FILL_SECONDS and at most JCR_FORM_MAX_AGE_HOURS. A missing, forged or
  expired value is refused; when the form is shown again a fresh value is rendered, so the
  resident's next try works.

When those pass and the form has no other error, the submission is counted against the
scope's rate limits (per IP and per e-mail address, JCR_RATE_LIMITS), and refused with "try
again in N minutes" above the limit. Every refusal is a form error (nothing is saved) and a
warning on the "jcr.abuse" logger with the form, the reason and the client IP.

Counting uses fixed windows in the cache (Redis in production): `cache.add(key, 0, window)`
then `cache.incr(key)`. When the cache cannot be reached the submission is allowed and the
failure logged: an outage of Redis must never lose a resident's report.

Tests post a valid timestamp with `form_timestamp(scope=..., seconds_ago=60)`.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jcr.core.context import current

log = logging.getLogger("jcr.abuse")

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_ts"

MESSAGES = {
    "honeypot": _(
        "We could not accept this form because a field that must stay empty was filled in. "
        "Please check your answers and send it again."
    ),
    "too_fast": _("This form was sent too quickly after it was opened. Please check your answers and send it again."),
    "invalid": _("This form could not be checked, perhaps because it is out of date. Please send it again."),
    "expired": _("This form was open for a long time. Please check your answers and send it again."),
    "rate_limited": ngettext_lazy(
        "Too many submissions came from your connection or e-mail address. Please try again in %(minutes)d minute.",
        "Too many submissions came from your connection or e-mail address. Please try again in %(minutes)d minutes.",
        "minutes",
    ),
}


# --- Rate-limit settings ------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LIMIT = re.compile(r"^(?P<count>[1-9]\d*)/(?P<mult>[1-9]\d*)?(?P<unit>[smhd])/(?P<key>ip|email)$")
_SCOPE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class RateLimit:
    count: int  # submissions allowed ...
    seconds: int  # ... per window of this length ...
    key: str  # ... per "ip" or per "email"


@lru_cache(maxsize=256)
def parse_rate_limit(spec: str) -> tuple[RateLimit, ...]:
    """Parse "10/h/ip,5/h/email" (count/[n]unit/key, unit s, m, h or d; "15/10m/ip" is 15 per
    10 minutes). "off" means no limit. Raises ImproperlyConfigured on anything else."""
    spec = spec.strip()
    if spec == "off":
        return ()
    limits = []
    for item in spec.split(","):
        match = _LIMIT.match(item.strip())
        if not match:
            raise ImproperlyConfigured(
                f"bad rate limit {item.strip()!r} in {spec!r}: expected COUNT/[N]UNIT/KEY such as 10/h/ip or "
                "5/15m/email (UNIT one of s, m, h, d; KEY ip or email), or off"
            )
        seconds = int(match["mult"] or 1) * _UNITS[match["unit"]]
        limits.append(RateLimit(count=int(match["count"]), seconds=seconds, key=match["key"]))
    return tuple(limits)


def parse_rate_limits(value: str | Mapping[str, str]) -> dict[str, str]:
    """Read "scope=spec;scope=spec" (the JCR_RATE_LIMITS environment variable) or a mapping
    of scope -> spec; check every spec. Returns {scope: spec}. Raises ImproperlyConfigured."""
    if isinstance(value, str):
        pairs = {}
        for part in filter(None, (p.strip() for p in value.split(";"))):
            scope, sep, spec = part.partition("=")
            if not sep:
                raise ImproperlyConfigured(f"bad rate limit entry {part!r}: expected scope=spec, e.g. signup=10/h/ip")
            pairs[scope.strip()] = spec.strip()
        value = pairs
    for scope, spec in value.items():
        if not _SCOPE.match(scope):
            raise ImproperlyConfigured(f"bad rate limit scope {scope!r}: lower-case letters, digits and _")
        parse_rate_limit(spec)
    return dict(value)


def rate_limits_for(scope: str) -> tuple[RateLimit, ...]:
    try:
        spec = settings.JCR_RATE_LIMITS[scope]
    except KeyError:
        raise ImproperlyConfigured(f"no rate limit for scope {scope!r}: add it to JCR_RATE_LIMITS") from None
    return parse_rate_limit(spec)


# --- Rate-limit service ---------------------------------------------------------------------


def _digest(value: str) -> str:
    """Cache keys never hold an address in clear."""
    return salted_hmac("jcr.abuse.rate-limit", value).hexdigest()[:32]


def _count(key: str, window_seconds: int) -> int:
    try:
        cache.add(key, 0, timeout=window_seconds)
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def rate_limit_check(*, scope: str, ip: str | None, email: str | None) -> int:
    """Count one submission for `scope` from `ip` and `email` (either may be None: not
    counted). Returns 0 when it is within every limit, otherwise the seconds until the
    window that refused it ends. Fails open: when the cache cannot be reached it logs and
    returns 0."""
    limits = rate_limits_for(scope)
    email = (email or "").strip().lower() or None
    now = time.time()
    retry_after = 0.0
    refused_by = []
    for limit in limits:
        value = ip if limit.key == "ip" else email
        if not value:
            continue
        window = int(now // limit.seconds)
        key = f"rl:{scope}:{limit.key}:{limit.seconds}:{_digest(value)}:{window}"
        try:
            count = _count(key, limit.seconds)
        except Exception:
            log.warning("rate limit not checked (cache unavailable): scope=%s ip=%s", scope, ip, exc_info=True)
            return 0
        if count > limit.count:
            refused_by.append(f"{limit.count}/{limit.seconds}s/{limit.key}")
            retry_after = max(retry_after, (window + 1) * limit.seconds - now)
    if refused_by:
        log.warning("rate limit hit: scope=%s ip=%s limits=%s", scope, ip, ",".join(refused_by))
    return math.ceil(retry_after)


def rate_limit_hit(*, scope: str, ip: str | None, email: str | None) -> bool:
    """Count one submission; True when it goes over one of the scope's limits."""
    return rate_limit_check(scope=scope, ip=ip, email=email) > 0


# --- Timestamp -----------------------------------------------------------------------------


def _salt(scope: str) -> str:
    return f"jcr.abuse.form-ts.{scope}"


def form_timestamp(*, scope: str, seconds_ago: float = 0) -> str:
    """A signed "this form was shown at" value for `scope`, `seconds_ago` in the past.
    Forms render it themselves; tests post it."""
    # Rounded down: a value rounded up would lie a fraction of a millisecond in the future.
    return signing.dumps(math.floor((time.time() - seconds_ago) * 1000) / 1000, salt=_salt(scope))


def form_timestamp_age(*, scope: str, value: str) -> float:
    """Seconds since `value` was made. Raises signing.BadSignature when it is missing,
    forged or from another scope."""
    shown_at = signing.loads(value or "", salt=_salt(scope))
    if not isinstance(shown_at, int | float):
        raise signing.BadSignature("not a timestamp")
    return time.time() - shown_at


def _timestamp_problem(*, scope: str, value: str) -> str | None:
    try:
        age = form_timestamp_age(scope=scope, value=value)
    except signing.BadSignature:
        return "invalid"
    if age < settings.JCR_FORM_MIN_FILL_SECONDS:
        return "too_fast"
    if age > settings.JCR_FORM_MAX_AGE_HOURS * 3600:
        return "expired"
    return None


class FormTimestampField(forms.CharField):
    """The hidden signed timestamp. Shown again after an error, it keeps a good value (the time
    keeps running from the first display) and replaces a bad one with a fresh value."""

    widget = forms.HiddenInput

    def __init__(self, *, scope: str, **kwargs):
        self.scope = scope
        super().__init__(required=False, initial=lambda: form_timestamp(scope=scope), **kwargs)

    def bound_data(self, data, initial):
        if data and _timestamp_problem(scope=self.scope, value=data) in (None, "too_fast"):
            return data
        return initial


class HoneypotInput(forms.TextInput):
    """A text input a person never sees, in its own hidden, labelled block."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "tabindex": "-1", **(attrs or {})})

    @property
    def is_hidden(self) -> bool:  # renderers print it without a visible label
        return True

    def render(self, name, value, attrs=None, renderer=None):
        attrs = attrs or {}
        input_id = attrs.get("id") or f"id_{name}"
        html = super().render(name, value, {**attrs, "id": input_id}, renderer)
        return format_html(
            '<div class="jcr-extra-field" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            input_id,
            _("Leave this field empty"),
            html,
        )


class HoneypotField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, label=_("Leave this field empty"), widget=HoneypotInput, **kwargs)

    def bound_data(self, data, initial):
        return ""  # never echo what a bot typed


class ProtectedFormMixin:
    """Honeypot + minimum fill time + rate limits for a public form (see the module docstring).

    Put it first in the bases. `abuse_scope` must be a key of JCR_RATE_LIMITS.
    """

    abuse_scope: str = ""
    abuse_email_field: str | None = "email"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.abuse_scope:
            raise ImproperlyConfigured(f"{type(self).__name__} needs an abuse_scope")
        self.fields[HONEYPOT_FIELD] = HoneypotField()
        self.fields[TIMESTAMP_FIELD] = FormTimestampField(scope=self.abuse_scope)

    def abuse_client_ip(self) -> str | None:
        """The client's IP (set by RequestContextMiddleware for the current request)."""
        return current.get().ip

    def _abuse_refuse(self, reason: str, **params) -> None:
        log.warning(
            "public form refused: form=%s scope=%s reason=%s ip=%s",
            type(self).__name__,
            self.abuse_scope,
            reason,
            self.abuse_client_ip(),
        )
        self.add_error(None, ValidationError(MESSAGES[reason], code=reason, params=params or None))

    def clean(self):
        # The bot checks come first, whatever else is wrong with the form.
        if self.data.get(self.add_prefix(HONEYPOT_FIELD)):
            self._abuse_refuse("honeypot")
        elif problem := _timestamp_problem(
            scope=self.abuse_scope, value=self.data.get(self.add_prefix(TIMESTAMP_FIELD), "")
        ):
            self._abuse_refuse(problem)
        cleaned = super().clean()
        if self.errors:  # refused above, or an honest mistake the resident corrects without being counted
            return cleaned
        email = cleaned.get(self.abuse_email_field) if self.abuse_email_field and cleaned else None
        retry_after = rate_limit_check(scope=self.abuse_scope, ip=self.abuse_client_ip(), email=email)
        if retry_after:
            self._abuse_refuse("rate_limited", minutes=max(1, math.ceil(retry_after / 60)))
        return cleaned
