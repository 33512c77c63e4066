"""Forms of the community dialogues. They check shape only; the services decide eligibility,
duplicates and the window."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field, name_field, phone_field
from jcr.core.geocoding import address_input_attrs
from outreach.dialogues.models import DialogueApplication, ParticipantGroup


class _ApplicationFields(forms.Form):
    district = forms.ChoiceField(
        label=_("Your police district"),
        help_text=_(
            "The district where you live. Each district meets once; you take part in your own district's session. "
            "Leave it empty and we find it from your address."
        ),
        required=False,
    )
    group = forms.ChoiceField(
        label=_("The group you would represent"),
        choices=ParticipantGroup.choices,
        widget=forms.RadioSelect,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (youth seats only)"),
        help_text=_("Needed only for a youth seat: youth participants are 18 to 25 on the day of the session."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
    )
    name = name_field()
    email = email_field(
        help_text=_("We write to you here about your application and, if you are selected, where the session meets."),
    )
    phone = phone_field()
    address = forms.CharField(
        label=_("Your home address"),
        help_text=_("Only staff see it, to confirm that you live in the district."),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.FloatField(
        label=_("Latitude of your home (optional)"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude of your home (optional)"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our messages"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    commits_to_learning = forms.BooleanField(label=_("I am open to learning from one another."))
    commits_to_research = forms.BooleanField(
        label=_("I am prepared to research and ask questions on issues of concern.")
    )
    commits_to_problem_solving = forms.BooleanField(
        label=_("I commit to a process of collaborative problem solving and option creation.")
    )

    def __init__(self, *args, districts=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.districts = {area.slug: area for area in districts}
        self.fields["district"].choices = [("", _("Choose your district")), *[(a.slug, a.name) for a in districts]]
        self.fields["address"].widget.attrs.update(address_input_attrs())
        for name in ("commits_to_learning", "commits_to_research", "commits_to_problem_solving"):
            self.fields[name].error_messages["required"] = _("Participants accept each of the three commitments.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") == ParticipantGroup.YOUTH and not cleaned.get("date_of_birth"):
            self.add_error("date_of_birth", _("Give your date of birth for a youth seat."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned

    def chosen_district(self):
        return self.districts.get(self.cleaned_data.get("district"))


class DialogueApplicationForm(ProtectedFormMixin, _ApplicationFields):
    abuse_scope = "dialogue_apply"
    abuse_email_field = "email"


class DialogueRespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (kept in the history)"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApplicationFilterForm(forms.Form):
    district = forms.ChoiceField(label=_("District"), required=False)
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All groups")), *ParticipantGroup.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *DialogueApplication.Status.choices]
    )
    q = forms.CharField(label=_("Name, e-mail or id"), required=False, max_length=100)

    def __init__(self, *args, districts: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All districts")), *districts]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ConfirmForm(forms.Form):
    """Re-confirmation of a consequential action: the person types the series' slug."""

    confirm = forms.CharField(label=_("Type the series' short name to confirm"), max_length=80)

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.fields["confirm"].help_text = _("The short name is: %(slug)s") % {"slug": expected}
        self.fields["confirm"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.expected:
            raise forms.ValidationError(_("That is not the series' short name."))
        return value
