from __future__ import annotations

from allauth.account.forms import SignupForm
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jcr.accounts import services
from jcr.accounts.adapters import locked_message
from jcr.accounts.models import LoginFailure
from jcr.core.abuse import ProtectedFormMixin
from jcr.core.context import current


class ResidentSignupForm(ProtectedFormMixin, SignupForm):
    """allauth's sign-up form, protected like every public form: honeypot, minimum fill time,
    rate limits per IP and per e-mail address (scope "signup" of JCR_RATE_LIMITS)."""

    abuse_scope = "signup"


class LockoutAwareMFAAuthenticateForm(AuthenticateForm):
    """allauth's second-factor form: wrong codes (typed after the right password) count
    toward the account lock; a locked account is refused before the code is checked."""

    def clean_code(self):
        if lock := services.account_lock_active(email=self.user.email):
            raise ValidationError(locked_message(lock), code="locked")
        try:
            return super().clean_code()
        except ValidationError:
            lock = services.login_failure_record(
                email=self.user.email, kind=LoginFailure.Kind.SECOND_FACTOR, ip=current.get().ip
            )
            if lock is not None:
                raise ValidationError(locked_message(lock), code="locked") from None
            raise


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("New password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    groups = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=[("en", _("English")), ("es", _("Spanish"))]
    )

    def __init__(self, *args, actor, **kwargs):
        from django.contrib.auth.models import Group

        from jcr.accounts.selectors import groups_grantable_by

        super().__init__(*args, **kwargs)
        # Only the roles the inviting person may give (JTI roles go through JTI role grants).
        grantable = [g.pk for g in groups_grantable_by(actor=actor)]
        self.fields["groups"].queryset = Group.objects.filter(pk__in=grantable).order_by("name")
        self.fields["groups"].help_text = _(
            "Only roles whose permissions you hold yourself are offered. JTI roles are proposed under "
            "JTI role grants and confirmed by a second JTI Chief."
        )
