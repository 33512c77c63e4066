"""Forms of problem-solving projects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.geocoding import address_input_attrs
from jcr.core.models import Area
from prosecution.partners.forms import Chooser, person_label
from prosecution.projects.models import OwnerContact, Project


class AddToProjectForm(Chooser):
    project = forms.ChoiceField(label=_("Project"))

    def __init__(self, *args, projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        self._set("project", {str(p.public_id): p for p in projects}, lambda p: p.title, empty=_("Choose a project"))


class ProjectFilterForm(Chooser):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    mine = forms.BooleanField(label=_("Only projects I own"), required=False)

    def __init__(self, *args, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self._areas = {str(a.public_id): a for a in areas}
        self.fields["stage"].choices = [("", _("Any stage but closed")), *Project.Stage.choices, ("all", _("All"))]
        self._set("area", self._areas, lambda a: f"{a.name} ({a.get_kind_display()})", empty=_("All areas"))
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name == "mine" else "form-select"

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None, False)}
        if "area" in data:
            data["area"] = self._areas[data["area"]]
        return data


class ProjectForm(Chooser):
    title = forms.CharField(label=_("Title"), max_length=200)
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=255,
        help_text=_("Without a latitude and longitude, the address is placed on the map when it is found."),
    )
    parcel_number = forms.CharField(label=_("Parcel number (APN)"), required=False, max_length=40)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    response_started_on = forms.DateField(
        label=_("Response started on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Outcome measures compare the concerns before this date with those after it."),
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    public_summary = forms.CharField(
        label=_("Summary for the public"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public project page when the project is public. No personal details."),
    )
    analysis = forms.CharField(
        label=_("Internal analysis"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Staff only."),
    )
    is_public = forms.BooleanField(
        label=_("Public project page"),
        required=False,
        help_text=_("Never for a project with a concern of a sensitive category."),
    )

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self._set("owner", self._people, person_label, empty=_("No one"))
        self.fields["address"].widget.attrs.update(address_input_attrs())

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = self._people.get(data.get("owner") or "")
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Project.Stage.choices)


class ProjectConcernForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code of the concern"), max_length=12, help_text=_("For example ACDE3479.")
    )

    def clean_tracking_code(self):
        return "".join(self.cleaned_data["tracking_code"].split()).upper()


class ProjectPartnerForm(Chooser):
    partner = forms.ChoiceField(label=_("Partner"))
    role = forms.CharField(label=_("Role in the project"), required=False, max_length=200)

    def __init__(self, *args, partners: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Choose a partner")), *[(p["public_id"], p["name"]) for p in partners]]


class ProjectActionForm(Chooser):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self._set("owner", self._people, person_label, empty=_("No one yet"))

    def chosen_owner(self):
        return self._people.get(self.cleaned_data.get("owner") or "")


class OwnerContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("How"), choices=OwnerContact.Method.choices)
    contact_name = forms.CharField(label=_("Who (owner, landlord, manager)"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
