"""Forms of the unit's media pages. They check shape only; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field, name_field, phone_field
from outreach.media.models import LANGUAGE_CHOICES, MediaInquiry, NewsletterIssue


class MediaInquiryForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "media_inquiry"
    abuse_email_field = "email"

    name = name_field(max_length=200)
    outlet = forms.CharField(
        label=_("News outlet"),
        max_length=200,
        help_text=_("The newspaper, station, publication or site you work for, or “freelance”."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = email_field(label=_("E-mail"))
    phone = phone_field(label=_("Phone"), help_text=_("Optional. For a quick call back before your deadline."))
    deadline = forms.DateTimeField(
        label=_("Your deadline"),
        required=False,
        help_text=_("Optional. Date and time, for example 2026-05-04 17:00."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, help_text=_("A case, a program, a policy…"))
    question = forms.CharField(label=_("Your question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.now() - timezone.timedelta(hours=1):
            raise forms.ValidationError(_("This deadline has already passed."))
        return deadline


class NewsletterSubscribeForm(ProtectedFormMixin, forms.Form):
    abuse_scope = "newsletter_subscribe"
    abuse_email_field = "email"

    email = email_field(label=_("E-mail"))
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )


class InquiryUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MediaInquiry.Status.choices)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(p.pk): p for p in people}
        people_choices = [(key, p.full_name or p.email) for key, p in self._people.items()]
        self.fields["assignee"].choices = [("", _("Nobody")), *people_choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean_assignee(self):
        return self._people.get(self.cleaned_data.get("assignee") or "")


class InquiryNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class NewsletterIssueForm(forms.ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = ["language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "language": _("The issue goes to the confirmed subscribers of this language."),
            "body": _("Plain text. Each message ends with the subscriber's own unsubscribe link."),
        }


class NewsletterSendForm(forms.Form):
    """The last step before an issue goes to the whole list."""

    confirm = forms.BooleanField(
        label=_("I have checked the preview and a test message: send this issue to every subscriber listed above."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that the issue may go to the whole list.")},
    )
