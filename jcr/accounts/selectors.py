"""Reads about who may do what: which roles open confidential records, which roles a person
may give. The writes that rely on them are in jcr.accounts.services_access."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from jcr.accounts import roles
from jcr.accounts.models import User

# A role holding any of these opens confidential integrity records (or hands them out).
JTI_PERMISSIONS = frozenset(
    {
        "accounts.access_integrity",
        "accounts.grant_integrity_roles",
        "integrity.access_records",
        "integrity.export_records",
        "integrity.manage_conflict_wall",
    }
)
JTI_ROLE_NAMES = frozenset({roles.JTI_STAFF, roles.JTI_CHIEF})
GRANT_JTI_PERMISSION = "accounts.grant_integrity_roles"


def permission_label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def permission_labels(permissions: Iterable[Permission]) -> set[str]:
    return {permission_label(p) for p in permissions}


def group_labels(group: Group) -> set[str]:
    return permission_labels(group.permissions.select_related("content_type"))


def group_is_jti(group: Group) -> bool:
    return group.name in JTI_ROLE_NAMES or bool(group_labels(group) & JTI_PERMISSIONS)


def actor_lacks(*, actor: User, labels: Iterable[str]) -> set[str]:
    """The permissions among `labels` that `actor` does not hold (none for a superuser)."""
    if actor.is_active and actor.is_superuser:
        return set()
    held = actor.get_all_permissions() if actor.is_active else set()
    return set(labels) - held


def group_grant_refusal(*, actor: User, group: Group, removing: bool = False) -> str | None:
    """Why `actor` may not give `group` to a person (or take it away), or None if they may."""
    if group_is_jti(group):
        if not removing:
            return _("%(role)s opens confidential records: propose it under JTI role grants (two-person rule).") % {
                "role": group.name
            }
        if not (actor.is_superuser or actor.has_perm(GRANT_JTI_PERMISSION)):
            return _("Only a JTI Chief or a superuser may take away %(role)s.") % {"role": group.name}
        return None
    if actor_lacks(actor=actor, labels=group_labels(group)):
        return _("You cannot give or take away %(role)s: it holds permissions you do not have.") % {"role": group.name}
    return None


def groups_grantable_by(*, actor: User) -> list[Group]:
    """The roles `actor` may give directly (the staff invitation offers only these)."""
    groups = Group.objects.prefetch_related("permissions__content_type").order_by("name")
    return [g for g in groups if group_grant_refusal(actor=actor, group=g) is None]
