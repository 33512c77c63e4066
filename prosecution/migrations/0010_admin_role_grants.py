"""The unit's admin pages open for the roles that need them: before this, Open311 clients,
concerns and projects answered 403 to every role, the Administrator included, and the CPU
Supervisor held admin permissions (response templates, service levels, figures) without being
able to open the administration site.

- Administrator: manages the Open311 clients (keys are created and revoked there). It gets no
  concern or project permission: those would also open the unit's staff pages, which stay with
  the unit's roles.
- CPU Supervisor: opens the administration site for the unit's settings and reads concerns and
  projects there with what they hold (photos, updates, partners, actions, owner contacts);
  concerns change on their staff pages."""

from django.db import migrations

from jcr.accounts import roles

GRANTS = {
    roles.ADMINISTRATOR: [
        "prosecution.view_open311client",
        "prosecution.add_open311client",
        "prosecution.change_open311client",
    ],
    roles.CPU_SUPERVISOR: [
        "accounts.access_admin_site",
        "prosecution.view_concernphoto",
        "prosecution.view_concernupdate",
        "prosecution.view_projectconcern",
        "prosecution.view_projectpartner",
        "prosecution.view_projectaction",
        "prosecution.view_ownercontact",
    ],
}


def forward(apps, schema_editor):
    for role, labels in GRANTS.items():
        roles.roles_grant(apps, role, labels)


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, labels in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for label in labels:
            app_label, codename = label.split(".", 1)
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0009_concern_public_ref_unique"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forward, backward)]
