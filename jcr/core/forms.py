"""Form fields every unit shares: photo uploads checked by jcr.core.uploads.

    class ConcernForm(ProtectedFormMixin, forms.Form):     # jcr.core.abuse
        abuse_scope = "concern_submit"
        photos = MultipleCleanImageField(label=_("Photos"), max_files=5, required=False)

`form.cleaned_data["photos"]` is then a list of `CleanImage` (already re-encoded, metadata
removed, random names); the service stores each with `jcr.core.uploads.image_store`.
A browser cannot refill a file input, so a form sent back with errors asks for the photos
again; every other field keeps what the resident typed.

Every text field of every form (ours, the admin's, allauth's) is cleaned once, in
`CharField.to_python`: `text_field_install` (run by the core app at start-up) makes it drop
control characters and lone surrogates (jcr.core.text). A form cannot opt out by accident, and
there is no second, per-form list of fields to keep in step.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jcr.core.text import text_clean
from jcr.core.uploads import ACCEPT, image_validate_and_clean

_char_field_to_python = forms.CharField.to_python


def text_field_to_python(self: forms.CharField, value):
    """Django's CharField.to_python, then `text_clean`: multi-line for a Textarea (tab and line
    breaks stay), single-line otherwise. Passwords are left as typed: they are never shown or
    serialised, and changing them would change the credential."""
    value = _char_field_to_python(self, value)
    if not isinstance(value, str) or not value or isinstance(self.widget, forms.PasswordInput):
        return value
    value = text_clean(value, multiline=isinstance(self.widget, forms.Textarea))
    if self.strip:
        value = value.strip()
    return value if value else self.empty_value


def text_field_install() -> None:
    """Make every forms.CharField (and its subclasses: e-mail, URL, slug...) clean its text.
    Idempotent; called from CoreConfig.ready()."""
    forms.CharField.to_python = text_field_to_python


class CleanImageField(forms.FileField):
    """One photo (JPEG, PNG or WebP), verified by decoding. `cleaned_data[name]` is a
    `CleanImage` (or None when optional and empty). Limits default to the settings."""

    def __init__(self, *, max_bytes: int | None = None, max_pixels: int | None = None, **kwargs):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def to_python(self, data):
        uploaded = super().to_python(data)  # Django's checks: a file was sent, it has a name, it is not empty
        if uploaded is None:
            return None
        return image_validate_and_clean(uploaded, max_bytes=self.max_bytes, max_pixels=self.max_pixels)


class MultipleImageInput(forms.ClearableFileInput):
    """A file input that lets the resident choose several files (Django's documented pattern)."""

    allow_multiple_selected = True


class MultipleCleanImageField(CleanImageField):
    """Up to `max_files` photos, each checked like `CleanImageField`. `cleaned_data[name]` is a
    list of `CleanImage` (empty when optional and none were sent). Errors name the file they
    are about, so the resident knows which photo to replace."""

    default_error_messages = {
        "too_many": ngettext_lazy(
            "You can send at most %(max)d photo; you chose %(count)d.",
            "You can send at most %(max)d photos; you chose %(count)d.",
            "max",
        ),
        "file_error": _("%(name)s: %(error)s"),
    }

    def __init__(self, *, max_files: int = 5, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:  # before decoding any of them
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_files, "count": len(files)}
            )
        single_clean = super().clean
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(single_clean(uploaded, initial))
            except ValidationError as exc:
                name = getattr(uploaded, "name", "") or "?"
                for message in exc.messages:
                    errors.append(
                        ValidationError(
                            self.error_messages["file_error"],
                            code="file_error",
                            params={"name": name, "error": message},
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return cleaned


# --- Contact fields -----------------------------------------------------------------------
# The name, e-mail and phone a resident, a journalist or an organiser gives us, alike on every
# form: the browser's autofill hints, a phone keypad on mobiles, the same lengths as the
# models' fields. Labels and help texts are the form's own.

YOUR_NAME = _("Your name")
YOUR_EMAIL = _("Your e-mail")
YOUR_PHONE_OPTIONAL = _("Your phone (optional)")


def name_field(*, label=YOUR_NAME, required: bool = True, max_length: int = 150, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        **kwargs,
    )


def email_field(*, label=YOUR_EMAIL, required: bool = True, **kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=label, required=required, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **kwargs
    )


def phone_field(*, label=YOUR_PHONE_OPTIONAL, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        **kwargs,
    )
