"""E-mails of the two-person conflict wall change (integrity/records/services_wall.py): a
proposal goes to the people who may confirm it (JTI members other than the proposer and the
walled chief, and not walled off the claim), the decision to the proposer; none names the
claim, the people or the reason, only that a change awaits and a link behind the sign-in.
The claim's history names each wall step in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrity.records import services_wall
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

PROPOSED, DECIDED = "integrity/wall_change_proposed", "integrity/wall_change_decided"


@pytest.fixture
def people(jti_staff, jti_chief):
    return {
        "proposer": jti_staff,
        "chief": jti_chief,  # the person walled off
        "other_staff": StaffFactory(email="jti2@da.example.gov", roles=[roles.JTI_STAFF]),
        "other_chief": StaffFactory(email="chief2@da.example.gov", roles=[roles.JTI_CHIEF]),
        "walled_staff": StaffFactory(email="jti3@da.example.gov", roles=[roles.JTI_STAFF]),
        "outside": StaffFactory(email="cp@da.example.gov", roles=[roles.COMMUNITY_PROSECUTOR]),
    }


def _propose(people):
    claim = f.claim()
    claim.conflicted_users.add(people["walled_staff"])
    change = services_wall.claim_wall_change_propose(
        claim=claim, person=people["chief"], lift=False, actor=people["proposer"], reason="Tried the case in 1998"
    )
    return claim, change


def test_a_proposal_is_mailed_to_the_eligible_confirmers_only_without_claim_details(people):
    claim, _change = _propose(people)
    mails = OutboundEmail.objects.filter(template=PROPOSED)
    assert sorted(m.to for m in mails) == sorted([people["other_staff"].email, people["other_chief"].email])
    link = reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})
    for mail in mails:
        assert link in mail.body_text
        assert link in mail.body_html
        text = mail.subject + mail.body_text + mail.body_html
        for secret in (claim.receipt_number, claim.case_number, claim.claimant_name, "1998", people["chief"].email):
            assert secret not in text


@pytest.mark.parametrize(
    ("decider", "decision", "told"),
    [
        ("other_staff", "confirm", "confirmed"),
        ("other_chief", "reject", "rejected"),
        ("proposer", "reject", None),  # a withdrawal: nobody to tell
    ],
)
def test_the_proposer_is_told_of_the_decision(people, decider, decision, told):
    _claim, change = _propose(people)
    getattr(services_wall, f"claim_wall_change_{decision}")(change=change, actor=people[decider])
    mails = list(OutboundEmail.objects.filter(template=DECIDED))
    if told is None:
        assert mails == []
        return
    assert [m.to for m in mails] == [people["proposer"].email]
    assert told in mails[0].subject
    assert "1998" not in mails[0].body_text


def test_the_claim_history_names_the_wall_steps(people, client_for):
    claim, change = _propose(people)
    services_wall.claim_wall_change_confirm(change=change, actor=people["other_staff"])
    page = signed_in(client_for, people["other_staff"]).get(
        reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})
    )
    html = page.content.decode()
    assert "Wall proposed, waiting for a second person" in html
    assert "Walled off the claim" in html
    assert "<strong>conflict_wall" not in html
