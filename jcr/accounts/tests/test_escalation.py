"""Nobody grants themselves power: an Administrator (who may change people and roles) cannot
make itself superuser, give itself or anyone a JTI role or a role holding permissions it
lacks, nor add such permissions to a role. JTI roles follow the two-person rule. Every change
of people, roles and permissions is audited with its before and after."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError

from jcr.accounts import roles, services, services_access, services_invitations
from jcr.accounts.forms import StaffInviteForm
from jcr.accounts.models import RoleGrant, User
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db


def _perm(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


def _user_form(user: User, **changes) -> dict:
    """The admin change form of `user` as posted, with `changes` applied."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


# --- The user form ----------------------------------------------------------------------


def test_escalation_administrator_cannot_make_itself_superuser(administrator, client_for):
    client = client_for(administrator)
    page = client.get(_change_url(administrator)).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page

    all_perms = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    client.post(_change_url(administrator), _user_form(administrator, is_superuser="on", user_permissions=all_perms))

    administrator.refresh_from_db()
    assert administrator.is_superuser is False
    assert not administrator.user_permissions.exists()
    with pytest.raises(PermissionDenied):
        services_access.user_update(actor=administrator, user=administrator, fields={"is_superuser": True})
    with pytest.raises(PermissionDenied):
        services_access.user_update(
            actor=administrator, user=administrator, fields={}, user_permissions=[_perm("integrity.access_records")]
        )
    administrator.refresh_from_db()
    assert administrator.is_superuser is False
    assert not administrator.has_perm("integrity.access_records")


@pytest.mark.parametrize("role", [roles.JTI_STAFF, roles.JTI_CHIEF, roles.OUTREACH_STAFF, roles.BUREAU_CHIEF])
def test_escalation_administrator_cannot_grant_a_role_it_lacks(role, administrator, outreach_staff, client_for):
    """To itself or to anyone: JTI roles (two-person rule) and roles holding permissions the
    Administrator does not have."""
    client = client_for(administrator)
    target = StaffFactory()
    group = _group(role)
    for person in (administrator, target):
        groups = [str(pk) for pk in person.groups.values_list("pk", flat=True)] + [str(group.pk)]
        response = client.post(_change_url(person), _user_form(person, groups=groups))
        assert response.status_code == 200  # the form again, with the reason
        assert response.context["adminform"].form.non_field_errors()
        assert not person.groups.filter(pk=group.pk).exists()
        with pytest.raises(PermissionDenied):
            services_access.user_update(
                actor=administrator, user=person, fields={}, groups=[*person.groups.all(), group]
            )
        assert not person.groups.filter(pk=group.pk).exists()


def test_escalation_administrator_cannot_take_away_a_role_it_lacks(administrator, jti_staff, outreach_staff):
    for person in (jti_staff, outreach_staff):
        with pytest.raises(PermissionDenied):
            services_access.user_update(actor=administrator, user=person, fields={}, groups=[])
        assert person.groups.exists()


def test_escalation_administrator_gives_a_role_within_its_own_permissions_audited(administrator, client_for):
    target = StaffFactory(full_name="Old Name")
    group = _group(roles.ADMINISTRATOR)

    response = client_for(administrator).post(
        _change_url(target), _user_form(target, full_name="New Name", groups=[str(group.pk)])
    )

    assert response.status_code == 302
    assert list(target.groups.all()) == [group]
    entry = AuditEntry.objects.get(action="accounts.user.change", object_id=str(target.public_id))
    assert entry.actor_id == administrator.pk
    assert entry.before == {"full_name": "Old Name", "groups": []}
    assert entry.after == {"full_name": "New Name", "groups": [roles.ADMINISTRATOR]}


