"""Forms of following a concern and of area alerts (public, protected against abuse)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field


class ConcernFollowForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "concern_follow"
    abuse_email_field = "email"

    email = email_field(
        label=_("Your e-mail"),
        help_text=_("We send a link to confirm it. We never show your address or pass it on."),
    )


class AreaAlertForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "area_alert"
    abuse_email_field = "email"

    email = email_field(
        label=_("Your e-mail"),
        help_text=_("We send a link to confirm it. You can unsubscribe from every message with one click."),
    )
