"""`{{ entry|audit_verb }}`: a readable verb for an AuditEntry's action code
("integrity.record.view" -> "Opened", "training.session_change" -> "Changed"); when the last
word is not a known verb, the code's words ("concern public text")."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

VERBS = {
    "view": pgettext_lazy("audit entry", "Opened"),
    "change": pgettext_lazy("audit entry", "Changed"),
    "update": pgettext_lazy("audit entry", "Changed"),
    "create": pgettext_lazy("audit entry", "Created"),
    "add": pgettext_lazy("audit entry", "Added"),
    "delete": pgettext_lazy("audit entry", "Deleted"),
    "export": pgettext_lazy("audit entry", "Exported"),
    "list": pgettext_lazy("audit entry", "Listed"),
    "denied": pgettext_lazy("audit entry", "Was refused"),
    "approve": pgettext_lazy("audit entry", "Approved"),
    "submit": pgettext_lazy("audit entry", "Submitted"),
    "publish": pgettext_lazy("audit entry", "Published"),
    "send": pgettext_lazy("audit entry", "Sent"),
    "sent": pgettext_lazy("audit entry", "Sent"),
    "cancel": pgettext_lazy("audit entry", "Cancelled"),
    "schedule": pgettext_lazy("audit entry", "Scheduled"),
    "acknowledge": pgettext_lazy("audit entry", "Acknowledged"),
    "status": pgettext_lazy("audit entry", "Changed the status of"),
    "assign": pgettext_lazy("audit entry", "Assigned"),
    "merge": pgettext_lazy("audit entry", "Merged"),
    "login": pgettext_lazy("audit entry", "Signed in"),
    "logout": pgettext_lazy("audit entry", "Signed out"),
}


@register.filter
def audit_verb(entry) -> str:
    code = getattr(entry, "action", "") or ""
    verb = VERBS.get(code.rsplit(".", 1)[-1].rsplit("_", 1)[-1])
    return str(verb) if verb is not None else code.replace(".", " ").replace("_", " ")
