"""JTI Chiefs propose and confirm JTI role grants (the two-person rule)."""

from django.db import migrations

from jcr.accounts import roles

CHIEF_LABELS = ["accounts.grant_integrity_roles", "accounts.view_rolegrant", "accounts.add_rolegrant"]


def grant(apps, schema_editor):
    roles.roles_grant(apps, roles.JTI_CHIEF, CHIEF_LABELS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=[label.split(".", 1)[1] for label in CHIEF_LABELS]
    )
    for group in Group.objects.filter(name=roles.JTI_CHIEF):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypt_mfa_secrets")]

    operations = [migrations.RunPython(grant, revoke)]
