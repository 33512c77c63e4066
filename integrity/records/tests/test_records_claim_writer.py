"""Wrongful-conviction claims written on another's behalf: the public form asks who is writing
(the person convicted, a family member, their lawyer, an innocence organization, someone
else), the writer's name (required unless the person convicted writes) and relationship, and
how each prefers to be reached. The answers are confidential: the audit names no value, error
reports keep none, the thank-you page shows none. Staff see them on the claim's page, and no
disposition is preselected."""

from __future__ import annotations

import re
from importlib import import_module
from unittest import mock

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from integrity.records.models import Claim
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from integrity.records.tests.test_records_intake import claim_data
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

ON_BEHALF = {
    "writer": "family",
    "writer_name": "Sam Roe",
    "writer_relationship": "Mother",
    "writer_contact": "12 Elm St, Sacramento",
    "writer_email": "Sam@Example.org",
    "writer_contact_preference": "email",
    "claimant_contact_preference": "writer",
    "contact": "",
    "email": "",
}


def _submit(client, **extra):
    return client.post(reverse("integrity:claim_submit"), claim_data(**extra))


def test_a_family_member_writes_for_the_person_convicted(client):
    response = _submit(client, **ON_BEHALF)
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.writer, claim.writer_name, claim.writer_relationship) == ("family", "Sam Roe", "Mother")
    assert claim.writer_contact == "12 Elm St, Sacramento"
    assert claim.writer_email == "sam@example.org"
    assert (claim.writer_contact_preference, claim.claimant_contact_preference) == ("email", "writer")
    # The receipt goes to whoever wrote.
    assert OutboundEmail.objects.get(template="integrity/claim_received").to == "sam@example.org"
    # The thank-you page shows the receipt number and nothing of the claim.
    page = client.get(response["Location"]).content.decode()
    assert claim.receipt_number in page
    for value in ("Sam Roe", "Mother", "Elm St", "sam@example.org", "Alex Roe"):
        assert value not in page
    # The audit entry of the submission names no value.
    entry = AuditEntry.objects.get(action="integrity.claim.submit")
    assert "Sam" not in f"{entry.before} {entry.after} {entry.object_repr}"


@pytest.mark.parametrize("writer", ["family", "counsel", "innocence_org", "other"])
def test_writer_name_required_unless_the_person_convicted_writes(writer, client):
    response = _submit(client, **(ON_BEHALF | {"writer": writer, "writer_name": ""}))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_writer_name">Your name: Enter your name' in page
    assert not Claim.objects.exists()


def test_relationship_required_for_family_and_others_only(client):
    response = _submit(client, **(ON_BEHALF | {"writer_relationship": ""}))
    assert '<a href="#id_writer_relationship">' in response.content.decode()
    assert _submit(client, **(ON_BEHALF | {"writer": "counsel", "writer_relationship": ""})).status_code == 302


def test_someone_writing_for_another_gives_a_way_to_reach_them(client):
    response = _submit(
        client, **(ON_BEHALF | {"writer_contact": "", "writer_email": "", "writer_contact_preference": ""})
    )
    assert '<a href="#id_writer_contact">' in response.content.decode()
    assert not Claim.objects.exists()


def test_the_person_convicted_writes_and_needs_no_writer_name(client):
    response = _submit(client, writer_name="Ignored", writer_relationship="Ignored", claimant_contact_preference="mail")
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.writer == "self"
    assert (claim.writer_name, claim.writer_relationship) == ("", "")
    assert claim.claimant_contact_preference == "mail"
    # Writing yourself, "through the person who wrote" makes no sense; and a contact is needed.
    response = _submit(client, case_number="01F2", claimant_contact_preference="writer", contact="")
    page = response.content.decode()
    assert '<a href="#id_claimant_contact_preference_0">' in page
    assert '<a href="#id_contact">' in page


def test_who_is_writing_must_be_answered_and_the_error_links_to_the_radio_group(client):
    response = _submit(client, writer="")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_writer_0">Who is writing this claim?: This field is required.</a>' in page
    assert not Claim.objects.exists()


def test_the_form_groups_its_radios_in_a_fieldset_with_a_legend_in_both_languages():
    with translation.override("en"):
        url = reverse("integrity:claim_submit")
    for prefix in ("", "/es"):
        page = Client().get(prefix + url).content.decode()
        for name in ("writer", "claimant_contact_preference", "writer_contact_preference", "language"):
            group = re.search(
                rf'<div id="div_id_{name}"[^>]*>\s*<fieldset[^>]*>\s*<legend[^>]*>.*?</fieldset>', page, re.S
            )
            assert group, name
            assert f'id="id_{name}_0"' in group.group(0), name
        assert 'for="id_writer_name"' in page
        assert 'for="id_writer_relationship"' in page
    spanish = Client().get("/es" + url)
    assert spanish.status_code == 200
    assert 'lang="es"' in spanish.content.decode()


def test_a_claim_in_spanish_written_by_counsel(client):
    with translation.override("en"):
        url = "/es" + reverse("integrity:claim_submit")
    response = client.post(
        url,
        claim_data(**(ON_BEHALF | {"writer": "counsel", "writer_relationship": "", "language": "es"})),
    )
    assert response.status_code == 302
    assert Claim.objects.get().writer == "counsel"


def test_error_reports_keep_no_writer_value(settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@da.example.gov")]
    client = Client(raise_request_exception=False)
    with mock.patch("integrity.records.services_claims.claim_submit", side_effect=RuntimeError("boom")):
        response = client.post(reverse("integrity:claim_submit"), claim_data(**ON_BEHALF))
    assert response.status_code == 500
    report = "\n".join(m.body + "".join(str(a[0]) for a in m.alternatives) for m in mailoutbox)
    assert "RuntimeError" in report
    for value in ("Sam Roe", "Mother", "Elm St", "Sam@Example.org"):
        assert value not in report


def test_staff_see_who_wrote(jti_staff, client_for):
    claim = f.claim(
        writer="innocence_org",
        writer_name="Pat Lee",
        writer_relationship="Northern California Innocence Project",
        writer_contact="PO Box 1",
        writer_contact_preference="phone",
    )
    old = f.claim(case_number="90F1")
    client = signed_in(client_for, jti_staff)
    page = client.get(reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})).content.decode()
    for text in ("An innocence organization", "Pat Lee", "Northern California Innocence Project", "PO Box 1", "Phone"):
        assert text in page
    page = client.get(reverse("integrity:claim_detail", kwargs={"public_id": old.public_id})).content.decode()
    assert "Not asked" in page


def test_no_disposition_is_preselected(jti_staff, client_for):
    claim = f.claim(status=Claim.Status.SCREENING)
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})
    page = client.get(url).content.decode()
    select = re.search(r'<select name="disposition".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>' in select
    assert "selected" not in select.replace('<option value="" selected>', "")
    response = client.post(reverse("integrity:claim_dispose", kwargs={"public_id": claim.public_id}), follow=True)
    assert "Choose the disposition." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SCREENING
    assert claim.disposition == ""


def test_the_migration_clears_only_undecided_dispositions():
    migration = import_module("integrity.migrations.0010_claim_writer")
    decided = f.claim(status=Claim.Status.DISPOSED, disposition="declined", disposition_letter="Sorry")
    undecided = f.claim(status=Claim.Status.SCREENING, disposition="declined", case_number="01F9")
    migration.clear_undecided_dispositions(apps, None)
    decided.refresh_from_db()
    undecided.refresh_from_db()
    assert decided.disposition == "declined"
    assert undecided.disposition == ""
