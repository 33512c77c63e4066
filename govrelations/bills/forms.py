"""Forms of the bills' staff pages (filters, tracking, comments, hearings, tasks). They check
shape only; services enforce rules. The position forms are in govrelations.positions.forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govrelations.bills.models import Bill, ImplementationTask, LegislativeSession, Subject
from govrelations.positions.models import Position


def _person_label(user) -> str:
    return user.full_name or user.email


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


class BillFilterForm(forms.Form):
    """The bill list's search and filters (GET). An invalid value is ignored."""

    q = forms.CharField(label=_("Search (number or words of the title)"), required=False, max_length=200)
    session = forms.ChoiceField(label=_("Session"), required=False)
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Bill.Status.choices])
    position = forms.ChoiceField(
        label=_("Position"),
        required=False,
        choices=[
            ("", _("Any position")),
            *Position.Stance.choices,
            ("pending", _("Awaiting sign-off")),
            ("none", _("No approved position")),
        ],
    )
    analyst = forms.ChoiceField(label=_("Analyst"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Bill.Priority.choices]
    )
    watched = forms.BooleanField(label=_("Only the watch list"), required=False)

    def __init__(self, *args, sessions: list[LegislativeSession], subjects: list[Subject], people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._sessions = {str(s.pk): s for s in sessions}
        self._subjects = {str(s.pk): s for s in subjects}
        self.fields["session"].choices = [("", _("All sessions")), *[(k, str(s)) for k, s in self._sessions.items()]]
        self.fields["subject"].choices = [("", _("All subjects")), *[(k, s.name) for k, s in self._subjects.items()]]
        self.fields["analyst"].choices = [
            ("", _("Anyone or no one")),
            ("mine", _("Me")),
            ("none", _("No one")),
            *[(str(u.public_id), _person_label(u)) for u in people],
        ]
        _style(self)

    def filters(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None, False)}
        if "session" in data:
            data["session"] = self._sessions[data["session"]]
        if "subject" in data:
            data["subject"] = self._subjects[data["subject"]]
        return data


class TrackForm(forms.Form):
    is_watched = forms.BooleanField(label=_("On the watch list"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[("", _("None")), *Bill.Priority.choices])
    analyst = forms.ChoiceField(label=_("Assigned analyst"), required=False)
    analysis_memo = forms.CharField(
        label=_("Internal analysis memo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Internal: never published."),
    )

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self.fields["analyst"].choices = [("", _("No one")), *[(k, _person_label(u)) for k, u in self._people.items()]]
        _style(self)

    def analyst_user(self):
        return self._people.get(self.cleaned_data.get("analyst") or "")


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Internal comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class HearingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    committee = forms.CharField(label=_("Committee"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ImplementationTask.Kind.choices)
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    integrity_url = forms.URLField(label=_("JTI record (link)"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(u.public_id): u for u in people}
        self.fields["owner"].choices = [("", _("No one")), *[(k, _person_label(u)) for k, u in self._people.items()]]
        _style(self)

    def owner_user(self):
        return self._people.get(self.cleaned_data.get("owner") or "")
