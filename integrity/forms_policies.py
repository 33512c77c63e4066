"""Staff forms of legal update bulletins and office policies."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from integrity.models_policies import Bulletin, Policy, PolicyVersion


class BulletinForm(forms.ModelForm):
    audience_groups = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The role groups that receive it when the audience is chosen units."),
    )

    related_bill_url = forms.URLField(
        label=_("Address of the related bill"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Bulletin
        fields = [
            "title", "summary", "summary_es", "body", "audience", "audience_groups", "related_policy",
            "related_bill", "related_bill_url",
        ]  # fmt: skip
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 14})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == Bulletin.Audience.UNITS and not cleaned.get("audience_groups"):
            self.add_error("audience_groups", _("Choose at least one unit, or send the bulletin to all deputies."))
        return cleaned


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["title", "title_es", "number", "slug", "is_public"]


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ["effective_on", "change_summary", "body"]
        widgets = {
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 18}),
        }
