"""Forms of positions (proposal, sign-off decision, letters). They check shape only; services
enforce rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govrelations.positions.models import Position


def _style(form: forms.Form) -> None:
    """Plain Bootstrap classes (the forms are laid out in the templates)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"


class ProposeForm(forms.Form):
    stance = forms.ChoiceField(label=_("Position"), choices=Position.Stance.choices)
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("Published with the position once a supervisor approves it."),
    )
    reasons_es = forms.CharField(
        label=_("Reasons in Spanish"),
        widget=forms.Textarea(attrs={"rows": 5, "lang": "es"}),
        max_length=10000,
        required=False,
        help_text=_("Shown on the Spanish pages. Without it, they show the English text and say so."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SpanishReasonsForm(forms.Form):
    reasons_es = forms.CharField(
        label=_("Reasons in Spanish"),
        widget=forms.Textarea(attrs={"rows": 5, "lang": "es"}),
        max_length=10000,
        required=False,
        help_text=_("Shown on the Spanish pages. Without it, they show the English text and say so."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Required when you return the position."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LetterForm(forms.Form):
    committee = forms.CharField(label=_("Committee"), max_length=200)
    addressee = forms.CharField(label=_("Addressed to"), max_length=200, initial=_("The Honorable Chair and Members"))
    sent_on = forms.DateField(
        label=_("Date sent"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("If sent already."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LetterSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Date sent"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
