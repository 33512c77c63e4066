"""The bureau's role groups and the permissions each holds.

Groups are created and kept in step by data migrations that call `roles_sync`; a unit app
that adds permissions for a role writes its own data migration calling `roles_grant`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

BUREAU_CHIEF = gettext_noop("Bureau Chief")
OUTREACH_STAFF = gettext_noop("Outreach Staff")
OUTREACH_SUPERVISOR = gettext_noop("Outreach Supervisor")
COMMUNITY_PROSECUTOR = gettext_noop("Community Prosecutor")
CPU_SUPERVISOR = gettext_noop("CPU Supervisor")
GR_ANALYST = gettext_noop("Government Relations Analyst")
GR_SUPERVISOR = gettext_noop("Government Relations Supervisor")
JTI_STAFF = gettext_noop("JTI Staff")
JTI_CHIEF = gettext_noop("JTI Chief")
ADMINISTRATOR = gettext_noop("Administrator")

ROLES: dict[str, list[str]] = {
    BUREAU_CHIEF: ["accounts.access_outreach", "accounts.access_prosecution", "accounts.access_govrelations"],
    OUTREACH_STAFF: ["accounts.access_outreach"],
    OUTREACH_SUPERVISOR: ["accounts.access_outreach"],
    COMMUNITY_PROSECUTOR: ["accounts.access_prosecution"],
    CPU_SUPERVISOR: ["accounts.access_prosecution"],
    GR_ANALYST: ["accounts.access_govrelations"],
    GR_SUPERVISOR: ["accounts.access_govrelations"],
    JTI_STAFF: ["accounts.access_integrity"],
    JTI_CHIEF: ["accounts.access_integrity"],
    ADMINISTRATOR: [
        "accounts.access_admin_site",
        "accounts.invite_staff",
        "accounts.unlock_account",
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_loginfailure",
        "accounts.view_accountlock",
        "accounts.change_accountlock",
        "auth.view_group",
        "auth.change_group",
        "auth.view_permission",
        "core.view_auditentry",
        "core.view_area",
        "core.add_area",
        "core.change_area",
        "core.delete_area",
        "core.view_areaassignment",
        "core.add_areaassignment",
        "core.change_areaassignment",
        "core.delete_areaassignment",
        "core.view_outboundemail",
        "core.change_outboundemail",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.add_periodictask",
        "django_celery_beat.view_intervalschedule",
        "django_celery_beat.add_intervalschedule",
        "django_celery_beat.change_intervalschedule",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "usersessions.view_usersession",
        "usersessions.delete_usersession",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
    ],
}


def _permission(apps, label: str):
    """Find a permission by "app_label.codename", creating it (and its content type) if the
    app's post_migrate has not run yet, as is the case inside a migration."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, codename = label.split(".", 1)
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if perm:
        return perm
    # A custom permission belongs to the model whose Meta.permissions declares it; otherwise
    # it is a default one, "<action>_<model>".
    declared = [
        m
        for m in apps.get_app_config(app_label).get_models()
        if any(c == codename for c, _n in getattr(m._meta, "permissions", []) or [])
    ]
    model = declared[0] if declared else apps.get_model(app_label, codename.split("_", 1)[1])
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model._meta.model_name)
    action = codename.split("_", 1)[0]
    name = f"Can {action} {model._meta.verbose_name}" if action in {"add", "change", "delete", "view"} else codename
    for opt_codename, opt_name in getattr(model._meta, "permissions", []) or []:
        if opt_codename == codename:
            name = str(opt_name)
    perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name[:255]})
    return perm


def roles_grant(apps, role: str, labels: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(*[_permission(apps, label) for label in labels])


def roles_sync(apps, schema_editor=None) -> None:
    for role, labels in ROLES.items():
        roles_grant(apps, role, labels)
