"""Forms of partners, referrals, problem-solving projects and the "is it fixed?" answer.
They check shape only; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area
from prosecution.models import Category, FollowUp, OwnerContact, Partner, Project


def _person_label(user) -> str:
    return user.full_name or user.email


class _Chooser(forms.Form):
    """A form whose choice fields are keyed by public ids of objects the view already loaded
    (no query while rendering)."""

    def _set(self, name: str, objects: dict, label, *, empty=None) -> None:
        choices = [("", empty)] if empty is not None else []
        self.fields[name].choices = [*choices, *[(key, label(obj)) for key, obj in objects.items()]]


class PartnerFilterForm(_Chooser):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    area = forms.ChoiceField(label=_("Jurisdiction"), required=False)
    category = forms.ChoiceField(label=_("Handles"), required=False)
    active = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("active", _("Active partners")), ("inactive", _("Inactive partners")), ("all", _("All"))],
    )

    def __init__(self, *args, areas: list[Area], categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self._areas = {str(a.public_id): a for a in areas}
        self._categories = {c.code: c for c in categories}
        self.fields["kind"].choices = [("", _("All kinds")), *Partner.Kind.choices]
        self._set("area", self._areas, lambda a: f"{a.name} ({a.get_kind_display()})", empty=_("All areas"))
        self._set("category", self._categories, lambda c: c.label, empty=_("All categories"))
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None)}
        if "area" in data:
            data["area"] = self._areas[data["area"]]
        if "category" in data:
            data["category"] = self._categories[data["category"]]
        data.setdefault("active", "active")
        return data


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Partner.Kind.choices)
    jurisdiction = forms.CharField(
        label=_("Jurisdiction"), required=False, max_length=200, help_text=_("In words, e.g. unincorporated county.")
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas where it acts"),
        queryset=Area.objects.order_by("kind", "name"),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to suggest this partner for referrals of concerns in these areas."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories of concern it handles"),
        queryset=Category.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    notes = forms.CharField(
        label=_("Notes (staff only)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PartnerContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role"), required=False, max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("Referrals are sent here."))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class ReferralForm(_Chooser):
    partner = forms.ChoiceField(label=_("Partner"))
    contact = forms.ChoiceField(
        label=_("Contact"), required=False, help_text=_("Leave empty to write to the partner's primary contact.")
    )
    message = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sent with the category, public text and address of the concern. "
            "The resident's name, e-mail and phone are never sent."
        ),
    )

    def __init__(self, *args, partners: list[dict], **kwargs):
        """`partners`: selectors.partner_suggestions, suggested first."""
        super().__init__(*args, **kwargs)
        suggested = _("suggested")
        self.fields["partner"].choices = [
            ("", _("Choose a partner")),
            *[(p["public_id"], f"{p['name']} — {suggested}" if p.get("suggested") else p["name"]) for p in partners],
        ]
        self.fields["contact"].choices = [
            ("", _("Primary contact")),
            *[
                (c["public_id"], f"{p['name']}: {c['name']}" + (f" ({c['role']})" if c["role"] else ""))
                for p in partners
                for c in p["contacts"]
                if c["has_email"]
            ],
        ]


class AddToProjectForm(_Chooser):
    project = forms.ChoiceField(label=_("Project"))

    def __init__(self, *args, projects: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        self._set("project", {str(p.public_id): p for p in projects}, lambda p: p.title, empty=_("Choose a project"))


class ProjectFilterForm(_Chooser):
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


class ProjectForm(_Chooser):
    title = forms.CharField(label=_("Title"), max_length=200)
    address = forms.CharField(label=_("Address or place"), required=False, max_length=255)
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
        self._set("owner", self._people, _person_label, empty=_("No one"))

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


class ProjectPartnerForm(_Chooser):
    partner = forms.ChoiceField(label=_("Partner"))
    role = forms.CharField(label=_("Role in the project"), required=False, max_length=200)

    def __init__(self, *args, partners: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Choose a partner")), *[(p["public_id"], p["name"]) for p in partners]]


class ProjectActionForm(_Chooser):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self._set("owner", self._people, _person_label, empty=_("No one yet"))

    def chosen_owner(self):
        return self._people.get(self.cleaned_data.get("owner") or "")


class OwnerContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("How"), choices=OwnerContact.Method.choices)
    contact_name = forms.CharField(label=_("Who (owner, landlord, manager)"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is the problem fixed?"),
        choices=FollowUp.Answer.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
