"""Forms of the confidential records: the public intake forms and the staff forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from integrity.records.attachments import MAX_ATTACHMENTS, attachment_validate
from integrity.records.models import Allegation, Claim, DisclosureEntry, EvidenceItem, TestingRequest
from integrity.records.selectors import officer_lookup_problem
from jcr.accounts import roles
from jcr.core.abuse import ProtectedFormMixin
from jcr.core.forms import email_field, name_field, phone_field
from jcr.core.text import text_later

ATTACHMENT_ACCEPT = "application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS files, each a PDF, JPEG or PNG checked by its content.
    `cleaned_data[name]` is a list of CleanAttachment. Errors name the file."""

    default_error_messages = {
        "too_many": ngettext_lazy(
            "You can attach at most %(max)d file; you chose %(count)d.",
            "You can attach at most %(max)d files; you chose %(count)d.",
            "max",
        ),
        "file_error": _("%(name)s: %(error)s"),
    }

    def __init__(self, *, max_files: int = MAX_ATTACHMENTS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_files, "count": len(files)}
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(attachment_validate(uploaded))
            except ValidationError as exc:
                for message in exc.messages:
                    errors.append(
                        ValidationError(
                            self.error_messages["file_error"],
                            code="file_error",
                            params={"name": getattr(uploaded, "name", "?"), "error": message},
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return cleaned


def _languages():
    return settings.LANGUAGES


class _AllegationFields(forms.Form):
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("Describe the conduct you are reporting: what, when and where, and who was involved."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    subject = forms.CharField(
        label=_("Person or office concerned (optional)"),
        max_length=200,
        required=False,
    )
    case_number = forms.CharField(
        label=_("Case number (optional)"),
        help_text=_("The court or office case number, if you know it."),
        max_length=60,
        required=False,
    )
    attachments = AttachmentsField(
        label=_("Documents or photos (optional)"),
        help_text=text_later(
            lambda: (
                _("Up to %(max)d files: PDF, JPEG or PNG, each at most %(size)s.")
                % {"max": MAX_ATTACHMENTS, "size": filesizeformat(settings.JCR_UPLOAD_MAX_BYTES)}
            )
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Stay anonymous"),
        help_text=_(
            "We will not record your name or phone. Give an e-mail only if you want the receipt and our answer."
        ),
        required=False,
    )
    name = name_field(label=_("Your name (optional)"), required=False)
    email = email_field(
        label=_("Your e-mail (optional)"),
        help_text=_("We send your receipt number and our response to this address."),
        required=False,
    )
    phone = phone_field()
    language = forms.ChoiceField(
        label=_("Language for messages about this report"),
        choices=_languages,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AllegationPublicForm(ProtectedFormMixin, _AllegationFields):
    abuse_scope = "misconduct_submit"
    abuse_email_field = "email"


class AllegationInternalForm(_AllegationFields):
    """Staff intake of an allegation received by phone, letter or in person."""


class ClaimPublicForm(ProtectedFormMixin, forms.Form):
    """The public claim form. The person convicted may write, or someone on their behalf (a
    family member, their lawyer, an innocence organization, someone else), who then gives
    their name, their relationship and how to reach them. Every answer is confidential."""

    abuse_scope = "claim_submit"
    abuse_email_field = "email"

    writer = forms.ChoiceField(
        label=_("Who is writing this claim?"), choices=Claim.Writer.choices, widget=forms.RadioSelect
    )
    writer_name = forms.CharField(
        label=_("Your name"),
        help_text=_("Required unless you are the person convicted."),
        max_length=150,
        required=False,
    )
    writer_relationship = forms.CharField(
        label=_("Your relationship to the person convicted"),
        help_text=_("For example: mother, lawyer, the name of your organization."),
        max_length=150,
        required=False,
    )
    claimant_name = forms.CharField(label=_("Name of the person convicted"), max_length=150)
    case_number = forms.CharField(label=_("Case number"), max_length=60)
    conviction_year = forms.IntegerField(
        label=_("Year of conviction (optional)"), min_value=1900, max_value=2100, required=False
    )
    summary = forms.CharField(
        label=_("Why is the conviction wrong?"),
        help_text=_("Tell us what new evidence or information shows the person did not commit the crime."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    contact = forms.CharField(
        label=_("How can we reach the person convicted?"),
        help_text=_(
            "A mailing address (for example at a correctional facility), a phone number or both. "
            "Required when the person convicted is writing."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    email = forms.EmailField(label=_("E-mail of the person convicted (optional)"), required=False)
    claimant_contact_preference = forms.ChoiceField(
        label=_("How does the person convicted prefer to be reached?"),
        choices=Claim.ContactPreference.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    writer_contact = forms.CharField(
        label=_("How can we reach you?"),
        help_text=_("A mailing address, a phone number or both."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    writer_email = forms.EmailField(label=_("Your e-mail (optional)"), required=False)
    writer_contact_preference = forms.ChoiceField(
        label=_("How do you prefer to be reached?"),
        choices=[c for c in Claim.ContactPreference.choices if c[0] != Claim.ContactPreference.WRITER],
        widget=forms.RadioSelect,
        required=False,
    )
    has_counsel = forms.BooleanField(label=_("The person has a lawyer for this claim"), required=False)
    counsel_name = forms.CharField(label=_("Lawyer's name (optional)"), max_length=150, required=False)
    wants_counsel_contact = forms.BooleanField(label=_("You may contact the lawyer about this claim"), required=False)
    consent_records = forms.BooleanField(
        label=_("I agree that the unit may review the court and case records of this conviction"),
        help_text=_("We need this to look into the claim."),
    )
    language = forms.ChoiceField(label=_("Language for our letters"), choices=_languages, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.data.get("writer") not in (None, "", Claim.Writer.SELF):
            # Someone writing for another: the per-e-mail limit counts the writer's address
            # (where the receipt goes).
            self.abuse_email_field = "writer_email"
        cleaned = super().clean()
        if cleaned.get("wants_counsel_contact") and not cleaned.get("has_counsel"):
            self.add_error("has_counsel", _("Tick this box if you want us to contact the lawyer."))
        writer = cleaned.get("writer")
        if writer == Claim.Writer.SELF:
            if not cleaned.get("contact", "").strip():
                self.add_error("contact", _("Tell us how we can reach you."))
            if cleaned.get("claimant_contact_preference") == Claim.ContactPreference.WRITER:
                self.add_error("claimant_contact_preference", _("You are writing yourself: choose another way."))
        elif writer:
            if not cleaned.get("writer_name", "").strip():
                self.add_error("writer_name", _("Enter your name (you are writing for someone else)."))
            if (
                writer in (Claim.Writer.FAMILY, Claim.Writer.OTHER)
                and not cleaned.get("writer_relationship", "").strip()
            ):
                self.add_error("writer_relationship", _("Tell us your relationship to the person convicted."))
            if not cleaned.get("writer_contact", "").strip() and not cleaned.get("writer_email"):
                self.add_error("writer_contact", _("Tell us how we can reach you: an address, a phone or an e-mail."))
            if cleaned.get("writer_contact_preference") == Claim.ContactPreference.EMAIL and not cleaned.get(
                "writer_email"
            ):
                self.add_error("writer_email", _("Enter your e-mail if you prefer to be reached by e-mail."))
        if cleaned.get("claimant_contact_preference") == Claim.ContactPreference.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("Enter the e-mail if the person convicted prefers to be reached by e-mail."))
        return cleaned


# --- Staff --------------------------------------------------------------------------------


class AllegationAdvanceForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Next step"), choices=Allegation.Status.choices)
    finding = forms.ChoiceField(label=_("Finding"), choices=[("", "—"), *Allegation.Finding.choices], required=False)
    finding_summary = forms.CharField(
        label=_("Finding summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    response_text = forms.CharField(
        label=_("Response to the complainant"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    note = forms.CharField(label=_("Note for the history"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CourtReferralForm(forms.Form):
    court = forms.CharField(label=_("Court"), max_length=200)
    referred_on = forms.DateField(label=_("Referred on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Court reference"), max_length=100, required=False)


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you exporting these records?"),
        help_text=_("Your reason is kept in the access log."),
        max_length=500,
        min_length=5,
    )


class SoftDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason for deleting"), max_length=500)


class RetentionForm(forms.Form):
    legal_hold = forms.BooleanField(
        label=_("Legal hold"),
        help_text=_("A record on legal hold is kept whatever its retention date and cannot be deleted."),
        required=False,
    )
    extended_until = forms.DateField(
        label=_("Extend retention until"),
        help_text=_("Only later than the schedule's date. Leave empty to follow the schedule."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    case_final_on = forms.DateField(
        label=_("Underlying case final on"),
        help_text=_("For schedules counted from the day the criminal case became final."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("Reason (required to extend)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisposalForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("dispose", _("Dispose")), ("anonymise", _("Anonymise"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
    confirm = forms.BooleanField(label=_("I confirm: this cannot be undone from the staff pages."))


def jti_members():
    return (
        get_user_model()
        .objects.filter(groups__name__in=[roles.JTI_STAFF, roles.JTI_CHIEF], is_active=True, is_staff=True)
        .distinct()
    )


class ClaimAssignForm(forms.Form):
    investigator = forms.ModelChoiceField(label=_("Investigator"), queryset=get_user_model().objects.none())

    def __init__(self, *args, claim: Claim | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = jti_members()
        if claim is not None:  # people walled off from the claim are not offered
            qs = qs.exclude(pk__in=claim.conflicted_users.values("pk"))
        self.fields["investigator"].queryset = qs.order_by("email")


class ClaimWallAddForm(forms.Form):
    """Staff who worked the original case (any member of staff: a wall set now holds if the
    person later joins the unit)."""

    user = forms.ModelChoiceField(
        label=_("Person who worked the original case"), queryset=get_user_model().objects.none()
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, claim: Claim | None = None, actor=None, wall_managers_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        qs = get_user_model().objects.filter(is_staff=True, is_active=True)
        if claim is not None:
            qs = qs.exclude(pk__in=claim.conflicted_users.values("pk"))
        if actor is not None:  # nobody walls themselves off
            qs = qs.exclude(pk=actor.pk)
        if wall_managers_only:  # for JTI Staff: only a JTI Chief's wall is theirs to propose
            holds = {"codename": "manage_conflict_wall", "content_type__app_label": "integrity"}
            qs = qs.filter(
                Q(is_superuser=True)
                | Q(**{f"groups__permissions__{k}": v for k, v in holds.items()})
                | Q(**{f"user_permissions__{k}": v for k, v in holds.items()})
            ).distinct()
        self.fields["user"].queryset = qs.order_by("full_name", "email")
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} <{u.email}>" if u.full_name else u.email


class ClaimWallRemoveForm(forms.Form):
    user = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for lifting the wall"), max_length=500, min_length=5)


class ClaimDisposeForm(forms.Form):
    # Nothing chosen until staff choose: the empty first choice is what the page shows.
    disposition = forms.ChoiceField(label=_("Disposition"), choices=[("", _("Choose…")), *Claim.Disposition.choices])
    letter = forms.CharField(
        label=_("Letter to the claimant"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ClaimReviewNoteForm(forms.Form):
    reviewer = forms.CharField(label=_("External reviewer"), max_length=150)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class TestingRequestForm(forms.ModelForm):
    """The response due date and its rule are computed from the service dates (Pen. Code
    § 1405, rules registry); staff never pick a rule nor type the date."""

    class Meta:
        model = TestingRequest
        fields = [
            "petitioner",
            "case_number",
            "court",
            "counsel",
            "served_ag_on",
            "served_da_on",
            "briefing_extension",
            "assigned_to",
        ]
        widgets = {
            "served_ag_on": forms.DateInput(attrs={"type": "date"}),
            "served_da_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"assigned_to": _("Reminders go to this prosecutor; to the JTI Chief when nobody is assigned.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_ag_on"].required = True
        self.fields["served_da_on"].required = True
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True, groups__name__in=[roles.JTI_STAFF, roles.JTI_CHIEF])
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["assigned_to"].label_from_instance = _person_label


def _person_label(user) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class TestingAssignForm(forms.Form):
    """The prosecutor who answers a testing request, among the JTI members no conflict wall
    keeps from it (the view passes them)."""

    person = forms.ModelChoiceField(
        label=_("Assigned prosecutor"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (reminders go to the JTI Chief)"),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model().objects.filter(pk__in=[p.pk for p in people]).order_by("full_name", "email")
        )
        self.fields["person"].label_from_instance = _person_label


class TestingContinuanceForm(forms.Form):
    """A continuance the court granted for good cause: the date the court set is typed as in
    its order (the only case where a typed date replaces the computed one)."""

    ordered_on = forms.DateField(label=_("Date of the court's order"), widget=forms.DateInput(attrs={"type": "date"}))
    response_due = forms.DateField(
        label=_("New response date set by the court"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cause = forms.CharField(
        label=_("Good cause"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The cause the court found, or the wording of its order."),
    )


class EvidenceItemForm(forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = ["description", "location", "custodian", "preservation"]


class DisclosureEntryForm(forms.ModelForm):
    class Meta:
        model = DisclosureEntry
        fields = ["officer_name", "badge_number", "agency", "basis", "supporting_documents", "officer_notified_on"]
        widgets = {"officer_notified_on": forms.DateInput(attrs={"type": "date"})}


class DisclosureLookupForm(forms.Form):
    """A prosecutor's question: does this officer have a disclosure index entry? Either the
    full name or the badge number, exactly (see `selectors.officer_lookup_problem`)."""

    name = forms.CharField(
        label=_("Officer's full name"),
        max_length=150,
        required=False,
        help_text=_("First and last name, as the officer's agency writes it."),
    )
    badge = forms.CharField(label=_("or badge number"), max_length=30, required=False)
    agency = forms.CharField(label=_("Agency (optional)"), max_length=150, required=False)

    def clean(self):
        data = super().clean()
        problem = officer_lookup_problem(name=data.get("name", ""), badge=data.get("badge", ""))
        if problem:
            raise forms.ValidationError(problem)
        return data
