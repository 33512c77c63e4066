"""Staff forms of legal update bulletins and office policies."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from integrity.policies import selectors
from integrity.policies.models import Bulletin, Policy, PolicyVersion


class BulletinForm(forms.ModelForm):
    audience_groups = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The role groups that receive it when the audience is chosen units."),
    )

    # A bill of Government Relations' tracker, typed by its identifier (the watched bills are
    # offered as suggestions); resolved to the record in clean_bill.
    bill = forms.CharField(
        label=_("Related bill"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "bill-options", "autocomplete": "off"}),
        help_text=_(
            "A bill in Government Relations' tracker: type its identifier, e.g. SB 1234, or SB 1234 (20252026) "
            "when several sessions have it."
        ),
    )
    policies = forms.ModelMultipleChoiceField(
        label=_("Related policies"),
        queryset=Policy.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_reference_url = forms.URLField(
        label=_("Address of the other reference"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Bulletin
        fields = [
            "title", "summary", "summary_es", "body", "audience", "audience_groups", "bill", "policies",
            "other_reference", "other_reference_url",
        ]  # fmt: skip
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.bill_id:
            self.initial["bill"] = str(self.instance.bill)
        self._bill_options = None

    @property
    def bill_options(self) -> list:
        """Suggestions for the bill field (one query, read once)."""
        if self._bill_options is None:
            self._bill_options = selectors.bill_suggestions()
        return self._bill_options

    def clean_bill(self):
        return selectors.bill_find(self.cleaned_data.get("bill") or "")

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
