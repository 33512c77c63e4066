"""Query counts that stay the same whatever the number of rows: the acknowledgement lists of
bulletins and policy versions, a bulletin's linked policies and a person's pending items. Each
page is opened at two sizes and must run exactly as many queries at the larger one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govrelations.bills.tests.factories import BillFactory
from integrity.policies import services
from integrity.policies.models import BulletinReminder, PolicyAcknowledgement
from integrity.policies.tests import factories as f
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

BUDGET = 15


def _same_at_two_sizes(client, url, grow, *, small=2, large=15):
    grow(small)
    client.get(url)  # warm caches (sessions, permissions) the same way for both measures
    with assert_max_queries(BUDGET) as few:
        assert client.get(url).status_code == 200
    grow(large)
    with assert_max_queries(BUDGET) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.queries]


def test_bulletin_acknowledgement_list_constant_in_recipients(client_for, jti_chief, settings):
    settings.JCR_LEGAL_UPDATE_REMINDER_DAYS = 7
    bulletin = f.bulletin(published=True, groups=[roles.OUTREACH_STAFF])
    url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})

    def grow(n):
        people = [StaffFactory(roles=[roles.OUTREACH_STAFF], totp=False) for _ in range(n)]
        for i, person in enumerate(people):
            receipt = bulletin.recipients.create(person=person)
            if i % 2:
                receipt.acknowledged_at = timezone.now()
                receipt.save()
            else:
                for sequence in (1, 2):
                    BulletinReminder.objects.create(recipient=receipt, sequence=sequence, sent_at=timezone.now())

    _same_at_two_sizes(client_for(jti_chief), url, grow)


def test_bulletin_page_with_links_constant_in_policies(client_for, jti_chief):
    bulletin = f.bulletin(published=True, bill=BillFactory())
    url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})

    def grow(n):
        bulletin.policies.add(*[f.policy() for _ in range(n)])

    _same_at_two_sizes(client_for(jti_chief), url, grow)


def test_policy_version_acknowledgements_constant_in_people(client_for, jti_chief):
    policy = f.policy()
    version = f.version(policy=policy, effective_on=timezone.localdate() - timedelta(days=3))
    url = reverse("integrity:policy_version", kwargs={"slug": policy.slug, "number": version.number})

    def grow(n):
        for i in range(n):
            person = StaffFactory(roles=[roles.OUTREACH_STAFF], totp=False)
            if i % 2:
                PolicyAcknowledgement.objects.create(version=version, person=person, acknowledged_at=timezone.now())

    _same_at_two_sizes(client_for(jti_chief), url, grow)


def test_my_acknowledgements_constant_in_pending_items(client_for, jti_staff):
    def grow(n):
        for _ in range(n):
            f.bulletin(published=True)
            f.version(policy=f.policy())
        for receipt in jti_staff.bulletin_receipts.all()[: n // 2]:
            services.bulletin_acknowledge(bulletin=receipt.bulletin, person=jti_staff)

    _same_at_two_sizes(client_for(jti_staff), reverse("integrity:my_acknowledgements"), grow)
