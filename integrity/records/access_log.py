"""The access log of the confidential records, as the JTI Chief reads it: every record
opened, list or search read, export and refused attempt (the `integrity.record.*` entries of
jcr.core.AuditEntry written by integrity/records/access.py), filtered by person, kind of record,
record, action and date."""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from integrity.records.access import DENIED, EXPORT, LIST, LOOKUP, VIEW
from integrity.records.models import Allegation, Claim
from jcr.core.models import AuditEntry

# What the page filters on, in the order it offers them.
ACTIONS = {
    VIEW: _("Record opened"),
    LIST: _("List or search read"),
    EXPORT: _("Export"),
    DENIED: _("Refused"),
    LOOKUP: _("Officer lookup"),
}
LOOKUP_ANSWERS = {
    "entry": _("entry found: told to contact JTI"),
    "none": _("no entry found"),
    "invalid": _("not answered: incomplete name or badge"),
    "rate_limited": _("not answered: too many lookups"),
}
KINDS = {
    "integrity.allegation": _("Misconduct allegation"),
    "integrity.claim": _("Wrongful-conviction claim"),
    "integrity.testingrequest": _("Testing request"),
    "integrity.disclosureentry": _("Disclosure index entry"),
    "integrity.disclosurelog": _("Disclosure by case"),
}
DENIED_REASONS = {
    "permission": _("no permission"),
    "walled": _("conflict wall"),
    "not_found": _("no such record"),
    "reauth": _("sign-in too old"),
    "legal_hold": _("legal hold (deletion, disposition or anonymisation refused)"),
}
# The page's own reads are logged under this kind.
ACCESS_LOG_TYPE = "integrity.accesslog"


class AccessLogFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (e-mail)"), required=False, max_length=254)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False, choices=[("", _("All")), *KINDS.items()])
    record = forms.CharField(
        label=_("Record"),
        required=False,
        max_length=64,
        help_text=_("A receipt number or the record's id from its address."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *ACTIONS.items()])
    date_from = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def _record_ids(record: str) -> list[str]:
    """The public ids `record` names: itself when it is one, else the records whose receipt
    number it is (allegations and claims carry one)."""
    try:
        return [str(uuid.UUID(record))]
    except ValueError:
        pass
    ids = [
        str(pid)
        for model in (Allegation, Claim)
        for pid in model.objects.filter(receipt_number__iexact=record).values_list("public_id", flat=True)
    ]
    return ids or [record]


def access_log_entries(
    *, person: str = "", kind: str = "", record: str = "", action: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEntry]:
    """The access-log entries matching every filter given, newest first."""
    qs = AuditEntry.objects.filter(action__in=[f"integrity.record.{a}" for a in ACTIONS])
    if action in ACTIONS:
        qs = qs.filter(action=f"integrity.record.{action}")
    if person:
        qs = qs.filter(actor_label__icontains=person)
    if kind in KINDS:
        qs = qs.filter(object_type=kind)
    if record:
        qs = qs.filter(object_id__in=_record_ids(record))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def entry_row(entry: AuditEntry) -> dict:
    """What the page shows of one entry: the action and kind in words, and the details the
    access layer wrote (never a record's text: the log holds none)."""
    after = entry.after if isinstance(entry.after, dict) else {}
    action = entry.action.removeprefix("integrity.record.")
    details = {}
    if action == DENIED:
        details["reason"] = DENIED_REASONS.get(after.get("reason"), after.get("reason", ""))
    elif action == EXPORT:
        details["reason"] = after.get("reason", "")
    elif action == LOOKUP:
        details["reason"] = LOOKUP_ANSWERS.get(after.get("answer"), after.get("answer", ""))
    if "rows" in after:
        details["rows"] = after["rows"]
    return {
        "entry": entry,
        "action": ACTIONS.get(action, action),
        "kind": KINDS.get(entry.object_type, ""),
        "route": after.get("route", ""),
        "filters": after.get("filters") or {},
        "download": bool(after.get("download")),
        **details,
    }
