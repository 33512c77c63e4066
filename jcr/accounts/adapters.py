"""allauth adapters: lockout on failed sign-in, resident-only sign-up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _

from jcr.accounts import services
from jcr.accounts.mfa_keys import mfa_decrypt, mfa_encrypt
from jcr.accounts.models import LoginFailure
from jcr.core.middleware import client_ip

LOCKED_MESSAGE = _(
    "This account is locked after too many failed sign-in attempts. Ask an administrator of the bureau to unlock it."
)


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        if services.account_is_locked(email=credentials.get("email", "")):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        locked = services.login_failure_record(
            email=credentials.get("email", ""), kind=LoginFailure.Kind.PASSWORD, ip=client_ip(request)
        )
        if locked:
            raise ValidationError(LOCKED_MESSAGE, code="locked")

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
