"""Residents' forms of the Community Prosecution Unit. They check shape only; the services
decide everything else."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import MultipleCleanImageField, email_field, name_field, phone_field
from jcr.core.geocoding import address_input_attrs
from jcr.core.text import text_later
from prosecution.concerns.models import MAX_PHOTOS, Concern
from prosecution.concerns.models_categories import Category, Question

QUESTION_PREFIX = "q_"
TRACKING_CODE_RE = re.compile(r"[^A-Z0-9]")


def tracking_code_normalize(value: str) -> str:
    """What a resident types ("acd3-fg7h ") as the stored code ("ACD3FG7H")."""
    return TRACKING_CODE_RE.sub("", (value or "").upper())


class CategoryChooseForm(forms.Form):
    """Step 1 of a report: the kind of concern (a GET form, so the choice is a plain link)."""

    category = forms.ModelChoiceField(
        label=_("What is the concern about?"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the kind of concern."),
            "invalid_choice": _("Choose one of the kinds of concern listed."),
        },
    )


def _question_field(question: Question) -> forms.Field:
    common = {"label": question.label, "required": question.required, "help_text": question.help_label}
    kind = question.datatype
    if kind == Question.Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if kind == Question.Datatype.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=2, widget=forms.NumberInput(), **common)
    if kind == Question.Datatype.DATETIME:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
            **common,
        )
    if kind == Question.Datatype.SINGLE:
        return forms.ChoiceField(choices=question.option_choices(), widget=forms.RadioSelect, **common)
    if kind == Question.Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=question.option_choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=300, **common)


def _answer_value(value):
    """A cleaned answer as JSON (the Open311 attribute value)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class _ConcernFields(forms.Form):
    """The fields of a report and their shape checks; ConcernForm adds the abuse checks on
    top, so a form with a mistake is corrected without counting against the rate limit."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("What is the problem?"),
        help_text=_("Describe what you see. Please do not write names of people or other personal details."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    address = forms.CharField(
        label=_("Address or place"),
        help_text=_("A street address, a corner (for example 5th and J) or a landmark."),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)
    when_happens = forms.ChoiceField(
        label=_("When does it happen?"),
        choices=Concern.When.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    photos = MultipleCleanImageField(
        label=_("Photos (optional)"),
        help_text=text_later(
            lambda: (
                _("Up to %(max)d photos, JPEG, PNG or WebP. We remove the location and camera details from them.")
                % {"max": MAX_PHOTOS}
            )
        ),
        max_files=MAX_PHOTOS,
        required=False,
    )
    contact_name = name_field(label=_("Your name (optional)"), required=False)
    contact_email = email_field(
        label=_("Your e-mail (optional)"),
        help_text=_("We send the tracking code and news of your report to this address."),
        required=False,
    )
    contact_phone = phone_field()
    language = forms.ChoiceField(
        label=_("Language for messages about this report"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, category: Category, questions: list[Question], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.category = category
        self.questions = questions
        self.fields["address"].widget.attrs.update(address_input_attrs())
        # The category's questions come right after the description, in their order.
        ordered = {}
        for name, field in self.fields.items():
            ordered[name] = field
            if name == "description":
                for question in questions:
                    ordered[QUESTION_PREFIX + question.code] = _question_field(question)
        self.fields = ordered

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            cleaned["latitude"] = cleaned["longitude"] = None
            latitude = longitude = None
        if "address" in cleaned and not cleaned.get("address", "").strip() and latitude is None:
            self.add_error("address", _("Give an address or place, so we know where the problem is."))
        return cleaned

    def answers(self) -> dict:
        """The answers to the category questions, by question code (empty ones left out)."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(QUESTION_PREFIX + question.code)
            if value in (None, "", []):
                continue
            result[question.code] = _answer_value(value)
        return result

    def location(self) -> tuple[float, float] | None:
        """The (latitude, longitude) the resident gave, read from the submitted data without
        validating the whole form (for "is it one of these?")."""
        try:
            latitude = float(self.data.get("latitude", ""))
            longitude = float(self.data.get("longitude", ""))
        except (TypeError, ValueError):
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None
        return latitude, longitude


class ConcernForm(ProtectedFormMixin, _ConcernFields):
    """Step 2 of a report: the concern itself, with the category's own questions."""

    abuse_scope = "concern_submit"
    abuse_email_field = "contact_email"


class _AddInfoFields(forms.Form):
    text = forms.CharField(
        label=_("What else should we know?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    photos = MultipleCleanImageField(
        label=_("More photos (optional)"),
        help_text=text_later(lambda: _("A report can have at most %(max)d photos in all.") % {"max": MAX_PHOTOS}),
        max_files=MAX_PHOTOS,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("photos"):
            self.add_error("text", _("Write something or add a photo."))
        return cleaned


class ConcernAddInfoForm(ProtectedFormMixin, _AddInfoFields):
    """The resident adds information (and photos) to their report."""

    abuse_scope = "concern_update"
    abuse_email_field = None


class ConcernNotFixedForm(ProtectedFormMixin, forms.Form):
    """The resident says a resolved or closed concern is not fixed."""

    abuse_scope = "concern_update"
    abuse_email_field = None

    text = forms.CharField(
        label=_("What is still wrong?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class TrackFindForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        help_text=_("The 8 letters and numbers you received when you sent your report, for example ACD3FG7H."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = tracking_code_normalize(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter your tracking code."))
        return code


class ProsecutorLookupForm(forms.Form):
    """ "Who is my community prosecutor?": a GET form taking an address (looked up by the view),
    a point (placed on the map or typed) or a district chosen from the list."""

    address = forms.CharField(
        label=_("Your address"),
        help_text=_("A street address in the county, for example 1200 J St."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    area = forms.ChoiceField(label=_("Your police district or neighborhood"), required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("For example 38.5816"),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        help_text=_("For example -121.4944"),
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Choose a district")), *[(a.slug, a.name) for a in areas]]
        self.fields["address"].widget.attrs.update(address_input_attrs())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if cleaned.get("area"):
            return cleaned
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude."), code="incomplete")
        if latitude is None and not cleaned.get("address", "").strip():
            raise forms.ValidationError(
                _("Type your address, choose your district or place a pin on the map."), code="required"
            )
        return cleaned
