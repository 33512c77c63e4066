"""Forms of the program catalogue and of presentation requests. They check shape only; the
services decide the rest (dates, states)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field, name_field, phone_field
from outreach.programs.models import Audience, Language, PresentationRequest, Program, preferred_dates_check


def language_choices():
    return [(code, label) for code, label in settings.LANGUAGES]


class ProgramFilterForm(forms.Form):
    """The filters of the program catalogue (a GET form)."""

    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=[("", _("Any")), *Audience.choices])
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), ("en", _("English")), ("es", _("Spanish"))]
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any")), *[(t.slug, t.label) for t in topics]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PresentationRequestForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "presentation_request"
    abuse_email_field = "contact_email"

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    organisation = forms.CharField(
        label=_("School, group or business"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = name_field()
    contact_email = email_field(help_text=_("We send the reference of your request and our answer to this address."))
    contact_phone = phone_field()
    audience = forms.ChoiceField(
        label=_("Who is the audience?"), choices=PresentationRequest.RequestAudience.choices, widget=forms.RadioSelect
    )
    audience_size = forms.IntegerField(label=_("About how many people?"), min_value=1, max_value=5000)
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("Another topic (describe it below)"),
    )
    topic = forms.CharField(
        label=_("Topic (if not one of our programs)"),
        max_length=200,
        required=False,
    )
    presentation_language = forms.ChoiceField(
        label=_("Language of the presentation"), choices=Language.choices, widget=forms.RadioSelect
    )
    date_1 = forms.DateField(label=_("First preferred date"), widget=forms.DateInput(attrs={"type": "date"}))
    date_2 = forms.DateField(label=_("Second preferred date"), widget=forms.DateInput(attrs={"type": "date"}))
    date_3 = forms.DateField(
        label=_("Third preferred date (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.CharField(
        label=_("Where would the presentation take place?"),
        help_text=_("The address, or “online”."),
        max_length=255,
    )
    notes = forms.CharField(
        label=_("Anything else we should know (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language for our e-mails"), choices=language_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].label_from_instance = lambda p: p.title_label

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("program") and not (cleaned.get("topic") or "").strip() and "topic" not in self.errors:
            self.add_error("topic", _("Choose a program or describe the topic you would like."))
        dates = [cleaned.get(f"date_{i}") for i in (1, 2, 3)]
        if cleaned.get("date_1") and cleaned.get("date_2"):
            try:
                preferred_dates_check(dates)
            except ValidationError as exc:
                self.add_error("date_1", exc)
        return cleaned

    def preferred_dates(self):
        return [d for d in (self.cleaned_data.get(f"date_{i}") for i in (1, 2, 3)) if d]


# --- Staff -----------------------------------------------------------------------------------


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    presenter = forms.ModelChoiceField(label=_("Presenter"), queryset=get_user_model().objects.none())

    def __init__(self, *args, presenters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = presenters if presenters is not None else get_user_model().objects.none()
        self.fields["presenter"].label_from_instance = lambda u: u.full_name or u.email

    def clean_scheduled_for(self):
        value = self.cleaned_data["scheduled_for"]
        if value <= timezone.now():
            raise ValidationError(_("Choose a date and time in the future."))
        return value


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class PresentationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *PresentationRequest.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
