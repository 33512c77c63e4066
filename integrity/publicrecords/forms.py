"""Forms of public records requests: the public request form (abuse-protected), the status
lookup and the staff forms. Choices of unusual circumstances come from the extension rule in
force on the day the request was received."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.publicrecords.models import Exemption, GatheredRecord, PublicRecordsRequest, Release
from jcr.accounts import roles
from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field, name_field

TRACKING_CODE_RE = re.compile(r"[^A-Z0-9]")
DATE_INPUT = {"type": "date"}


def tracking_code_normalize(value: str) -> str:
    return TRACKING_CODE_RE.sub("", (value or "").upper())


class _RequestFields(forms.Form):
    description = forms.CharField(
        label=_("Which records are you asking for?"),
        help_text=_(
            "Describe the records as clearly as you can: what they are about, dates or a period, case numbers, "
            "names of documents. You do not have to say why you want them."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    preferred_format = forms.ChoiceField(
        label=_("How would you like the records?"),
        choices=PublicRecordsRequest.Format.choices,
        initial=PublicRecordsRequest.Format.ELECTRONIC,
        widget=forms.RadioSelect,
    )
    name = name_field(label=_("Your name (optional)"), required=False, max_length=200)
    email = email_field(
        label=_("Your e-mail (optional)"),
        help_text=_("Needed for updates: we send the receipt, any extension notice and our determination to it."),
        required=False,
    )
    contact = forms.CharField(
        label=_("Another way to reach you (optional)"),
        help_text=_("A phone number or a mailing address, for example when you want paper copies."),
        max_length=300,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language for messages about this request"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RequestPublicForm(ProtectedFormMixin, _RequestFields):
    abuse_scope = "public_records_request"
    abuse_email_field = "email"


class RequestStaffForm(_RequestFields):
    """A request received by e-mail, mail, phone or in person; the day received may be past."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in PublicRecordsRequest.Channel.choices if c[0] != PublicRecordsRequest.Channel.WEB],
    )
    received_on = forms.DateField(
        label=_("Received on"),
        help_text=_("The day the office received the request: the 10-day clock starts from it."),
        widget=forms.DateInput(attrs=DATE_INPUT),
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day received cannot be in the future."))
        return day


class StatusFindForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        help_text=_("The code you received when you sent your request, for example PRA3CD7FG9HK."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = tracking_code_normalize(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter your tracking code."))
        return code


def _staff_choices():
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name__in=[roles.JTI_STAFF, roles.JTI_CHIEF])
        .distinct()
        .order_by("email")
    )
    return users


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _staff_choices()


class NotesForm(forms.Form):
    search_notes = forms.CharField(
        label=_("Search notes"),
        help_text=_("Where you searched and what you found. Staff only: never shown to the requester."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )


class GatheredForm(forms.ModelForm):
    class Meta:
        model = GatheredRecord
        fields = ["title", "description", "pages"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class RedactionForm(forms.Form):
    record = forms.ModelChoiceField(label=_("Record"), queryset=GatheredRecord.objects.none())
    exemption = forms.ChoiceField(label=_("Exemption cited"), choices=Exemption.choices)
    description = forms.CharField(
        label=_("What is withheld and why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    withheld_in_full = forms.BooleanField(label=_("The whole record is withheld"), required=False)

    def __init__(self, *args, request: PublicRecordsRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].queryset = GatheredRecord.objects.filter(request=request)


class ExtensionForm(forms.Form):
    reason = forms.ChoiceField(label=_("Unusual circumstance"), choices=())
    explanation = forms.CharField(
        label=_("Reasons for the extension, as written in the notice"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    notice_on = forms.DateField(
        label=_("Written notice sent on"), widget=forms.DateInput(attrs=DATE_INPUT), initial=timezone.localdate
    )

    def __init__(self, *args, reasons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons


class DeterminationForm(forms.Form):
    determination = forms.ChoiceField(label=_("Determination"), choices=PublicRecordsRequest.Determination.choices)
    notice_on = forms.DateField(
        label=_("Notice sent on"), widget=forms.DateInput(attrs=DATE_INPUT), initial=timezone.localdate
    )
    reasons = forms.CharField(
        label=_("Reasons given to the requester"),
        help_text=_("Required when records are withheld: name the exemptions relied on."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    records_available_on = forms.DateField(
        label=_("Estimated date the records will be available"),
        help_text=_("Required when records are disclosable (Gov. Code § 7922.535(a))."),
        widget=forms.DateInput(attrs=DATE_INPUT),
        required=False,
    )


class ReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ["released_on", "scope", "method", "records_count", "note"]
        widgets = {"released_on": forms.DateInput(attrs=DATE_INPUT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["released_on"].initial = timezone.localdate


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Why it is closed"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("", _("All")), *PublicRecordsRequest.Status.choices],
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
