"""Forms of the staff side of neighborhood concerns. They check shape only; the services
enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jcr.accounts.models import User
from jcr.core.models import Area
from prosecution.models import Category, Concern


def _person_label(user: User) -> str:
    return user.full_name or user.email


class QueueFilterForm(forms.Form):
    """The triage queue's filters (GET). Every field is optional; an invalid value is ignored."""

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
    overdue = forms.BooleanField(label=_("Only overdue (not acknowledged in time)"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"), required=False, choices=[("newest", _("Newest first")), ("oldest", _("Oldest first"))]
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
            field.widget.attrs["class"] = "form-check-input" if name == "overdue" else "form-select"
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
    status = forms.ChoiceField(label=_("New status"), choices=Concern.Status.choices)
    public_text = forms.CharField(
        label=_("Public update"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The resident sees this on their tracking page and receives it by e-mail. No personal details."),
    )
    close_reason = forms.CharField(
        label=_("Reason for closing"),
        required=False,
        max_length=200,
        help_text=_("Required when the status is Closed, e.g. duplicate, not our responsibility, no further action."),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Concern.Status.CLOSED and not (data.get("close_reason") or "").strip():
            self.add_error("close_reason", _("Give a reason for closing."))
        return data


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
