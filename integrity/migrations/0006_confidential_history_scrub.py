"""History of confidential records keeps field names, never values (issue: an administrator read
allegation findings, claimants, petitioners and Brady entries in Admin -> Audit entries).

For every audit entry about a confidential record already stored: `before` is emptied and
`after` keeps only the names of the fields (plus the kind of step, a row count, and the
reason of a read or an export); `object_repr` is rewritten where it named a person (testing
requests named the petitioner, index entries the officer, attachments their file name,
evidence items their description). The admin's own history (django_admin_log) of those
records loses the same names. E-mails already queued about a confidential record are marked
confidential.

core_auditentry is append-only (a trigger, core migration 0002): the trigger is switched off
for this one UPDATE, inside the migration's transaction, and switched on again.
"""

import uuid

from django.db import migrations

CONFIDENTIAL = (
    "integrity.allegation",
    "integrity.allegationattachment",
    "integrity.courtreferral",
    "integrity.recordstep",
    "integrity.recorddeadline",
    "integrity.claim",
    "integrity.claimscreening",
    "integrity.externalreviewnote",
    "integrity.testingrequest",
    "integrity.evidenceitem",
    "integrity.courtorder",
    "integrity.disclosureentry",
    "integrity.disclosurelog",
)
KEPT = {"step", "rows", "created", "attachment", "download"}
ACCESS_REASON_ACTIONS = ("view", "export")


def fields_only(action, before, after):
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    if set(after) <= KEPT | {"fields", "reason"} and not before and "fields" in after:
        return None, after  # already in the new shape
    fields = sorted({str(k) for k in before | after} - KEPT - {"reason"})
    kept = {k: v for k, v in after.items() if k in KEPT}
    if action.rsplit(".", 1)[-1] in ACCESS_REASON_ACTIONS and "reason" in after:
        kept["reason"] = after["reason"]
    if not fields and not kept:
        return None, None
    return None, ({"fields": fields} if fields else {}) | kept


def _find(model, object_id):
    """The row an audit entry (public id) or an admin log row (pk) names."""
    try:
        return model.objects.filter(public_id=uuid.UUID(str(object_id))).first()
    except ValueError:
        return model.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None


def neutral_repr(apps, object_type, object_id, current):
    """The new `__str__` of the models whose old one named a person (English: a migration
    has no request language)."""
    if object_type == "integrity.testingrequest":
        row = _find(apps.get_model("integrity", "TestingRequest"), object_id)
        return f"PC 1405 request {row.case_number}" if row else "PC 1405 request"
    if object_type == "integrity.disclosureentry":
        row = _find(apps.get_model("integrity", "DisclosureEntry"), object_id)
        return f"Index entry {str(row.public_id)[:8]}" if row else "Index entry"
    if object_type == "integrity.allegationattachment":
        return f"Attachment {object_id}"
    if object_type == "integrity.evidenceitem":
        return f"Evidence item {object_id}"
    if object_type == "integrity.externalreviewnote":
        return f"Review note {object_id}"
    return current


def scrub_audit(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
    for entry in AuditEntry.objects.filter(object_type__in=CONFIDENTIAL).iterator():
        before, after = fields_only(entry.action, entry.before, entry.after)
        object_repr = neutral_repr(apps, entry.object_type, entry.object_id, entry.object_repr)
        if (before, after, object_repr) != (entry.before, entry.after, entry.object_repr):
            AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after, object_repr=object_repr[:200])
    if postgres:
        schema_editor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")


def scrub_admin_log(apps, schema_editor):
    import json

    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {
        ct.pk: f"{ct.app_label}.{ct.model}"
        for ct in ContentType.objects.filter(app_label="integrity")
        if f"{ct.app_label}.{ct.model}" in CONFIDENTIAL
    }
    for row in LogEntry.objects.filter(content_type_id__in=list(types)).iterator():
        object_repr = neutral_repr(apps, types[row.content_type_id], row.object_id or "", row.object_repr)
        change_message = row.change_message
        try:
            message = json.loads(change_message) if change_message else None
        except ValueError:
            message = None
            change_message = ""  # a free-text message may quote values
        if isinstance(message, list):
            for part in message:
                for detail in part.values() if isinstance(part, dict) else ():
                    if isinstance(detail, dict):
                        detail.pop("object", None)  # an inline row's __str__
            change_message = json.dumps(message)
        LogEntry.objects.filter(pk=row.pk).update(object_repr=object_repr[:200], change_message=change_message)


def mark_emails(apps, schema_editor):
    apps.get_model("core", "OutboundEmail").objects.filter(related_type__in=CONFIDENTIAL).update(confidential=True)


def forward(apps, schema_editor):
    scrub_audit(apps, schema_editor)
    scrub_admin_log(apps, schema_editor)
    mark_emails(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0005_records_staff"),
        ("core", "0005_outboundemail_confidential"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # Values once removed cannot be put back: going backwards leaves the scrubbed rows as they are.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
