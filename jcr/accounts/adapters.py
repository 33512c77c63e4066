"""allauth adapters: sign-in throttle and lockout, resident-only sign-up."""

from __future__ import annotations

import logging
import math

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import resolve_url
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jcr.accounts import services
from jcr.accounts.mfa_keys import mfa_decrypt, mfa_encrypt
from jcr.accounts.models import LoginFailure
from jcr.core.middleware import client_ip

log = logging.getLogger("jcr.abuse")

THROTTLED_MESSAGE = ngettext_lazy(
    "Too many failed sign-in attempts came from your connection. Please try again in %(minutes)d minute.",
    "Too many failed sign-in attempts came from your connection. Please try again in %(minutes)d minutes.",
    "minutes",
)
LOCKED_MESSAGE = _(
    "This account is locked until %(until)s after repeated wrong second-factor codes. We have sent "
    "its owner an e-mail about it. An administrator of the bureau can unlock it sooner."
)


def throttled_message(minutes: int) -> str:
    return THROTTLED_MESSAGE % {"minutes": minutes}


def locked_message(lock) -> str:
    until = formats.date_format(timezone.localtime(lock.expires_at), "DATETIME_FORMAT")
    return LOCKED_MESSAGE % {"until": until}


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Refuse, before the password is checked, an attempt the throttle holds back."""
        ip = client_ip(request)
        wait = services.login_throttle_retry_after(email=credentials.get("email", ""), ip=ip)
        if wait:
            log.warning("sign-in throttled: ip=%s retry_after=%ss", ip, wait)
            raise ValidationError(throttled_message(max(1, math.ceil(wait / 60))), code="throttled")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        """A locked account is told so only after the right password: a stranger learns
        nothing, and the second-factor step is never reached."""
        user = super().authenticate(request, **credentials)
        if user is not None and (lock := services.account_lock_active(email=user.email)):
            raise ValidationError(locked_message(lock), code="locked")
        return user

    def authentication_failed(self, request, **credentials):
        services.login_failure_record(
            email=credentials.get("email", ""), kind=LoginFailure.Kind.PASSWORD, ip=client_ip(request)
        )

    def get_client_ip(self, request):
        """allauth's rate limits and recorded sessions use the portal's one client address."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_login_redirect_url(self, request):
        """Staff land on their dashboard, residents on their own submissions."""
        if not request.user.is_staff:
            return resolve_url("accounts:my_submissions")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        _send_mail_through_queue(self, template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        # Sign-up is for residents only: staff are invited by an administrator.
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    """Second-factor secrets are stored encrypted with JCR_MFA_KEY (jcr.accounts.mfa_keys)."""

    def encrypt(self, text: str) -> str:
        return mfa_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_decrypt(encrypted_text)


def _send_mail_through_queue(adapter, template_prefix, email, context):
    """allauth renders its message; the portal's queue stores and sends it, so sign-in mail
    is a row with a status like every other e-mail."""
    from django.utils import translation

    from jcr.core.services import email_message_queue

    message = adapter.render_mail(template_prefix, email, context)
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    email_message_queue(
        to=email,
        subject=message.subject,
        body_text=message.body,
        body_html=html,
        language=translation.get_language() or "en",
        template=template_prefix,
    )
