"""The admin of the confidential records for the JTI Chief (who holds the admin-site
permission since integrity migration 0005): opening a record needs a recent sign-in, reads and
saves are logged, nothing is deleted; the Administrator still sees none of the confidential
models; JTI Staff do not reach the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CONFIDENTIAL = ("allegation", "claim", "testingrequest", "disclosureentry", "allegationattachment", "recordstep")


def test_jti_chief_opens_a_record_in_admin_and_the_read_is_logged(jti_chief, client_for):
    allegation = f.allegation(description="Withheld a lab report")
    stale = client_for(jti_chief)
    response = stale.get(f"/admin/integrity/allegation/{allegation.pk}/change/")
    assert response.status_code == 302, "opening a record in admin needs a recent sign-in too"
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()
    client = signed_in(client_for, jti_chief)
    index = client.get("/admin/").content.decode()
    for model in CONFIDENTIAL:
        assert f"/admin/integrity/{model}/" in index, model
    response = client.get(f"/admin/integrity/allegation/{allegation.pk}/change/")
    assert response.status_code == 200
    assert "Withheld a lab report" in response.content.decode()
    entry = AuditEntry.objects.get(action="integrity.record.view")
    assert entry.actor_id == jti_chief.pk
    assert entry.object_id == str(allegation.public_id)
    # Nothing is deleted from the admin: no delete page, no bulk action.
    assert client.get(f"/admin/integrity/allegation/{allegation.pk}/delete/").status_code == 403
    assert "delete_selected" not in client.get("/admin/integrity/allegation/").content.decode()


def test_attachment_admin_links_to_the_logged_download(jti_chief, client_for):
    from django.core.files.base import ContentFile

    from integrity.records.models import AllegationAttachment

    attachment = AllegationAttachment(
        allegation=f.allegation(), original_name="a.pdf", content_type="application/pdf", size=5
    )
    attachment.file.save("u.pdf", ContentFile(b"%PDF-"), save=False)
    attachment.save()
    page = signed_in(client_for, jti_chief).get(f"/admin/integrity/allegationattachment/{attachment.pk}/change/")
    assert page.status_code == 200
    assert f"/attachments/{attachment.pk}/" in page.content.decode()


def test_administrator_sees_no_confidential_model(administrator, client_for):
    allegation = f.allegation()
    client = client_for(administrator)
    index = client.get("/admin/").content.decode()
    for model in CONFIDENTIAL:
        assert f"/admin/integrity/{model}/" not in index, model
    assert client.get("/admin/integrity/allegation/").status_code == 403
    assert client.get(f"/admin/integrity/allegation/{allegation.pk}/change/").status_code == 403
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()


def test_jti_staff_do_not_reach_the_admin(jti_staff, client_for):
    client = client_for(jti_staff)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/integrity/allegation/").status_code == 403
