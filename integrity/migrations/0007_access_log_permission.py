"""The JTI Chief reads the access log of the confidential records (every read, list, export
and refused attempt) on a staff page of its own."""

from django.db import migrations

from jcr.accounts import roles


def grants(apps, schema_editor):
    roles.roles_grant(apps, roles.JTI_CHIEF, ["integrity.view_access_log"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("integrity", "0006_confidential_history_scrub"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="allegation",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("access_records", "Can open confidential records"),
                    ("export_records", "Can export confidential records"),
                    ("view_access_log", "Can read the access log of confidential records"),
                ],
                "verbose_name": "misconduct allegation",
                "verbose_name_plural": "misconduct allegations",
            },
        ),
        migrations.RunPython(grants, migrations.RunPython.noop),
    ]
