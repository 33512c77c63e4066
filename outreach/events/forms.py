"""Forms of events and registrations. They check shape only; the services decide the rest
(seats, states)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from outreach.programs.forms import language_choices


class EventFilterForm(forms.Form):
    """The calendar's filters (a GET form), shared by the list and month views."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), ("en", _("English")), ("es", _("Spanish"))]
    )

    def __init__(self, *args, topics=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any")), *[(t.slug, t.label) for t in topics]]
        self.fields["area"].choices = [("", _("Any")), *[(a.slug, a.name) for a in areas]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class RegistrationForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "event_register"
    abuse_email_field = "email"

    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send your confirmation, the reminders and the link to cancel to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language for our e-mails"), choices=language_choices)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        help_text=_("For example an interpreter, captions, seating or a wheelchair space."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegistrationLinkForm(ProtectedFormMixin, forms.Form):
    """ "Resend my registration link": the answer is the same whether the address is registered."""

    abuse_scope = "event_link_resend"
    abuse_email_field = "email"

    email = forms.EmailField(
        label=_("The e-mail address you registered with"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


# --- Staff -----------------------------------------------------------------------------------


class EventCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the registrants (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class EventCapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=100000,
        help_text=_(
            "Seats added go first to the wait list, in the order people joined it. The capacity cannot go below "
            "the confirmed seats (plus reserved seats)."
        ),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class EventMessageForm(forms.Form):
    SEGMENTS = [
        ("all", _("Everyone registered (confirmed and wait list)")),
        ("confirmed", _("Confirmed registrants only")),
        ("waitlisted", _("The wait list only")),
    ]

    segment = forms.ChoiceField(label=_("Send to"), choices=SEGMENTS, widget=forms.RadioSelect)
    subject = forms.CharField(
        label=_("Subject"), max_length=150, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        help_text=_("Plain text. Each person also gets the event's title and date and the link to their registration."),
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )
