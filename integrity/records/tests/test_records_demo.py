import pytest

from integrity.records import demo as demo_records
from integrity.records.models import Allegation, Claim, DisclosureEntry, TestingRequest
from jcr.accounts.demo import people_seed

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_each_record_type_with_a_conflict_wall_and_is_idempotent():
    people_seed()
    demo_records.seed()
    demo_records.seed()
    assert Allegation.objects.count() == 7
    assert Claim.objects.count() == 3
    assert TestingRequest.objects.count() == 2
    assert DisclosureEntry.objects.count() == 2
    walled = Claim.objects.filter(conflicted_users__email="prosecutor@demo.jcr.example")
    assert walled.count() == 1
    assert Claim.objects.filter(conflicted_users__email="jti@demo.jcr.example").count() == 1


def test_demo_has_a_record_on_hold_and_one_past_retention():
    from integrity.records.selectors import RETENTION_DUE, RETENTION_HOLD, retention_rows
    from jcr.accounts.tests.factories import UserFactory

    people_seed()
    demo_records.seed()
    viewer = UserFactory()
    assert [r["kind"] for r in retention_rows(user=viewer, show=RETENTION_HOLD)] == ["testing"]
    assert [r["kind"] for r in retention_rows(user=viewer, show=RETENTION_DUE)] == ["disclosure"]
