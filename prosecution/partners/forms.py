"""Forms of partner agencies, referrals and the "is it fixed?" answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.models import Area
from prosecution.concerns.models_categories import Category
from prosecution.partners.models import FollowUp, Partner


def person_label(user) -> str:
    return user.full_name or user.email


class Chooser(forms.Form):
    """A form whose choice fields are keyed by public ids of objects the view already loaded
    (no query while rendering)."""

    def _set(self, name: str, objects: dict, label, *, empty=None) -> None:
        choices = [("", empty)] if empty is not None else []
        self.fields[name].choices = [*choices, *[(key, label(obj)) for key, obj in objects.items()]]


class PartnerFilterForm(Chooser):
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


class ReferralForm(Chooser):
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


class FollowUpAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is the problem fixed?"),
        choices=FollowUp.Answer.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
