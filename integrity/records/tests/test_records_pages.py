"""Pages that complete the issue's lists: the per-case disclosure log."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import NON_JTI_STAFF, signed_in
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def test_disclosures_in_one_case_from_every_entry(jti_staff, client_for):
    vega = f.disclosure_entry(officer_name="Officer Pat Vega")
    lee = f.disclosure_entry(officer_name="Officer Sam Lee", is_active=False)
    gone = f.disclosure_entry(officer_name="Officer Deleted", is_deleted=True)
    other = f.disclosure_entry(officer_name="Officer Elsewhere")
    f.disclosure_log(vega, case_number="24F00001", disclosed_on=date(2026, 4, 1), disclosed_to="Public Defender")
    f.disclosure_log(lee, case_number="24f00001", disclosed_on=date(2026, 3, 1), disclosed_to="Conflict Counsel")
    f.disclosure_log(gone, case_number="24F00001")
    f.disclosure_log(other, case_number="24F00002")
    client = signed_in(client_for, jti_staff)
    page = client.get(reverse("integrity:disclosure_case"), {"case": " 24F00001 "}).content.decode()
    assert "Officer Pat Vega" in page
    assert "Officer Sam Lee" in page
    assert page.index("Officer Pat Vega") < page.index("Officer Sam Lee")  # newest first
    assert "removed" in page
    assert "Officer Deleted" not in page
    assert "Officer Elsewhere" not in page
    empty = client.get(reverse("integrity:disclosure_case"), {"case": "99X"}).content.decode()
    assert "Nothing was disclosed in this case." in empty
    # The entry's page links each case to this log.
    detail = client.get(reverse("integrity:disclosure_detail", kwargs={"public_id": vega.public_id})).content.decode()
    assert f"{reverse('integrity:disclosure_case')}?case=24F00001" in detail


@pytest.mark.parametrize("persona", NON_JTI_STAFF)
def test_per_case_log_is_404_outside_jti(persona, personas, client_for):
    f.disclosure_log(f.disclosure_entry(officer_name="Officer Pat Vega"), case_number="24F00001")
    response = signed_in(client_for, personas[persona]).get(reverse("integrity:disclosure_case"), {"case": "24F00001"})
    assert response.status_code == 404


def test_per_case_log_queries_constant(jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    f.disclosure_log(f.disclosure_entry(), case_number="24F00001")
    client.get(reverse("integrity:disclosure_case"), {"case": "24F00001"})
    with assert_max_queries(12) as few:
        client.get(reverse("integrity:disclosure_case"), {"case": "24F00001"})
    for _i in range(10):
        f.disclosure_log(f.disclosure_entry(), case_number="24F00001")
    with assert_max_queries(len(few)):
        page = client.get(reverse("integrity:disclosure_case"), {"case": "24F00001"}).content.decode()
    assert page.count("Officer Pat Vega") == 11


def test_disposition_letter_to_print(jti_staff, jti_chief, client_for):
    from integrity.records.models import Claim
    from jcr.core.models import AuditEntry

    claim = f.claim(
        status=Claim.Status.DISPOSED,
        disposition=Claim.Disposition.DECLINED,
        disposition_letter="We reviewed your claim and cannot reopen the case.",
        claimant_contact="CDCR #A12345\nFolsom State Prison",
    )
    url = reverse("integrity:claim_letter", kwargs={"public_id": claim.public_id})
    client = signed_in(client_for, jti_chief)
    detail = client.get(reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})).content.decode()
    assert "We reviewed your claim and cannot reopen the case." in detail
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "We reviewed your claim and cannot reopen the case." in body
    assert "Folsom State Prison" in body
    assert "letter-print.css" in body
    assert AuditEntry.objects.filter(action="integrity.record.view", object_id=str(claim.public_id)).count() == 2
    # Walled off: 404; no letter: 404; an old sign-in: re-authenticate first.
    claim.conflicted_users.add(jti_staff)
    assert signed_in(client_for, jti_staff).get(url).status_code == 404
    no_letter = f.claim()
    assert client.get(reverse("integrity:claim_letter", kwargs={"public_id": no_letter.public_id})).status_code == 404
    assert signed_in(client_for, jti_chief, seconds_ago=3600).get(url).status_code == 302
