"""The conflict wall's own rules, tried as an attacker would (integrity/records/services_wall.py):
nobody walls themselves off a claim or lifts their own wall; someone who is not a JTI Chief
cannot wall anyone off nor lift a wall; a JTI Chief's wall takes two JTI members (one
proposes, another confirms; neither the proposer alone nor the chief herself); every change
is audited with the people's names in the claim's history and never the claim's content."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from integrity.records import services_wall
from integrity.records.models import ClaimWallChange, RecordStep
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _u(name, claim, **kwargs):
    return reverse(f"integrity:{name}", kwargs={"public_id": claim.public_id, **kwargs})


@pytest.fixture
def jti_staff_2(db):
    return StaffFactory(email="jti2@da.example.gov", roles=[roles.JTI_STAFF])


def _denied(reason="permission"):
    return AuditEntry.objects.filter(action="integrity.record.denied", after__reason=reason)


# --- Self-walling ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["jti_staff", "jti_chief"])
def test_nobody_walls_themselves_off(who, personas, client_for):
    claim = f.claim()
    user = personas[who]
    response = signed_in(client_for, user).post(_u("claim_wall_add", claim), {"user": user.pk, "note": "x"})
    assert response.status_code == 403
    assert not claim.conflicted_users.exists()
    assert not ClaimWallChange.objects.exists()
    assert _denied().filter(actor_id=user.pk, object_id=str(claim.public_id)).count() == 1
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_add(claim=claim, users=[user], actor=user)
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_change_propose(claim=claim, person=user, lift=False, actor=user, reason="x")
    assert not claim.conflicted_users.exists()


# --- Self-lifting ------------------------------------------------------------------------


def test_a_walled_person_cannot_lift_their_own_wall(jti_staff, jti_chief, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_staff, jti_chief)
    for user in (jti_staff, jti_chief):
        client = signed_in(client_for, user)
        lift = {"user": user.public_id, "reason": "I was never on that case"}
        assert client.post(_u("claim_wall_remove", claim), lift).status_code == 404  # they do not see the claim
        with pytest.raises(PermissionDenied):
            services_wall.claim_wall_remove(claim=claim, user=user, actor=user, reason="I was never on that case")
        with pytest.raises(PermissionDenied):
            services_wall.claim_wall_change_propose(claim=claim, person=user, lift=True, actor=user, reason="Mistake")
    assert set(claim.conflicted_users.all()) == {jti_staff, jti_chief}
    assert _denied("walled").count() == 2


def test_a_chief_cannot_confirm_or_reject_a_change_to_her_own_wall(jti_staff, jti_chief, client_for):
    claim = f.claim()
    change = services_wall.claim_wall_change_propose(
        claim=claim, person=jti_chief, lift=False, actor=jti_staff, reason="Tried the case in 2003"
    )
    chief = signed_in(client_for, jti_chief)
    for name in ("claim_wall_confirm", "claim_wall_reject"):
        assert chief.post(_u(name, claim, change_id=change.public_id)).status_code == 403, name
    change.refresh_from_db()
    assert change.status == ClaimWallChange.Status.PENDING
    assert not claim.conflicted_users.exists()
    # The same when walled: a lift proposed for her is not hers to decide (she no longer sees the claim).
    claim.conflicted_users.add(jti_chief)
    ClaimWallChange.objects.filter(pk=change.pk).update(status=ClaimWallChange.Status.REJECTED)
    lift = services_wall.claim_wall_change_propose(
        claim=claim, person=jti_chief, lift=True, actor=jti_staff, reason="Listed by mistake"
    )
    assert chief.post(_u("claim_wall_confirm", claim, change_id=lift.public_id)).status_code == 404
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_change_confirm(change=lift, actor=jti_chief)
    assert claim.conflicted_users.filter(pk=jti_chief.pk).exists()


# --- A chief walled: two JTI members ------------------------------------------------------


def test_walling_off_the_chief_takes_two_jti_members(jti_staff, jti_staff_2, jti_chief, client_for):
    claim = f.claim(claimant_name="Marcus Webb", summary="Alibi witness never called")
    first, second = signed_in(client_for, jti_staff), signed_in(client_for, jti_staff_2)

    response = first.post(_u("claim_wall_add", claim), {"user": jti_chief.pk, "note": "Tried the case in 2003"})
    assert response.status_code == 302
    change = ClaimWallChange.objects.get()
    assert (change.person, change.proposed_by, change.lift, change.status) == (jti_chief, jti_staff, False, "pending")
    assert not claim.conflicted_users.exists()  # nothing changes on one person's word
    assert signed_in(client_for, jti_chief).get(_u("claim_detail", claim)).status_code == 200

    # The proposer cannot confirm her own proposal; a second proposal is refused.
    assert first.post(_u("claim_wall_confirm", claim, change_id=change.public_id)).status_code == 403
    first.post(_u("claim_wall_add", claim), {"user": jti_chief.pk})
    assert ClaimWallChange.objects.count() == 1
    assert not claim.conflicted_users.exists()

    # The second member sees it waiting and confirms: the wall holds from now on.
    page = second.get(_u("claim_detail", claim)).content.decode()
    assert _u("claim_wall_confirm", claim, change_id=change.public_id) in page
    assert second.post(_u("claim_wall_confirm", claim, change_id=change.public_id)).status_code == 302
    assert list(claim.conflicted_users.all()) == [jti_chief]
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("confirmed", jti_staff_2)
    assert signed_in(client_for, jti_chief).get(_u("claim_detail", claim)).status_code == 404

    # Audited: the history step names the people; the audit entries name the field, never the claim's text.
    step = RecordStep.objects.get(record_type="integrity.claim", record_id=claim.pk, step="conflict_wall")
    assert step.actor == jti_staff_2
    assert jti_chief.email in step.note
    assert jti_staff.email in step.note
    assert RecordStep.objects.filter(record_id=claim.pk, step="conflict_wall_proposed", actor=jti_staff).exists()
    change_entry = AuditEntry.objects.get(action="integrity.record.change", object_id=str(claim.public_id))
    assert change_entry.actor_id == jti_staff_2.pk
    assert change_entry.after == {"fields": ["conflicted_users"], "step": "conflict_wall"}
    actions = set(AuditEntry.objects.filter(object_type="integrity.claimwallchange").values_list("action", "actor_id"))
    assert actions == {("integrity.wallchange.propose", jti_staff.pk), ("integrity.wallchange.confirm", jti_staff_2.pk)}
    for entry in AuditEntry.objects.filter(object_type__startswith="integrity."):
        assert "Marcus Webb" not in str(entry.after)
        assert "Alibi" not in str(entry.after)
        assert "Marcus" not in entry.object_repr


def test_lifting_the_chiefs_wall_takes_two_jti_members(jti_staff, jti_staff_2, jti_chief, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_chief)
    first, second = signed_in(client_for, jti_staff), signed_in(client_for, jti_staff_2)
    lift = {"user": jti_chief.public_id, "reason": "Listed by mistake: another deputy tried the case"}
    assert first.post(_u("claim_wall_remove", claim), lift).status_code == 302
    change = ClaimWallChange.objects.get(lift=True)
    assert claim.conflicted_users.filter(pk=jti_chief.pk).exists()
    # The proposer withdraws nothing by confirming; the second member confirms.
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_change_confirm(change=change, actor=jti_staff)
    assert second.post(_u("claim_wall_confirm", claim, change_id=change.public_id)).status_code == 302
    assert not claim.conflicted_users.exists()
    step = RecordStep.objects.get(record_id=claim.pk, step="conflict_wall_lifted")
    assert "Listed by mistake" in step.note
    assert jti_chief.email in step.note
    assert signed_in(client_for, jti_chief).get(_u("claim_detail", claim)).status_code == 200


def test_a_rejected_proposal_changes_nothing(jti_staff, jti_staff_2, jti_chief, client_for):
    claim = f.claim()
    change = services_wall.claim_wall_change_propose(
        claim=claim, person=jti_chief, lift=False, actor=jti_staff, reason="Unsure"
    )
    second = signed_in(client_for, jti_staff_2)
    assert second.post(_u("claim_wall_reject", claim, change_id=change.public_id)).status_code == 302
    change.refresh_from_db()
    assert change.status == ClaimWallChange.Status.REJECTED
    assert not claim.conflicted_users.exists()
    assert second.post(_u("claim_wall_confirm", claim, change_id=change.public_id)).status_code == 302
    assert not claim.conflicted_users.exists()  # already decided: refused with a message


def test_even_another_chief_cannot_wall_off_a_chief_alone(jti_chief, client_for):
    other_chief = StaffFactory(email="chief2@da.example.gov", roles=[roles.JTI_CHIEF])
    claim = f.claim()
    signed_in(client_for, other_chief).post(_u("claim_wall_add", claim), {"user": jti_chief.pk})
    assert not claim.conflicted_users.exists()
    assert ClaimWallChange.objects.get().proposed_by == other_chief
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_add(claim=claim, users=[jti_chief], actor=other_chief)


# --- A non-chief trying ------------------------------------------------------------------


def test_a_jti_staff_member_cannot_wall_off_or_lift_for_someone_who_is_not_a_chief(
    jti_staff, jti_staff_2, community_prosecutor, client_for
):
    claim = f.claim()
    staff = signed_in(client_for, jti_staff)
    assert staff.post(_u("claim_wall_add", claim), {"user": community_prosecutor.pk}).status_code == 403
    assert staff.post(_u("claim_wall_add", claim), {"user": jti_staff_2.pk}).status_code == 403
    assert not claim.conflicted_users.exists()
    assert not ClaimWallChange.objects.exists()
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_add(claim=claim, users=[community_prosecutor], actor=jti_staff)

    claim.conflicted_users.add(community_prosecutor)
    lift = {"user": community_prosecutor.public_id, "reason": "Never worked the case"}
    assert staff.post(_u("claim_wall_remove", claim), lift).status_code == 403
    assert claim.conflicted_users.filter(pk=community_prosecutor.pk).exists()
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_remove(claim=claim, user=community_prosecutor, actor=jti_staff, reason="x" * 10)
    # Each refusal is in the access log, with who tried and on which claim.
    assert _denied().filter(actor_id=jti_staff.pk, object_id=str(claim.public_id)).count() == 3
    # And a proposal is no way round it: only a chief's wall is proposed.
    with pytest.raises(ValidationError):  # the chief changes it directly
        services_wall.claim_wall_change_propose(
            claim=claim, person=community_prosecutor, lift=True, actor=jti_staff, reason="Never worked the case"
        )


def test_a_prosecutor_cannot_decide_a_proposal(jti_staff, jti_chief, community_prosecutor, client_for):
    claim = f.claim()
    change = services_wall.claim_wall_change_propose(
        claim=claim, person=jti_chief, lift=False, actor=jti_staff, reason="Tried the case"
    )
    client = signed_in(client_for, community_prosecutor)
    assert client.post(_u("claim_wall_confirm", claim, change_id=change.public_id)).status_code == 404
    with pytest.raises(PermissionDenied):
        services_wall.claim_wall_change_confirm(change=change, actor=community_prosecutor)
    assert not claim.conflicted_users.exists()


def test_the_admin_shows_the_wall_but_never_edits_it(jti_chief, jti_staff, client_for):
    from django.contrib import admin

    from integrity.records.models import Claim

    assert "conflicted_users" in admin.site._registry[Claim].get_readonly_fields(None)
    claim = f.claim()
    page = signed_in(client_for, jti_chief).get(f"/admin/integrity/claim/{claim.pk}/change/")
    assert page.status_code == 200
    assert 'name="conflicted_users"' not in page.content.decode()