def test_escalation_a_superuser_changes_superuser_status_and_permissions_audited(client_for):
    root = StaffFactory(is_superuser=True)
    target = StaffFactory()
    perm = _perm("core.view_area")

    response = client_for(root).post(
        _change_url(target), _user_form(target, is_superuser="on", user_permissions=[str(perm.pk)])
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_superuser is True
    entry = AuditEntry.objects.get(action="accounts.user.change", object_id=str(target.public_id))
    assert entry.before == {"is_superuser": False, "user_permissions": []}
    assert entry.after == {"is_superuser": True, "user_permissions": ["core.view_area"]}


def test_escalation_nobody_gives_a_jti_role_directly_not_even_a_superuser(client_for):
    root = StaffFactory(is_superuser=True)
    target = StaffFactory()
    with pytest.raises(PermissionDenied, match="two-person"):
        services_access.user_update(actor=root, user=target, fields={}, groups=[_group(roles.JTI_STAFF)])
    with pytest.raises(PermissionDenied):
        services_access.user_update(
            actor=root, user=target, fields={}, user_permissions=[_perm("integrity.access_records")]
        )
    assert not target.has_perm("integrity.access_records")


def test_escalation_an_administrator_cannot_change_or_deactivate_a_superuser(administrator, client_for):
    root = StaffFactory(is_superuser=True, full_name="Root")
    client = client_for(administrator)
    client.post(_change_url(root), _user_form(root, full_name="Taken", is_active=""))
    client.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [str(root.pk)], "index": "0"})
    root.refresh_from_db()
    assert (root.full_name, root.is_active) == ("Root", True)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=root, actor=administrator)


# --- Roles (groups) ---------------------------------------------------------------------


def test_escalation_administrator_cannot_add_a_permission_it_lacks_to_its_own_role(administrator, client_for):
    group = _group(roles.ADMINISTRATOR)
    before = set(group.permissions.values_list("pk", flat=True))
    perms = [str(pk) for pk in before | {_perm("integrity.access_records").pk}]

    response = client_for(administrator).post(
        f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": perms}
    )

    assert response.status_code == 200
    assert "integrity.access_records" in response.context["adminform"].form.errors["permissions"][0]
    assert set(group.permissions.values_list("pk", flat=True)) == before
    administrator = User.objects.get(pk=administrator.pk)
    assert not administrator.has_perm("integrity.access_records")
    with pytest.raises(PermissionDenied):
        services_access.group_save(
            actor=administrator,
            group=group,
            name=group.name,
            permissions=[*group.permissions.all(), _perm("integrity.access_records")],
        )


def test_escalation_role_changes_are_audited_with_before_and_after(administrator, client_for):
    group = _group(roles.ADMINISTRATOR)
    dropped = _perm("core.delete_area")
    keep = [str(pk) for pk in group.permissions.exclude(pk=dropped.pk).values_list("pk", flat=True)]

    response = client_for(administrator).post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "Portal administrator", "permissions": keep}
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.group.change")
    assert entry.actor_id == administrator.pk
    assert entry.before["name"] == roles.ADMINISTRATOR
    assert entry.after["name"] == "Portal administrator"
    assert "core.delete_area" in entry.before["permissions"]
    assert "core.delete_area" not in entry.after["permissions"]


# --- The invitation ---------------------------------------------------------------------


def test_escalation_the_invitation_offers_and_gives_only_roles_the_inviter_holds(administrator):
    offered = set(StaffInviteForm(actor=administrator).fields["groups"].queryset.values_list("name", flat=True))
    assert offered == {roles.ADMINISTRATOR}
    for role in (roles.JTI_STAFF, roles.OUTREACH_STAFF):
        with pytest.raises(PermissionDenied):
            services_invitations.staff_invite(
                email="new@da.example.gov", full_name="N", groups=[_group(role)], actor=administrator
            )
    assert not User.objects.filter(email="new@da.example.gov").exists()

    root = StaffFactory(is_superuser=True)
    offered = set(StaffInviteForm(actor=root).fields["groups"].queryset.values_list("name", flat=True))
    assert roles.OUTREACH_STAFF in offered
    assert not offered & {roles.JTI_STAFF, roles.JTI_CHIEF}


# --- The two-person rule for JTI roles -------------------------------------------------


