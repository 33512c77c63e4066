"""A record on legal hold is never marked deleted: a check constraint on each record's table.

Rows already deleted while on hold (the admin used to let it happen) are restored first: the
hold wins, and each restored row gets a history step "restored_legal_hold" saying so (the step
names no value)."""

from django.db import migrations, models

RECORDS = ("allegation", "claim", "testingrequest", "disclosureentry")


def restore_held_and_deleted(apps, schema_editor):
    RecordStep = apps.get_model("integrity", "RecordStep")
    for name in RECORDS:
        model = apps.get_model("integrity", name)
        for pk in model.objects.filter(legal_hold=True, is_deleted=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(is_deleted=False, deleted_at=None)
            RecordStep.objects.create(
                record_type=f"integrity.{name}",
                record_id=pk,
                step="restored_legal_hold",
                note="Deleted while on legal hold; restored when the hold constraint was added.",
            )


def hold_constraint(name):
    return models.CheckConstraint(
        condition=models.Q(("is_deleted", True), ("legal_hold", True), _negated=True),
        name=f"integrity_{name}_hold_not_deleted",
    )


class Migration(migrations.Migration):
    dependencies = [("integrity", "0008_task_names")]

    operations = [
        migrations.RunPython(restore_held_and_deleted, migrations.RunPython.noop),
        *(migrations.AddConstraint(model_name=name, constraint=hold_constraint(name)) for name in RECORDS),
    ]
