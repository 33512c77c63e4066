"""My submissions: a resident's own items of every unit, matched by their verified address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrity.records.tests import factories as records
from jcr.accounts.tests.factories import UserFactory
from outreach.events.tests.factories import RegistrationFactory
from outreach.media.tests.factories import subscription
from prosecution.concerns.models_follow import ConcernFollow, OptInStatus
from prosecution.concerns.tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

MINE = "jordan@example.org"


def _page(client_for, user) -> str:
    response = client_for(user).get(reverse("accounts:my_submissions"))
    assert response.status_code == 200
    return response.content.decode()


def test_shows_the_residents_own_items_with_their_actions_and_nobody_elses(client_for):
    user = UserFactory(email=MINE)
    concern = ConcernFactory(contact_email=MINE)
    followed = ConcernFactory()
    follow = ConcernFollow.objects.create(concern=followed, email="Jordan@Example.org", status=OptInStatus.CONFIRMED)
    registration = RegistrationFactory(email=MINE)
    newsletter = subscription(email=MINE)
    others = [
        ConcernFactory(contact_email="someone@example.org"),
        RegistrationFactory(email="someone@example.org"),
    ]
    body = _page(client_for, user)
    assert reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code}) in body
    assert concern.get_status_display() in body
    assert reverse("prosecution:concern_unfollow", kwargs={"token": follow.token}) in body
    assert reverse("outreach:registration_detail", kwargs={"token": registration.token}) in body
    assert registration.event.title in body
    assert reverse("outreach:newsletter_unsubscribe", kwargs={"token": newsletter.token}) in body
    assert others[0].tracking_code not in body
    assert others[1].event.title not in body
    assert "You have not sent anything yet" not in body


def test_an_unverified_address_shows_nothing(client_for):
    user = UserFactory(email=MINE, verified_email=False)
    ConcernFactory(contact_email=MINE)
    body = _page(client_for, user)
    assert "You have not sent anything yet" in body


def test_integrity_records_show_the_receipt_number_and_status_only(client_for):
    user = UserFactory(email=MINE)
    claim = records.claim(writer_email=MINE.upper(), claimant_name="Zz Claimant")
    allegation = records.allegation(complainant_email=MINE, complainant_name="Zz Complainant")
    records.allegation(complainant_email=MINE, is_deleted=True, receipt_number="MA-GONE-0000")
    body = _page(client_for, user)
    assert claim.receipt_number in body
    assert allegation.receipt_number in body
    assert claim.get_status_display() in body
    for content in ("Zz Claimant", "Zz Complainant", claim.case_number, claim.summary, allegation.description):
        assert content not in body
    assert "MA-GONE-0000" not in body
    assert str(claim.public_id) not in body
    assert str(allegation.public_id) not in body
