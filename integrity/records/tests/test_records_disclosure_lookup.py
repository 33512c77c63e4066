"""The disclosure (Brady) index as prosecutors use it: a line prosecutor asks before trial
whether an officer has an entry and gets "there is an entry: contact JTI" or "no entry
found", never the entry; each lookup is rate-limited and logged (who, what was asked, the
answer). JTI's own reads of the index (list, search, entry, export) and every refusal are
logged too, and need a recent sign-in."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from integrity.records.models import DisclosureEntry
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.audit import audit_entries_visible_to
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOOKUP = reverse("integrity:disclosure_lookup")
FOUND = "There is a disclosure index entry for this officer."
NOT_FOUND = "No entry found"
SECRET_DOCS = "IA finding 2019-044: false report"


@pytest.fixture
def entry(db):
    return f.disclosure_entry(
        officer_name="Officer Pat Vega", badge_number="4127", agency="City Police", supporting_documents=SECRET_DOCS
    )


def _lookups():
    return AuditEntry.objects.filter(action="integrity.record.lookup").order_by("pk")


def _ask(client, **data):
    return client.post(LOOKUP, {"name": "", "badge": "", "agency": ""} | data)


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ({"badge": "4127"}, "entry"),
        ({"badge": " 41-27 "}, "entry"),  # spaces and dashes do not matter
        ({"badge": "4127", "agency": "city police"}, "entry"),
        ({"badge": "4127", "agency": "County Sheriff"}, "none"),  # another agency's badge 4127
        ({"badge": "412"}, "none"),  # no partial badge numbers
        ({"name": "Officer Pat Vega"}, "entry"),
        ({"name": "officer  pat   VEGA"}, "entry"),  # case and spaces do not matter
        ({"name": "Pat Vega"}, "none"),  # exactly the name on the entry
        ({"name": "Officer Pat Vegas"}, "none"),
        ({"name": "Vega"}, "invalid"),  # a full name, not a surname
        ({"name": "P Vega"}, "invalid"),  # not initials
        ({"name": "Pat %"}, "invalid"),  # no wildcards
        ({"name": "Officer Pat Vega", "badge": "4127"}, "invalid"),  # one or the other
        ({}, "invalid"),
        ({"badge": "#!"}, "invalid"),
    ],
)
def test_a_line_prosecutor_gets_a_minimal_logged_answer(asked, answer, entry, community_prosecutor, client_for):
    client = signed_in(client_for, community_prosecutor)
    response = _ask(client, **asked)
    assert response.status_code == 200
    page = response.content.decode()
    assert (FOUND in page) == (answer == "entry")
    assert (NOT_FOUND in page) == (answer == "none")
    if answer == "entry":
        assert "jti@da.example.gov" in page  # the JTI contact (JCR_JTI_CONTACT_EMAIL)
    # Never the entry itself: no basis, documents, id or link to it.
    for secret in (SECRET_DOCS, "Dishonesty", str(entry.public_id), "/disclosures/"):
        assert secret not in page
    logged = _lookups().get()
    assert logged.actor_id == community_prosecutor.pk
    assert logged.after["answer"] == answer
    assert logged.object_type == "integrity.disclosureentry"
    assert logged.object_id == ""  # the log does not point at the entry either
    assert SECRET_DOCS not in str(logged.after)
    if asked.get("badge") and answer != "invalid":
        assert logged.after["filters"]["badge"] == asked["badge"].replace("-", "").strip()


def test_entries_that_no_longer_stand_are_not_found(community_prosecutor, client_for):
    f.disclosure_entry(officer_name="Deputy Ann Hale", badge_number="S1", is_active=False)
    f.disclosure_entry(officer_name="Deputy Bo Hale", badge_number="S2", is_deleted=True)
    f.disclosure_entry(
        officer_name="Deputy Cy Hale", badge_number="S3", reconsideration=DisclosureEntry.Reconsideration.REMOVED
    )
    client = signed_in(client_for, community_prosecutor)
    for badge in ("S1", "S2", "S3"):
        assert NOT_FOUND in _ask(client, badge=badge).content.decode()
    for name in ("Deputy Ann Hale", "Deputy Bo Hale", "Deputy Cy Hale"):
        assert NOT_FOUND in _ask(client, name=name).content.decode()


def test_lookups_are_rate_limited_per_person(entry, community_prosecutor, settings, client_for):
    settings.JCR_RATE_LIMITS = settings.JCR_RATE_LIMITS | {"disclosure_lookup": "3/h/email"}
    client = signed_in(client_for, community_prosecutor)
    for badge in ("1000", "1001", "1002"):
        assert NOT_FOUND in _ask(client, badge=badge).content.decode()
    page = _ask(client, badge="4127").content.decode()
    assert "Too many lookups" in page
    assert FOUND not in page  # no answer above the limit, even for a real entry
    assert [e.after["answer"] for e in _lookups()] == ["none", "none", "none", "rate_limited"]


def test_the_name_asked_never_travels_in_the_address(entry, community_prosecutor, client_for):
    client = signed_in(client_for, community_prosecutor)
    page = client.get(LOOKUP, {"name": "Officer Pat Vega"}).content.decode()
    assert FOUND not in page
    assert 'method="post"' in page
    assert not _lookups().exists()


def test_lookup_needs_a_recent_sign_in(entry, community_prosecutor, client_for):
    stale = signed_in(client_for, community_prosecutor, seconds_ago=3600)
    for response in (stale.get(LOOKUP), _ask(stale, badge="4127")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not _lookups().exists()
    assert AuditEntry.objects.filter(action="integrity.record.denied", after__reason="reauth").count() == 2


@pytest.mark.parametrize("persona", ["outreach_staff", "gr_analyst", "administrator", "bureau_chief"])
def test_staff_without_the_lookup_get_404_and_the_refusal_is_logged(persona, entry, personas, client_for):
    client = signed_in(client_for, personas[persona])
    assert client.get(LOOKUP).status_code == 404
    assert _ask(client, badge="4127").status_code == 404
    assert not _lookups().exists()
    denied = AuditEntry.objects.filter(action="integrity.record.denied", actor_id=personas[persona].pk)
    assert denied.count() == 2
    assert {(d.object_type, d.after["reason"]) for d in denied} == {("integrity.disclosureentry", "permission")}


def test_a_resident_is_refused(resident_user, client_for):
    assert signed_in(client_for, resident_user).get(LOOKUP).status_code == 403


def test_the_lookup_log_is_for_jti_only(entry, community_prosecutor, administrator, jti_chief, client_for):
    _ask(signed_in(client_for, community_prosecutor), name="Officer Pat Vega")
    logged = _lookups().get()
    assert logged.after["filters"] == {"name": "officer pat vega"}
    assert not audit_entries_visible_to(user=administrator).filter(pk=logged.pk).exists()
    assert not audit_entries_visible_to(user=community_prosecutor).filter(pk=logged.pk).exists()
    page = signed_in(client_for, jti_chief).get(reverse("integrity:access_log"), {"action": "lookup"})
    body = page.content.decode()
    assert "Officer lookup" in body
    assert "entry found: told to contact JTI" in body
    assert community_prosecutor.email in body


# --- JTI's own reads of the index ---------------------------------------------------------


def test_jti_list_and_search_are_logged_and_need_a_recent_sign_in(entry, jti_staff, client_for):
    f.disclosure_entry(officer_name="Deputy Ann Hale", badge_number="S1", agency="County Sheriff")
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:disclosure_list")
    body = client.get(url, {"q": "4127"}).content.decode()
    assert "Officer Pat Vega" in body
    assert "Deputy Ann Hale" not in body
    body = client.get(url, {"q": "sheriff"}).content.decode()
    assert "Deputy Ann Hale" in body
    reads = AuditEntry.objects.filter(action="integrity.record.list", object_type="integrity.disclosureentry")
    assert [(r.after["filters"], r.after["rows"]) for r in reads.order_by("pk")] == [
        ({"q": "4127"}, 1),
        ({"q": "sheriff"}, 1),
    ]
    stale = signed_in(client_for, jti_staff, seconds_ago=3600)
    response = stale.get(url, {"q": "4127"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert reads.count() == 2
    assert AuditEntry.objects.filter(action="integrity.record.denied", after__reason="reauth").count() == 1


def test_the_export_is_the_chiefs_logged_and_needs_a_recent_sign_in(entry, jti_staff, jti_chief, client_for):
    url = reverse("integrity:disclosure_export")
    response = signed_in(client_for, jti_chief).post(url, {"reason": "Annual audit of the index"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:3] == ["Officer Pat Vega", "4127", "City Police"]
    assert SECRET_DOCS not in response.content.decode()
    export = AuditEntry.objects.get(action="integrity.record.export")
    assert export.after == {"reason": "Annual audit of the index", "rows": 1}
    assert export.object_type == "integrity.disclosureentry"
    # JTI Staff: 404, logged; an old sign-in: re-authenticate, logged.
    assert signed_in(client_for, jti_staff).post(url, {"reason": "Curious about it"}).status_code == 404
    stale = signed_in(client_for, jti_chief, seconds_ago=3600)
    assert stale.post(url, {"reason": "Annual audit of the index"})["Location"].startswith(
        reverse("account_reauthenticate")
    )
    assert AuditEntry.objects.filter(action="integrity.record.export").count() == 1
    reasons = set(AuditEntry.objects.filter(action="integrity.record.denied").values_list("after__reason", flat=True))
    assert reasons == {"permission", "reauth"}


def test_jti_staff_may_use_the_lookup_too_and_it_is_logged(entry, jti_staff, client_for):
    assert FOUND in _ask(signed_in(client_for, jti_staff), badge="4127").content.decode()
    assert _lookups().get().actor_id == jti_staff.pk
