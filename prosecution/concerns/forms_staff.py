"""Forms of the staff side of neighborhood concerns. They check shape only; the services
enforce the rules."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.accounts.models import User
from jcr.core.models import Area
from prosecution.concerns.models import Concern, ResponseTemplate
from prosecution.concerns.models_categories import Category


def _person_label(user: User) -> str:
    return user.full_name or user.email


CHECKBOXES = ("overdue", "text_review")


class QueueFilterForm(forms.Form):
    """The triage queue's filters (GET). Every field is optional; an invalid value is ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words of the description, the address or an internal note, or a tracking code."),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Concern.Priority.choices]
    )
    age = forms.ChoiceField(
        label=_("Received"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("day", _("In the last day")),
            ("week", _("1 to 7 days ago")),
            ("month", _("7 to 30 days ago")),
            ("older", _("More than 30 days ago")),
        ],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue (a service-level deadline passed)"), required=False)
    text_review = forms.BooleanField(label=_("Only those whose text awaits review"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("due", _("What next: due date (overdue first), then priority")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )

    def __init__(self, *args, areas: list[Area], categories: list[Category], people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._areas = {str(a.public_id): a for a in areas}
        self._categories = {c.code: c for c in categories}
        self._people = {str(u.public_id): u for u in people}
        self.fields["area"].choices = [
            ("", _("All areas")),
            *[(key, f"{a.name} ({a.get_kind_display()})") for key, a in self._areas.items()],
            ("none", _("Not in any area")),
        ]
        self.fields["category"].choices = [
            ("", _("All categories")),
            *[(code, c.label) for code, c in self._categories.items()],
        ]
        self.fields["status"].choices = [("", _("All open")), *Concern.Status.choices, ("all", _("All"))]
        # Rendered with plain Bootstrap classes, not crispy: the queue is the busiest staff page.
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name in CHECKBOXES else "form-select"
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})
        self.fields["assignee"].choices = [
            ("", _("Anyone or no one")),
            ("mine", _("Me")),
            ("unassigned", _("No one (unassigned)")),
            *[(key, _person_label(u)) for key, u in self._people.items()],
        ]

    def filters(self) -> dict:
        """The cleaned filters for triage.concern_queue (invalid fields are left out)."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value not in ("", None)}
        if "area" in data and data["area"] != "none":
            data["area"] = self._areas[data["area"]]
        if "category" in data:
            data["category"] = self._categories[data["category"]]
        if data.get("assignee") not in (None, "mine", "unassigned"):
            data["assignee"] = self._people[data["assignee"]]
        return data


class StatusForm(forms.Form):
    """A status change with an optional public update, drawn from a response template when one
    is chosen (the template's text in the resident's language is used when the text is left
    empty; static/js/concern-status-form.js fills it in as soon as a template is picked)."""

    template = forms.ChoiceField(
        label=_("Response template"),
        required=False,
        help_text=_("Leave the public update empty to send the template's text in the resident's language."),
    )
    status = forms.ChoiceField(label=_("New status"), choices=Concern.Status.choices)
    public_text = forms.CharField(
        label=_("Public update"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The resident sees this on their tracking page and receives it by e-mail. No personal details."),
    )
    close_reason = forms.ChoiceField(
        label=_("Reason for resolving or closing"),
        required=False,
        choices=[
            ("", _("— Choose when resolving or closing —")),
            *[(v, label) for v, label in Concern.CloseReason.choices if v != Concern.CloseReason.DUPLICATE],
        ],
        help_text=_("Required when the status is Resolved or Closed. Duplicates: use “Merge into another concern”."),
    )
    close_detail = forms.CharField(
        label=_("More about the reason (staff only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, templates: list[ResponseTemplate] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [
            ("", _("No template")),
            *[
                (key, f"{t.title} ({t.get_status_display()})" if t.status else t.title)
                for key, t in self._templates.items()
            ],
        ]
        if not self._templates:
            del self.fields["template"]

    def clean(self):
        data = super().clean()
        if data.get("status") in Concern.CLOSED_STATUSES and not data.get("close_reason"):
            self.add_error("close_reason", _("Give a reason for closing."))
        return data

    def chosen_template(self) -> ResponseTemplate | None:
        key = self.cleaned_data.get("template")
        return self._templates[key] if key else None


class MergeForm(forms.Form):
    original_code = forms.CharField(
        label=_("Tracking code of the original concern"),
        max_length=20,
        help_text=_("This concern is closed as its duplicate; the resident is pointed to the original."),
    )
    detail = forms.CharField(
        label=_("Note for the original (staff only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff only: never shown to the resident or the public."),
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        here = _("works this area")
        self.fields["assignee"].choices = [
            ("", _("No one (unassigned)")),
            *[
                (key, f"{_person_label(u)} — {here}" if getattr(u, "in_area", False) else _person_label(u))
                for key, u in self._people.items()
            ],
        ]

    def chosen(self) -> User | None:
        key = self.cleaned_data.get("assignee")
        return self._people[key] if key else None


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Concern.Priority.choices)


BULK_ACTIONS = [
    ("assign", _("Assign")),
    ("status", _("Change status")),
    ("priority", _("Set priority")),
]


class BulkActionForm(forms.Form):
    """An action on the concerns selected in the queue (POST). Each concern is then checked on
    its own by services_queue.concerns_bulk_apply."""

    concerns = forms.TypedMultipleChoiceField(label=_("Concerns"), coerce=str)
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("— Choose an action —")), *BULK_ACTIONS])
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", _("— Choose —")), *Concern.Status.choices]
    )
    close_reason = StatusForm.base_fields["close_reason"]
    public_text = forms.CharField(
        label=_("Message to each reporter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Sent to every reporter who gave an e-mail address, in place of a public update. No personal details."
        ),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("— Choose —")), *Concern.Priority.choices]
    )

    def __init__(self, *args, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self.fields["assignee"].choices = [
            ("", _("No one (unassigned)")),
            *[(key, _person_label(u)) for key, u in self._people.items()],
        ]
        # Any well-formed id is accepted here; the service keeps only those the person may see.
        self.fields["concerns"].valid_value = lambda value: True

    def clean_concerns(self):
        try:
            return [uuid.UUID(value) for value in self.cleaned_data["concerns"]]
        except ValueError:
            raise forms.ValidationError(_("Select concerns from the list.")) from None

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        if action == "status" and data.get("status") in Concern.CLOSED_STATUSES and not data.get("close_reason"):
            self.add_error("close_reason", _("Give a reason for closing."))
        if action == "priority" and not data.get("priority"):
            self.add_error("priority", _("Choose the priority."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        action = data["action"]
        if action == "assign":
            return {"assignee": self._people[data["assignee"]] if data.get("assignee") else None}
        if action == "priority":
            return {"priority": data["priority"]}
        return {
            "status": data["status"],
            "public_text": data.get("public_text", ""),
            "close_reason": data.get("close_reason", ""),
        }
