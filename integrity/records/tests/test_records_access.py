"""The access layer of the confidential records: 404 outside JTI, the conflict wall,
logging of views, changes and exports, re-authentication after ten minutes, soft delete."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from conftest import PERSONA_NAMES
from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.models import Allegation
from integrity.records.tests import factories as f
from jcr.core.models import AuditEntry

JTI = ("jti_staff", "jti_chief")
NON_JTI_STAFF = [p for p in PERSONA_NAMES if p not in (*JTI, "resident", "resident_user")]


def signed_in(client_for, user, *, seconds_ago: float = 0):
    """A client whose session records an authentication `seconds_ago` (as allauth does)."""
    client = client_for(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time() - seconds_ago}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def _urls():
    allegation = f.allegation()
    claim = f.claim()
    testing = f.testing_request()
    entry = f.disclosure_entry()
    return [
        reverse("integrity:records_home"),
        reverse("integrity:allegation_list"),
        reverse("integrity:allegation_new"),
        reverse("integrity:allegation_export"),
        reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id}),
        reverse("integrity:claim_list"),
        reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id}),
        reverse("integrity:testing_list"),
        reverse("integrity:testing_detail", kwargs={"public_id": testing.public_id}),
        reverse("integrity:disclosure_list"),
        reverse("integrity:disclosure_detail", kwargs={"public_id": entry.public_id}),
    ]


@pytest.mark.parametrize("persona", NON_JTI_STAFF)
def test_staff_outside_jti_get_404_everywhere(persona, personas, client_for):
    client = signed_in(client_for, personas[persona])
    urls = _urls()
    for url in urls:
        assert client.get(url).status_code == 404, (persona, url)
    # Nothing read; each attempt logged as refused.
    entries = AuditEntry.objects.filter(action__startswith="integrity.record.")
    assert set(entries.values_list("action", "after__reason", "actor_id")) == {
        ("integrity.record.denied", "permission", personas[persona].pk)
    }
    assert entries.count() == len(urls)


def test_residents_are_refused_and_anonymous_sent_to_sign_in(personas, client_for):
    urls = _urls()
    for url in urls:
        assert client_for(personas["resident_user"]).get(url).status_code == 403
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", JTI)
def test_jti_open_every_page_and_each_read_is_logged(persona, personas, client_for):
    client = signed_in(client_for, personas[persona])
    allegation = f.allegation()
    url = reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})
    response = client.get(url)
    assert response.status_code == 200
    assert allegation.description in response.content.decode()
    entry = AuditEntry.objects.get(action="integrity.record.view")
    assert entry.actor_id == personas[persona].pk
    assert entry.object_id == str(allegation.public_id)
    assert entry.object_type == "integrity.allegation"
    client.get(url)
    assert AuditEntry.objects.filter(action="integrity.record.view").count() == 2


def test_conflict_wall_hides_the_claim_even_from_jti(jti_staff, jti_chief, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_staff)
    walled = signed_in(client_for, jti_staff)
    detail = reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})
    assert walled.get(detail).status_code == 404
    assert walled.post(reverse("integrity:claim_note", kwargs={"public_id": claim.public_id})).status_code == 404
    assert claim.receipt_number not in walled.get(reverse("integrity:claim_list")).content.decode()
    # Even with an old sign-in the walled person gets 404, not the re-authentication page.
    assert signed_in(client_for, jti_staff, seconds_ago=3600).get(detail).status_code == 404
    other = signed_in(client_for, jti_chief)
    assert other.get(detail).status_code == 200
    assert claim.receipt_number in other.get(reverse("integrity:claim_list")).content.decode()


def test_record_pages_need_a_sign_in_less_than_ten_minutes_old(jti_staff, client_for):
    allegation = f.allegation()
    url = reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})
    stale = signed_in(client_for, jti_staff, seconds_ago=REAUTH_AFTER_SECONDS + 5)
    response = stale.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "next=" in response["Location"]
    assert str(allegation.public_id) in response["Location"]
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()
    fresh = signed_in(client_for, jti_staff, seconds_ago=REAUTH_AFTER_SECONDS - 30)
    assert fresh.get(url).status_code == 200
    # force_login alone records no authentication: re-authenticate.
    assert client_for(jti_staff).get(url).status_code == 302


def test_export_needs_the_permission_a_reason_and_is_logged(jti_staff, jti_chief, client_for):
    f.allegation()
    f.allegation()
    url = reverse("integrity:allegation_export")
    assert signed_in(client_for, jti_staff).post(url, {"reason": "Annual report"}).status_code == 404
    chief = signed_in(client_for, jti_chief)
    response = chief.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert not AuditEntry.objects.filter(action="integrity.record.export").exists()
    response = chief.post(url, {"reason": "Annual report to the board"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.count("\n") == 3
    assert "sam@example.org" not in body
    entry = AuditEntry.objects.get(action="integrity.record.export")
    assert entry.actor_id == jti_chief.pk
    assert entry.after == {"reason": "Annual report to the board", "rows": 2}
    assert signed_in(client_for, jti_chief, seconds_ago=3600).post(url, {"reason": "x" * 10}).status_code == 302


def test_changes_are_logged(jti_staff, client_for):
    allegation = f.allegation()
    client = signed_in(client_for, jti_staff)
    response = client.post(
        reverse("integrity:allegation_advance", kwargs={"public_id": allegation.public_id}), {"to_status": "review"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="integrity.record.change")
    assert entry.actor_id == jti_staff.pk
    # A confidential record's history names the fields that changed, never their values.
    assert entry.before is None
    assert entry.after == {"fields": ["status"], "step": "review"}


def test_soft_delete_keeps_the_row_and_hides_it(jti_staff, client_for):
    allegation = f.allegation()
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:record_delete", kwargs={"kind": "allegation", "public_id": allegation.public_id})
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not Allegation.objects.get(pk=allegation.pk).is_deleted
    assert client.post(url, {"reason": "Duplicate of another report"}).status_code == 302
    allegation.refresh_from_db()
    assert allegation.is_deleted
    assert allegation.deleted_at is not None
    assert Allegation.objects.filter(pk=allegation.pk).exists()
    detail = reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})
    assert client.get(detail).status_code == 404
    assert allegation.receipt_number not in client.get(reverse("integrity:allegation_list")).content.decode()


def test_legal_hold_refuses_soft_delete(jti_staff, client_for):
    allegation = f.allegation(legal_hold=True)
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:record_delete", kwargs={"kind": "allegation", "public_id": allegation.public_id})
    client.post(url, {"reason": "Cleanup"})
    allegation.refresh_from_db()
    assert not allegation.is_deleted


def test_admin_is_for_jti_only_never_deletes_and_logs_reads(administrator, jti_chief, rf):
    from django.contrib import admin

    from jcr.accounts import roles

    allegation = f.allegation()
    model_admin = admin.site._registry[Allegation]
    request = rf.get("/")
    request.user = administrator
    assert not model_admin.has_view_permission(request)
    assert not model_admin.has_module_permission(request)
    jti_chief.groups.add(*type(jti_chief.groups.first()).objects.filter(name=roles.ADMINISTRATOR))
    jti_chief = type(jti_chief).objects.get(pk=jti_chief.pk)
    request.user = jti_chief
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_delete_permission(request, allegation)
    assert "delete_selected" not in model_admin.get_actions(request)
    model_admin.get_object(request, str(allegation.pk))
    assert AuditEntry.objects.filter(action="integrity.record.view", actor_id=jti_chief.pk).count() == 1


def test_protected_foreign_keys(db):
    from django.db.models import ProtectedError

    from integrity.records.models import AllegationAttachment

    allegation = f.allegation()
    AllegationAttachment.objects.create(
        allegation=allegation, file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=1
    )
    with pytest.raises(ProtectedError):
        allegation.delete()
