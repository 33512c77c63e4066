"""What lets a resident change their own concern: possession, never a code others can see.

"Add information" and "It is not fixed" need one of
- a signed token from a link in the resident's e-mail (django.core.signing, salted per action,
  naming the concern; it expires after JCR_CONCERN_LINK_DAYS days), or
- a signed-in person whose verified e-mail address is the concern's contact address.

The tracking code only shows the concern's status: it is written down, read aloud and shared,
so it is not a key to change anything.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.urls import reverse

ADD_INFO = "add_info"
NOT_FIXED = "not_fixed"
ACTIONS = (ADD_INFO, NOT_FIXED)
URL_NAMES = {ADD_INFO: "prosecution:concern_add_info", NOT_FIXED: "prosecution:concern_not_fixed"}


def _signer(action: str) -> signing.TimestampSigner:
    if action not in ACTIONS:
        raise ValueError(f"unknown resident action {action!r}")
    return signing.TimestampSigner(salt=f"prosecution.concern.{action}")


def concern_action_token(*, concern, action: str) -> str:
    """A token that allows `action` on `concern` (and nothing else) for JCR_CONCERN_LINK_DAYS."""
    return _signer(action).sign(str(concern.public_id))


def concern_action_token_valid(*, concern, action: str, token: str) -> bool:
    """Whether `token` was made for `action` on this concern and has not expired."""
    if not token:
        return False
    try:
        value = _signer(action).unsign(token, max_age=timedelta(days=settings.JCR_CONCERN_LINK_DAYS))
    except signing.BadSignature:  # forged, for another action, or expired (SignatureExpired)
        return False
    return value == str(concern.public_id)


def concern_action_url(*, concern, action: str) -> str:
    """The path of the page where the resident does `action`, with its token."""
    path = reverse(URL_NAMES[action], kwargs={"tracking_code": concern.tracking_code})
    return f"{path}?{urlencode({'token': concern_action_token(concern=concern, action=action)})}"


def concern_action_links(*, concern) -> dict[str, str]:
    """The signed paths a resident's e-mail carries: add information always, "not fixed" once
    the concern is resolved or closed."""
    links = {ADD_INFO: concern_action_url(concern=concern, action=ADD_INFO)}
    if not concern.is_open:
        links[NOT_FIXED] = concern_action_url(concern=concern, action=NOT_FIXED)
    return links


def concern_reported_by(*, user, concern) -> bool:
    """Whether the signed-in `user` reported `concern`: a verified e-mail address of theirs is
    the concern's contact address."""
    if not getattr(user, "is_authenticated", False) or not concern.contact_email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=concern.contact_email, verified=True).exists()


def concern_resident_may(*, request, concern, action: str, token: str) -> bool:
    """Whether this request may do `action` on `concern` (a valid token, or its reporter)."""
    return concern_action_token_valid(concern=concern, action=action, token=token) or concern_reported_by(
        user=request.user, concern=concern
    )
