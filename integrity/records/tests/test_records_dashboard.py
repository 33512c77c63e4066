"""The confidential records on the JTI members' staff dashboard: deadlines overdue or due
within 14 days, claims assigned to me, allegations awaiting review; counts and links in a
constant number of queries; soft-deleted and walled-off records are not counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.records import dashboard as dashboard_records
from integrity.records.models import Allegation, Claim, RecordDeadline
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import NON_JTI_STAFF
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _deadline(record, days: int, **kwargs):
    due = timezone.localdate() + timedelta(days=days)
    return RecordDeadline.objects.create(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        due_on=due,
        remind_on=due - timedelta(days=7),
        **({"label": "Response"} | kwargs),
    )


def _world(jti_staff, jti_chief):
    testing = f.testing_request()
    _deadline(testing, -2)  # overdue
    _deadline(testing, 0)  # due today: within 14 days
    _deadline(f.allegation(status=Allegation.Status.REVIEW), 14)  # the last day of the window
    _deadline(testing, 15)  # later
    _deadline(testing, -5, met_at=timezone.now())  # met
    _deadline(f.testing_request(is_deleted=True), -1)  # of a deleted record
    walled = f.claim(investigator=jti_staff)
    walled.conflicted_users.add(jti_staff)
    _deadline(walled, 3)  # of a claim walled off from jti_staff
    f.claim(investigator=jti_staff, status=Claim.Status.INVESTIGATION)
    f.claim(investigator=jti_staff, status=Claim.Status.DISPOSED)
    f.claim(investigator=jti_chief, status=Claim.Status.INVESTIGATION)
    f.allegation()
    f.allegation()
    f.allegation(is_deleted=True)


def test_counts_for_a_jti_member(jti_staff, jti_chief):
    _world(jti_staff, jti_chief)
    assert dashboard_records.counts(user=jti_staff) == {
        "overdue": 1,
        "soon": 2,
        "claims_mine": 1,
        "allegations_received": 2,
    }
    # The chief is not behind the wall: the walled claim's deadline counts for them.
    assert dashboard_records.counts(user=jti_chief)["soon"] == 3
    assert dashboard_records.counts(user=jti_chief)["claims_mine"] == 1


def test_dashboard_page_shows_counts_and_links(jti_staff, jti_chief, client_for):
    _world(jti_staff, jti_chief)
    page = client_for(jti_staff).get(reverse("core:dashboard")).content.decode()
    assert "1 record deadline overdue" in page
    assert "2 record deadlines due within 14 days" in page
    assert "1 wrongful-conviction claim assigned to you" in page
    assert "2 misconduct allegations awaiting review" in page
    assert f"{reverse('integrity:claim_list')}?mine=1" in page
    assert f"{reverse('integrity:allegation_list')}?status=received" in page


@pytest.mark.parametrize("persona", NON_JTI_STAFF)
def test_nothing_of_the_records_outside_jti(persona, personas, jti_staff, jti_chief):
    _world(jti_staff, jti_chief)
    assert dashboard_records.items(user=personas[persona]) == []


def test_the_assigned_to_me_link_lists_my_claims(jti_staff, jti_chief, client_for):
    from integrity.records.tests.test_records_access import signed_in

    mine = f.claim(investigator=jti_staff)
    other = f.claim(investigator=jti_chief)
    page = signed_in(client_for, jti_staff).get(reverse("integrity:claim_list"), {"mine": "1"}).content.decode()
    assert mine.receipt_number in page
    assert other.receipt_number not in page


def test_queries_constant_in_the_number_of_rows(jti_staff, jti_chief, client_for):
    _world(jti_staff, jti_chief)
    jti_staff.has_perm("integrity.access_records")  # the permission cache, filled once per request
    with assert_max_queries(3):
        dashboard_records.items(user=jti_staff)
    client = client_for(jti_staff)
    client.get(reverse("core:dashboard"))
    with assert_max_queries(20) as page_few:
        client.get(reverse("core:dashboard"))
    for _i in range(10):
        _world(jti_staff, jti_chief)
    with assert_max_queries(3):
        items = dashboard_records.items(user=jti_staff)
    assert items[0]["label"] == "11 record deadlines overdue"
    with assert_max_queries(len(page_few)):
        assert client.get(reverse("core:dashboard")).status_code == 200


def test_records_home_lists_no_deadline_of_a_walled_or_deleted_record(jti_staff, jti_chief, client_for):
    from integrity.records.tests.test_records_access import signed_in

    walled = f.claim()
    walled.conflicted_users.add(jti_staff)
    _deadline(walled, 2, label="Walled answer")
    _deadline(f.allegation(is_deleted=True), 2, label="Deleted one")
    _deadline(f.testing_request(), 3, label="Open one")
    page = signed_in(client_for, jti_staff).get(reverse("integrity:records_home")).content.decode()
    assert "Walled answer" not in page
    assert "Deleted one" not in page
    assert "Open one" in page
    assert "Walled answer" in signed_in(client_for, jti_chief).get(reverse("integrity:records_home")).content.decode()


def test_records_home_links_each_deadline_to_its_record_in_constant_queries(jti_staff, client_for):
    from integrity.records.tests.test_records_access import signed_in

    client = signed_in(client_for, jti_staff)
    testing = f.testing_request(case_number="05F09876")
    _deadline(testing, 3)
    client.get(reverse("integrity:records_home"))
    with assert_max_queries(20) as few:
        page = client.get(reverse("integrity:records_home")).content.decode()
    assert reverse("integrity:testing_detail", kwargs={"public_id": testing.public_id}) in page
    assert "05F09876" in page
    for _i in range(6):
        _deadline(f.testing_request(), 4)
        _deadline(f.allegation(), 5)
        _deadline(f.claim(), 6)
        _deadline(f.disclosure_entry(), 7)
    with assert_max_queries(len(few) + 3):  # up to one query more per kind of record
        page = client.get(reverse("integrity:records_home")).content.decode()
    assert page.count('href="/staff/justice-training-integrity/records/claims/') >= 7  # the nav's link and six
