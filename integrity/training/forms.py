"""Forms of training and MCLE. They check shape only; the services decide the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.training.models import CreditCategory, MCLEProfile, TrainingSession
from jcr.core.uploads import image_validate_and_clean, pdf_is_sound


class ComplianceFilterForm(forms.Form):
    """The compliance view's filters (a GET form)."""

    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label=_("Standing"),
        required=False,
        choices=[("", _("Everyone")), ("short", _("Short of hours")), ("compliant", _("Compliant"))],
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups")), *[(g.number, str(g)) for g in groups]]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"group_number": self.cleaned_data.get("group"), "state": self.cleaned_data.get("state") or ""}


class AttendanceForm(forms.Form):
    """The people (ids) JTI staff mark as having attended."""

    attendees = forms.TypedMultipleChoiceField(label=_("Attended"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(p.pk, str(p)) for p in people]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provider = forms.CharField(label=_("MCLE provider"), max_length=200, required=False)

    def __init__(self, *args, course=None, **kwargs):
        if course is not None:  # editing: the course's values, its credits per category
            kwargs.setdefault(
                "initial",
                {
                    "title": course.title,
                    "description": course.description,
                    "provider": course.provider,
                    "is_active": course.is_active,
                    **{f"hours_{c.category}": c.hours for c in course.credits.all()},
                },
            )
        super().__init__(*args, **kwargs)
        for value, label in CreditCategory.choices:
            self.fields[f"hours_{value}"] = forms.DecimalField(
                label=_("%(category)s hours") % {"category": label},
                required=False,
                min_value=Decimal("0"),
                max_digits=5,
                decimal_places=2,
            )
        if course is not None:
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active (new sessions can be scheduled)"), required=False
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            )

    def credits(self) -> dict:
        return {value: self.cleaned_data.get(f"hours_{value}") for value, _label in CreditCategory.choices}


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = TrainingSession
        fields = ["starts_at", "ends_at", "presenter", "location", "online_url", "capacity", "credit_format"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("location") and not cleaned.get("online_url"):
            raise forms.ValidationError(_("Give a place or an online link."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to those registered (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Sent with the cancellation notice, e.g. the reason or a new date."),
    )


class MCLERecordForm(forms.ModelForm):
    """A person's State Bar record, as the coordinator reads it in the State Bar's attorney
    search (never inferred from the person's name)."""

    class Meta:
        model = MCLEProfile
        fields = ["status", "bar_number", "admitted_on"]
        widgets = {"admitted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bar_number"].help_text = _("Digits only, as on the State Bar's attorney profile.")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


def certificate_check(uploaded) -> dict:
    """An uploaded certificate, checked by its content: a PDF (strictly parsed, no HTML) or a
    JPEG/PNG photo (re-encoded without metadata). Returns content, content type and extension."""
    max_bytes = settings.JCR_UPLOAD_MAX_BYTES
    if uploaded.size > max_bytes:
        raise forms.ValidationError(
            _("The certificate is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}
        )
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if data.startswith(b"%PDF-"):
        if not pdf_is_sound(data):
            raise forms.ValidationError(_("This PDF could not be read safely: scan or save it again."))
        return {"content": data, "content_type": "application/pdf", "extension": "pdf"}
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        uploaded.seek(0)
        image = image_validate_and_clean(uploaded, max_bytes=max_bytes)
        if image.format in ("JPEG", "PNG"):
            return {"content": image.content, "content_type": image.content_type, "extension": image.extension}
    raise forms.ValidationError(_("Upload the certificate as a PDF, JPEG or PNG file."))


class ExternalCreditForm(forms.Form):
    """Credit earned elsewhere, from the certificate. No hours: the most the minutes allow."""

    provider = forms.CharField(label=_("MCLE provider"), max_length=200)
    course_title = forms.CharField(label=_("Course"), max_length=200)
    earned_on = forms.DateField(label=_("Date attended"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(
        label=_("Minutes attended"),
        min_value=15,
        max_value=24 * 60,
        help_text=_("The credit is at most these minutes rounded down to the quarter hour (rule 2.51(D))."),
    )
    category = forms.ChoiceField(label=_("Category or subfield"), choices=CreditCategory.choices)
    hours = forms.DecimalField(
        label=_("Credit hours on the certificate"),
        required=False,
        min_value=Decimal("0.25"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Leave empty to record the most the minutes allow."),
    )
    self_study = forms.TypedChoiceField(
        label=_("Format"),
        coerce=lambda v: v == "self_study",
        choices=[("participatory", _("Participatory")), ("self_study", _("Self-study"))],
        initial="participatory",
    )
    certificate = forms.FileField(
        label=_("Certificate (optional)"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean_earned_on(self):
        earned_on = self.cleaned_data["earned_on"]
        if earned_on > timezone.localdate():
            raise forms.ValidationError(_("The date attended cannot be in the future."))
        return earned_on

    def clean_certificate(self):
        uploaded = self.cleaned_data.get("certificate")
        return certificate_check(uploaded) if uploaded else None
