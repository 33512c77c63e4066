"""The conflict wall of wrongful-conviction claims: managed on the claim's page by the JTI
Chief (a stated reason to lift it, recent sign-in, audited); a walled person gets 404 on the
claim, finds it in no list, search or export, cannot be assigned to investigate it, and the
admin hides it from them too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from integrity.records import services_claims, services_wall
from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.models import Claim, RecordStep
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import NON_JTI_STAFF, signed_in
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _u(name, claim, **kwargs):
    return reverse(f"integrity:{name}", kwargs={"public_id": claim.public_id, **kwargs})


def test_chief_walls_a_person_off_and_they_lose_the_claim_everywhere(jti_staff, jti_chief, client_for):
    claim = f.claim(claimant_name="Darnell Price", case_number="98F01234")
    chief = signed_in(client_for, jti_chief)
    staff = signed_in(client_for, jti_staff)
    detail = _u("claim_detail", claim)
    assert staff.get(detail).status_code == 200
    assert claim.receipt_number in staff.get(reverse("integrity:claim_list"), {"q": "Darnell"}).content.decode()

    response = chief.post(_u("claim_wall_add", claim), {"user": jti_staff.pk, "note": "Tried the case in 1998"})
    assert response.status_code == 302
    assert list(claim.conflicted_users.all()) == [jti_staff]
    step = RecordStep.objects.get(record_type="integrity.claim", record_id=claim.pk, step="conflict_wall")
    assert step.actor == jti_chief
    assert jti_staff.email in step.note
    assert "Tried the case in 1998" in step.note
    entry = AuditEntry.objects.get(action="integrity.record.change", object_id=str(claim.public_id))
    assert entry.actor_id == jti_chief.pk
    assert entry.after == {"fields": ["conflicted_users"], "step": "conflict_wall"}  # not who

    # The claim's page shows who is walled off.
    page = chief.get(detail).content.decode()
    assert jti_staff.email in page
    assert _u("claim_wall_remove", claim) in page

    # The walled person: 404 on the claim and its changes, absent from the list, the search
    # and the export; an old sign-in gets the 404 too, not the re-authentication page.
    views_before = AuditEntry.objects.filter(action="integrity.record.view").count()
    assert staff.get(detail).status_code == 404
    assert signed_in(client_for, jti_staff, seconds_ago=3600).get(detail).status_code == 404
    for name in ("claim_screen", "claim_assign", "claim_note", "claim_dispose"):
        assert staff.post(_u(name, claim)).status_code == 404, name
    for kind_route in ("record_retention", "record_delete"):
        url = reverse(f"integrity:{kind_route}", kwargs={"kind": "claim", "public_id": claim.public_id})
        assert staff.post(url, {"reason": "x" * 10, "legal_hold": "on"}).status_code == 404
    assert AuditEntry.objects.filter(action="integrity.record.view").count() == views_before
    assert claim.receipt_number not in staff.get(reverse("integrity:claim_list")).content.decode()
    for q in ("Darnell", "98F01234", claim.receipt_number):
        body = staff.get(reverse("integrity:claim_list"), {"q": q}).content.decode()
        assert str(claim.public_id) not in body  # (the search box repeats what was typed)
        assert "No claim matches your search." in body
    # The chief still finds it, and exports it; a walled chief would not.
    assert claim.receipt_number in chief.get(reverse("integrity:claim_list"), {"q": "98F01234"}).content.decode()
    export = chief.post(reverse("integrity:claim_export"), {"reason": "Report to the review panel"})
    assert claim.receipt_number in export.content.decode()
    claim.conflicted_users.add(jti_chief)
    export = chief.post(reverse("integrity:claim_export"), {"reason": "Report to the review panel"})
    assert export["Content-Type"].startswith("text/csv")
    assert claim.receipt_number not in export.content.decode()
    assert AuditEntry.objects.filter(action="integrity.record.export").order_by("pk").last().after["rows"] == 0
    # A walled chief cannot manage the wall of that claim either.
    lift = {"user": jti_chief.public_id, "reason": "Mistake"}
    assert chief.post(_u("claim_wall_remove", claim), lift).status_code == 404


def test_lifting_the_wall_needs_a_reason_and_is_audited(jti_staff, jti_chief, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_staff)
    chief = signed_in(client_for, jti_chief)
    url = _u("claim_wall_remove", claim)
    assert chief.post(url, {"user": jti_staff.public_id, "reason": ""}).status_code == 302
    assert chief.post(url, {"user": jti_staff.public_id, "reason": "ok"}).status_code == 302
    assert list(claim.conflicted_users.all()) == [jti_staff]
    assert not AuditEntry.objects.filter(action="integrity.record.change").exists()
    chief.post(url, {"user": jti_staff.public_id, "reason": "Listed by mistake: another deputy tried the case"})
    assert not claim.conflicted_users.exists()
    entry = AuditEntry.objects.get(action="integrity.record.change")
    assert entry.actor_id == jti_chief.pk
    assert entry.before is None
    assert entry.after == {"fields": ["conflicted_users"], "step": "conflict_wall_lifted"}
    step = RecordStep.objects.get(step="conflict_wall_lifted")
    assert "Listed by mistake" in step.note
    assert signed_in(client_for, jti_staff).get(_u("claim_detail", claim)).status_code == 200
    with pytest.raises(ValidationError):
        services_wall.claim_wall_remove(claim=claim, user=jti_staff, actor=jti_chief, reason="Again")


def test_only_the_jti_chief_walls_off_someone_who_is_not_a_chief(jti_staff, jti_chief, personas, client_for):
    claim = f.claim()
    staff = signed_in(client_for, jti_staff)
    prosecutor = personas["community_prosecutor"]
    assert staff.post(_u("claim_wall_add", claim), {"user": prosecutor.pk}).status_code == 403
    # JTI Staff are offered only a JTI Chief (to propose), never themselves.
    page = staff.get(_u("claim_detail", claim)).content.decode()
    form = page[page.index(_u("claim_wall_add", claim)) :]
    form = form[: form.index("</form>")]
    assert f'value="{jti_chief.pk}"' in form
    assert f'value="{prosecutor.pk}"' not in form
    assert f'value="{jti_staff.pk}"' not in form
    for persona in NON_JTI_STAFF:
        client = signed_in(client_for, personas[persona])
        assert client.post(_u("claim_wall_add", claim), {"user": jti_staff.pk}).status_code == 404, persona
    assert not claim.conflicted_users.exists()


def test_wall_changes_need_a_recent_sign_in(jti_staff, jti_chief, client_for):
    claim = f.claim()
    stale = signed_in(client_for, jti_chief, seconds_ago=REAUTH_AFTER_SECONDS + 5)
    response = stale.post(_u("claim_wall_add", claim), {"user": jti_staff.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert str(claim.public_id) in response["Location"]
    assert "wall" not in response["Location"]
    assert not claim.conflicted_users.exists()


def test_a_walled_person_cannot_be_assigned_to_investigate(jti_staff, jti_chief, client_for):
    f.criteria()
    claim = f.claim(status=Claim.Status.SCREENING)
    chief = signed_in(client_for, jti_chief)
    chief.post(_u("claim_wall_add", claim), {"user": jti_staff.pk})
    # Not offered on the page...
    page = chief.get(_u("claim_detail", claim)).content.decode()
    assign_form = page[page.index('id="assign-title"') :]
    assign_form = assign_form[: assign_form.index("</form>")]
    assert f'value="{jti_staff.pk}"' not in assign_form
    assert f'value="{jti_chief.pk}"' in assign_form
    # ...and refused when posted anyway.
    response = chief.post(_u("claim_assign", claim), {"investigator": jti_staff.pk}, follow=True)
    assert "worked the original case and cannot investigate" in response.content.decode()
    claim.refresh_from_db()
    assert claim.investigator is None
    with pytest.raises(ValidationError):
        services_claims.claim_assign(claim=claim, investigator=jti_staff, actor=jti_chief)


def test_the_investigator_cannot_be_walled_off_without_being_replaced(jti_staff, jti_chief, client_for):
    claim = f.claim(status=Claim.Status.INVESTIGATION, investigator=jti_staff)
    response = signed_in(client_for, jti_chief).post(_u("claim_wall_add", claim), {"user": jti_staff.pk}, follow=True)
    assert "assign another investigator first" in response.content.decode()
    assert not claim.conflicted_users.exists()


def test_walling_oneself_off_is_refused(jti_chief, client_for):
    claim = f.claim()
    response = signed_in(client_for, jti_chief).post(_u("claim_wall_add", claim), {"user": jti_chief.pk})
    assert response.status_code == 403
    assert not claim.conflicted_users.exists()


def test_admin_hides_the_claim_from_a_walled_chief(jti_chief, client_for):
    walled = f.claim()
    visible = f.claim()
    walled.conflicted_users.add(jti_chief)
    client = signed_in(client_for, jti_chief)
    changelist = client.get("/admin/integrity/claim/").content.decode()
    assert visible.receipt_number in changelist
    assert walled.receipt_number not in changelist
    response = client.get(f"/admin/integrity/claim/{walled.pk}/change/")
    assert response.status_code == 302
    assert walled.receipt_number not in client.get(response["Location"]).content.decode()
    assert not AuditEntry.objects.filter(action="integrity.record.view", object_id=str(walled.public_id)).exists()
