"""Writes about who may do what: a person's roles and permissions, a role's permissions, the
two-person rule for JTI roles, removing a lost second factor and sending a password reset.

The rules hold whatever the path (admin form, invitation, admin action):
- only a superuser changes `is_superuser` or a person's own permissions, and only a superuser
  edits a superuser;
- nobody grants (or takes away) a role holding a permission they lack themselves, nor adds to
  or removes from a role a permission they lack;
- a JTI role (one that opens confidential integrity records) is never granted directly: a JTI
  Chief proposes, a different JTI Chief or a superuser confirms (`role_grant_*`);
- nobody sets another person's password: they get a link by e-mail.
Every change is written to the audit history with its before and after.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.accounts.models import RoleGrant, User
from jcr.accounts.selectors import (
    GRANT_JTI_PERMISSION,
    JTI_PERMISSIONS,
    actor_lacks,
    group_grant_refusal,
    group_is_jti,
    group_labels,
    permission_labels,
)
from jcr.accounts.services import invitation_link, user_sessions_end
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.services import email_queue


def invite_groups_check(*, actor: User | None, groups: Iterable[Group]) -> None:
    """Raise PermissionDenied unless `actor` may give a new person every role in `groups`
    (without an actor, from the command line, only the JTI rule applies)."""
    if actor is not None:
        user_access_check(actor=actor, user=None, groups=groups)
        return
    for group in groups:
        if group_is_jti(group):
            raise PermissionDenied(group_grant_refusal(actor=User(), group=group))


def _user_state(user: User) -> dict:
    return {
        **snapshot(user),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(permission_labels(user.user_permissions.select_related("content_type"))),
    }


def user_access_check(
    *,
    actor: User,
    user: User | None,
    is_superuser: bool | None = None,
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
    email: str | None = None,
) -> None:
    """Raise PermissionDenied (with the reason) unless `actor` may give `user` (None: a new
    person) these values. A value left as None is not being changed."""
    current_super = bool(user and user.is_superuser)
    if user is not None and current_super and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser."))
    if (
        user is not None
        and email is not None
        and email.strip().lower() != user.email
        and user.pk != actor.pk
        and actor_lacks(actor=actor, labels=user.get_all_permissions())
    ):
        # The address is where reset links go: changing it, then sending a reset link, would
        # let an administrator sign in as someone holding more than they do.
        raise PermissionDenied(
            _("Only someone holding every permission of %(person)s may change their e-mail address.") % {"person": user}
        )
    if is_superuser is not None and bool(is_superuser) != current_super and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may make someone a superuser or take it away."))
    if user_permissions is not None:
        before = set(user.user_permissions.all()) if user is not None else set()
        after = set(user_permissions)
        if before != after and not actor.is_superuser:
            raise PermissionDenied(_("Only a superuser may give a person permissions of their own."))
        jti = sorted(permission_labels(after - before) & JTI_PERMISSIONS)
        if jti:
            raise PermissionDenied(
                _("%(permissions)s open confidential records: propose a JTI role under JTI role grants instead.")
                % {"permissions": ", ".join(jti)}
            )
    if groups is not None:
        before = set(user.groups.all()) if user is not None else set()
        after = set(groups)
        refusals = [group_grant_refusal(actor=actor, group=g) for g in sorted(after - before, key=str)]
        refusals += [group_grant_refusal(actor=actor, group=g, removing=True) for g in sorted(before - after, key=str)]
        refusals = [r for r in refusals if r]
        if refusals:
            raise PermissionDenied(" ".join(refusals))


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    fields: dict,
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
) -> User:
    """Save the changed `fields` of `user` (and its roles and own permissions, when given).

    Raises PermissionDenied when a rule of this module forbids the change. The audit entry
    holds only what changed, before and after (roles and permissions by name)."""
    if not actor.has_perm("accounts.change_user"):
        raise PermissionDenied
    stored = User.objects.select_for_update().get(pk=user.pk)
    if "password" in fields:
        raise PermissionDenied(_("Nobody sets another person's password: send them a reset link."))
    user_access_check(
        actor=actor,
        user=stored,
        is_superuser=fields.get("is_superuser"),
        groups=groups,
        user_permissions=user_permissions,
        email=fields.get("email"),
    )
    before = _user_state(stored)
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["password"])
    stored.save()
    if groups is not None:
        stored.groups.set(groups)
    if user_permissions is not None:
        stored.user_permissions.set(user_permissions)
    changed_before, changed_after = diff(before, _user_state(stored))
    if changed_after or changed_before:
        audit_record(action="accounts.user.change", obj=stored, actor=actor, before=changed_before, after=changed_after)
    if before["is_active"] and not stored.is_active:
        user_sessions_end(user=stored)
    return stored


def group_permissions_check(*, actor: User, group: Group | None, permissions: Iterable[Permission]) -> None:
    """Raise PermissionDenied unless `actor` holds every permission added to or removed from
    `group` (None: a new role), and every permission the role already holds (a role you could
    not give, you cannot rename or reshape either)."""
    if group is not None and group.pk and actor_lacks(actor=actor, labels=group_labels(group)):
        raise PermissionDenied(
            _("Only someone holding every permission of %(role)s may change it.") % {"role": group.name}
        )
    before = set(group.permissions.all()) if group is not None and group.pk else set()
    changed = permission_labels(set(permissions) ^ before)
    lacking = actor_lacks(actor=actor, labels=changed)
    if lacking:
        raise PermissionDenied(
            _("You can add to or remove from a role only permissions you hold yourself (not %(permissions)s).")
            % {"permissions": ", ".join(sorted(lacking))}
        )


def _group_state(group: Group) -> dict:
    return {"name": group.name, "permissions": sorted(group_labels(group))}


@transaction.atomic
def group_save(*, actor: User, group: Group, name: str, permissions: Iterable[Permission]) -> Group:
    """Create or change a role: its name and permissions. Raises PermissionDenied when the
    actor adds or removes a permission they lack. Audited with before and after."""
    creating = group.pk is None
    if not actor.has_perm("auth.add_group" if creating else "auth.change_group"):
        raise PermissionDenied
    permissions = set(permissions)
    stored = Group() if creating else Group.objects.select_for_update().get(pk=group.pk)
    group_permissions_check(actor=actor, group=None if creating else stored, permissions=permissions)
    before = {} if creating else _group_state(stored)
    stored.name = name
    stored.full_clean()
    stored.save()
    stored.permissions.set(permissions)
    changed_before, changed_after = diff(before, _group_state(stored))
    audit_record(
        action="auth.group.create" if creating else "auth.group.change",
        obj=stored,
        actor=actor,
        before=None if creating else changed_before,
        after=changed_after,
    )
    group.pk = stored.pk
    return stored


@transaction.atomic
def group_delete(*, actor: User, group: Group) -> None:
    """Delete a role, which takes it away from everyone holding it: only for those who could
    take it away from one person (see `group_grant_refusal`). Audited with its members."""
    if not actor.has_perm("auth.delete_group"):
        raise PermissionDenied
    refusal = group_grant_refusal(actor=actor, group=group, removing=True)
    if refusal:
        raise PermissionDenied(refusal)
    before = {**_group_state(group), "members": sorted(group.user_set.values_list("email", flat=True))}
    audit_record(action="auth.group.delete", obj=group, actor=actor, before=before, after=None)
    group.delete()


# --- The two-person rule for JTI roles ---------------------------------------------------


def _may_decide_jti(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(GRANT_JTI_PERMISSION))


def role_grant_propose_check(*, actor: User, user: User, group: Group) -> None:
    """Raise PermissionDenied unless the actor is a JTI Chief (or a superuser); ValidationError
    for a role that is not a JTI role, a person who is not active staff or holds it already,
    or a proposal already waiting."""
    if not _may_decide_jti(actor):
        raise PermissionDenied(_("Only a JTI Chief may propose a JTI role."))
    if not group_is_jti(group):
        raise ValidationError(_("%(role)s is not a JTI role: give it from the person's page.") % {"role": group.name})
    if not (user.is_active and user.is_staff):
        raise ValidationError(_("JTI roles are only for active staff members."))
    if user.groups.filter(pk=group.pk).exists():
        raise ValidationError(_("%(person)s already holds %(role)s.") % {"person": user, "role": group.name})
    if RoleGrant.objects.filter(user=user, group=group, status=RoleGrant.Status.PENDING).exists():
        raise ValidationError(_("This grant is already waiting for confirmation."))


@transaction.atomic
def role_grant_propose(*, actor: User, user: User, group: Group, reason: str) -> RoleGrant:
    """Propose giving `user` the JTI role `group`. Nothing is granted until a second person
    confirms. Raises as `role_grant_propose_check`."""
    role_grant_propose_check(actor=actor, user=user, group=group)
    grant = RoleGrant(user=user, group=group, reason=reason.strip(), proposed_by=actor)
    grant.full_clean()
    grant.save()
    audit_record(
        action="accounts.rolegrant.propose",
        obj=grant,
        actor=actor,
        after={"user": user.email, "group": group.name, "reason": grant.reason, "status": grant.status},
    )
    # The other JTI Chiefs are asked to confirm (or reject) it.
    app_label, codename = GRANT_JTI_PERMISSION.split(".")
    holds = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    deciders = User.objects.filter(holds, is_active=True, is_staff=True).exclude(pk__in=[actor.pk, user.pk]).distinct()
    for decider in deciders:
        email_queue(
            to=decider.email,
            template="accounts/role_grant_proposed",
            context={
                "user": decider,
                "grant": grant,
                "proposed_by": actor,
                "link": settings.SITE_URL + reverse("admin:accounts_rolegrant_changelist"),
            },
            language=decider.preferred_language,
            related=grant,
        )
    return grant


def _decide(*, actor: User, grant: RoleGrant) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().select_related("user", "group").get(pk=grant.pk)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("This grant has already been decided."))
    if not _may_decide_jti(actor):
        raise PermissionDenied(_("Only a JTI Chief or a superuser may decide a JTI role grant."))
    return grant


@transaction.atomic
def role_grant_confirm(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """Confirm a pending grant: the person joins the role now and is told by e-mail.

    Raises PermissionDenied when the actor proposed the grant or is the person receiving it
    (the two-person rule), or may not decide JTI grants."""
    grant = _decide(actor=actor, grant=grant)
    if actor.pk in (grant.proposed_by_id, grant.user_id):
        raise PermissionDenied(
            _("A second person must confirm: neither the proposer nor the person receiving the role may.")
        )
    before = {"status": grant.status, "groups": sorted(grant.user.groups.values_list("name", flat=True))}
    grant.status = RoleGrant.Status.CONFIRMED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    grant.user.groups.add(grant.group)
    audit_record(
        action="accounts.rolegrant.confirm",
        obj=grant,
        actor=actor,
        before=before,
        after={"status": grant.status, "groups": sorted(grant.user.groups.values_list("name", flat=True))},
    )
    email_queue(
        to=grant.user.email,
        template="accounts/role_granted",
        context={"user": grant.user, "role": grant.group.name, "site_url": settings.SITE_URL},
        language=grant.user.preferred_language,
        related=grant.user,
    )
    return grant


@transaction.atomic
def role_grant_reject(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """Reject (or withdraw, for the proposer) a pending grant. Nothing is granted."""
    grant = _decide(actor=actor, grant=grant)
    grant.status = RoleGrant.Status.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action="accounts.rolegrant.reject",
        obj=grant,
        actor=actor,
        before={"status": RoleGrant.Status.PENDING},
        after={"status": grant.status},
    )
    return grant


# --- Second factors and passwords ---------------------------------------------------------


@transaction.atomic
def authenticator_remove(*, actor: User, authenticator) -> None:
    """Remove a person's lost second factor (never read it). The person is told by e-mail and
    must enrol a new one at their next sign-in. Raises PermissionDenied without
    `mfa.delete_authenticator`, or when a non-superuser removes a superuser's."""
    if not actor.has_perm("mfa.delete_authenticator"):
        raise PermissionDenied
    user = authenticator.user
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser."))
    kind = authenticator.get_type_display()
    before = {
        "user": user.email,
        "type": authenticator.type,
        "created_at": authenticator.created_at,
        "last_used_at": authenticator.last_used_at,
    }
    audit_record(
        action="mfa.authenticator.remove",
        actor=actor,
        object_type="mfa.authenticator",
        object_id=str(authenticator.pk),
        before=before,
        after=None,
    )
    authenticator.delete()
    email_queue(
        to=user.email,
        template="accounts/authenticator_removed",
        context={"user": user, "kind": kind, "site_url": settings.SITE_URL},
        language=user.preferred_language,
        related=user,
    )


def password_reset_link(user: User) -> str:
    """allauth's "set a new password" link for `user` (the one its reset e-mail carries)."""
    from allauth.account import app_settings as account_settings
    from allauth.account.utils import user_pk_to_url_str

    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token})
    return settings.SITE_URL + path


@transaction.atomic
def password_reset_send(*, actor: User, user: User) -> None:
    """E-mail `user` a link to choose a new password: an invited staff member who never chose
    one gets the invitation again. Nobody ever types another person's password."""
    if not actor.has_perm("accounts.change_user"):
        raise PermissionDenied
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change a superuser."))
    if not user.is_active:
        raise ValidationError(_("%(person)s is deactivated.") % {"person": user})
    if user.is_staff and not user.has_usable_password():
        template, link = "accounts/invitation", invitation_link(user)
    else:
        template, link = "accounts/password_reset", password_reset_link(user)
    email_queue(
        to=user.email,
        template=template,
        context={"user": user, "link": link, "invited_by": actor},
        language=user.preferred_language,
        related=user,
    )
    audit_record(action="accounts.user.password_reset_send", obj=user, actor=actor, after={"template": template})