def test_escalation_jti_role_needs_a_second_jti_chief(jti_chief, client_for):
    second_chief = StaffFactory(roles=[roles.JTI_CHIEF])
    grantee = StaffFactory()
    group = _group(roles.JTI_STAFF)

    response = client_for(jti_chief).post(
        "/admin/accounts/rolegrant/add/", {"user": grantee.pk, "group": group.pk, "reason": "New investigator"}
    )

    assert response.status_code == 302
    grant = RoleGrant.objects.get()
    assert grant.status == RoleGrant.Status.PENDING
    assert not grantee.groups.exists()  # nothing is granted yet
    asked = OutboundEmail.objects.get(template="accounts/role_grant_proposed")
    assert asked.to == second_chief.email  # the other JTI Chief, not the proposer
    for alone in (jti_chief, grantee):
        with pytest.raises(PermissionDenied):
            services_access.role_grant_confirm(actor=alone, grant=grant)
    assert not User.objects.get(pk=grantee.pk).has_perm("integrity.access_records")

    client_for(second_chief).post(
        "/admin/accounts/rolegrant/", {"action": "confirm", "_selected_action": [str(grant.pk)], "index": "0"}
    )

    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.CONFIRMED
    assert grant.decided_by == second_chief
    assert User.objects.get(pk=grantee.pk).has_perm("integrity.access_records")
    assert [
        (e.action, e.actor_id) for e in AuditEntry.objects.filter(object_type="accounts.rolegrant").order_by("pk")
    ] == [("accounts.rolegrant.propose", jti_chief.pk), ("accounts.rolegrant.confirm", second_chief.pk)]
    confirm = AuditEntry.objects.get(action="accounts.rolegrant.confirm")
    assert confirm.before["groups"] == []
    assert confirm.after["groups"] == [roles.JTI_STAFF]
    assert OutboundEmail.objects.get(to=grantee.email).template == "accounts/role_granted"
    with pytest.raises(ValidationError):
        services_access.role_grant_confirm(actor=second_chief, grant=grant)


@pytest.mark.parametrize("proposer", ["administrator", "jti_staff", "bureau_chief"])
def test_escalation_only_a_jti_chief_proposes_a_jti_role(proposer, request, client_for):
    actor = request.getfixturevalue(proposer)
    with pytest.raises(PermissionDenied):
        services_access.role_grant_propose(actor=actor, user=actor, group=_group(roles.JTI_CHIEF), reason="x")
    assert client_for(actor).get("/admin/accounts/rolegrant/add/").status_code == 403
    assert not RoleGrant.objects.exists()


def test_escalation_a_rejected_grant_gives_nothing(jti_chief):
    grantee = StaffFactory()
    grant = services_access.role_grant_propose(
        actor=jti_chief, user=grantee, group=_group(roles.JTI_STAFF), reason="Covering leave"
    )
    with pytest.raises(ValidationError):
        services_access.role_grant_propose(actor=jti_chief, user=grantee, group=_group(roles.JTI_STAFF), reason="y")
    with pytest.raises(ValidationError):
        services_access.role_grant_propose(
            actor=jti_chief, user=grantee, group=_group(roles.OUTREACH_STAFF), reason="z"
        )
    services_access.role_grant_reject(actor=jti_chief, grant=grant)
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.REJECTED
    assert not grantee.groups.exists()
    assert AuditEntry.objects.filter(action="accounts.rolegrant.reject", actor_id=jti_chief.pk).exists()


def test_escalation_administrator_cannot_redirect_a_more_powerful_persons_mail(administrator, jti_chief, client_for):
    """Changing the JTI Chief's address to its own, then sending a reset link, would be a way
    into the JTI Chief's account."""
    client = client_for(administrator)
    response = client.post(_change_url(jti_chief), _user_form(jti_chief, email="attacker@da.example.gov"))
    assert response.status_code == 200
    jti_chief.refresh_from_db()
    assert jti_chief.email != "attacker@da.example.gov"
    with pytest.raises(PermissionDenied):
        services_access.user_update(actor=administrator, user=jti_chief, fields={"email": "attacker@da.example.gov"})

    peer = StaffFactory(roles=[roles.ADMINISTRATOR])
    response = client.post(_change_url(peer), _user_form(peer, email="renamed@da.example.gov"))
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.email == "renamed@da.example.gov"


@pytest.mark.parametrize("role", [roles.JTI_STAFF, roles.OUTREACH_STAFF])
def test_escalation_administrator_cannot_reshape_a_role_it_lacks(role, administrator, client_for):
    group = _group(role)
    perms = [str(pk) for pk in group.permissions.values_list("pk", flat=True)]
    response = client_for(administrator).post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "Renamed", "permissions": perms[1:]}
    )
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == role
    assert group.permissions.count() == len(perms)
    with pytest.raises(PermissionDenied):
        services_access.group_save(actor=administrator, group=group, name="Renamed", permissions=[])
