"""The JTI Chief manages the conflict walls of wrongful-conviction claims and reaches the
administration site (where confidential models show to JTI roles only, every record opened
logged). JTI Staff work through the unit's staff pages and do not reach the admin site."""

from django.db import migrations

from jcr.accounts import roles


def grants(apps, schema_editor):
    roles.roles_grant(apps, roles.JTI_CHIEF, ["integrity.manage_conflict_wall", "accounts.access_admin_site"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("integrity", "0004_training_links"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [("manage_conflict_wall", "Can wall people off from wrongful-conviction claims")],
                "verbose_name": "wrongful-conviction claim",
                "verbose_name_plural": "wrongful-conviction claims",
            },
        ),
        migrations.RunPython(grants, migrations.RunPython.noop),
    ]
