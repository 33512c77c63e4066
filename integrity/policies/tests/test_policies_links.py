"""A bulletin's links to Government Relations' bills and to policies: choosing them on the form,
showing them on the page and in the e-mail (public bill page, staff bill page, or none), and
the data migration's matching of the old free text."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govrelations.bills.tests.factories import BillFactory, SessionFactory
from govrelations.models import Bill
from govrelations.positions.tests.factories import ApprovedPositionFactory
from integrity.policies import selectors, services
from integrity.policies.models import Bulletin
from integrity.policies.tests import factories as f
from jcr.accounts import roles
from jcr.core.models import AuditEntry, OutboundEmail
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

migration = importlib.import_module("integrity.migrations.0004_training_links")


def _public_url(bill):
    return reverse("govrelations:bill_detail", kwargs={"public_id": bill.public_id})


def _staff_url(bill):
    return reverse("govrelations:staff_bill_detail", kwargs={"public_id": bill.public_id})


# --- Finding a bill by its identifier ------------------------------------------------------


def test_bill_find_by_identifier_and_session():
    current = BillFactory(identifier="SB 412")
    older = BillFactory(identifier="SB 412", session=SessionFactory(identifier="20232024", name="2023-2024"))
    BillFactory(identifier="AB 9")
    assert selectors.bill_find("") is None
    assert selectors.bill_find("ab9") == Bill.objects.get(identifier="AB 9")
    assert selectors.bill_find("SB 412 (20252026)") == current
    assert selectors.bill_find("sb-0412 (2023)") == older
    with pytest.raises(ValidationError, match="Several sessions"):
        selectors.bill_find("SB 412")
    with pytest.raises(ValidationError, match="No bill AB 5"):
        selectors.bill_find("AB 5")
    with pytest.raises(ValidationError, match="Type a bill identifier"):
        selectors.bill_find("the veterans bill")


def test_migration_matches_old_text_only_when_one_bill_fits():
    bill = BillFactory(identifier="AB 1012")
    BillFactory(identifier="SB 7")
    BillFactory(identifier="SB 7", session=SessionFactory(identifier="20232024", name="2023-2024"))
    assert migration._bill_for(Bill, "AB 1012 (2026)") == bill
    assert migration._bill_for(Bill, "ab 1012") == bill
    assert migration._bill_for(Bill, "SB 7") is None  # two sessions: the text is kept
    assert migration._bill_for(Bill, "AB 1234 (2026)") is None  # not in the tracker
    assert migration._bill_for(Bill, "People v. Doe (2026)") is None


# --- The form and the page -----------------------------------------------------------------


def test_bulletin_form_saves_bill_and_policies_and_audits(client_for, jti_staff):
    bill = BillFactory(identifier="AB 1012", is_watched=True)
    first, second, _other = f.policy(), f.policy(), f.policy()
    client = client_for(jti_staff)
    page = client.get(reverse("integrity:bulletin_create")).content.decode()
    assert f'<option value="{bill}">' in page  # the watch list is suggested
    response = client.post(
        reverse("integrity:bulletin_create"),
        {
            "title": "Diversion",
            "summary": "S",
            "body": "B",
            "audience": "all",
            "bill": "ab 1012",
            "policies": [first.pk, second.pk],
            "other_reference": "People v. Doe (2026)",
        },
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get(title="Diversion")
    assert bulletin.bill == bill
    assert set(bulletin.policies.all()) == {first, second}
    entry = AuditEntry.objects.get(action="integrity.bulletin.create", object_id=str(bulletin.public_id))
    assert entry.after["bill_id"] == bill.pk
    assert entry.after["policies"] == sorted([first.number, second.number])
    # Editing shows the bill as typed text, and an unknown bill is refused with the reason.
    edit = reverse("integrity:bulletin_edit", kwargs={"public_id": bulletin.public_id})
    assert f'value="{bill}"' in client.get(edit).content.decode()
    bad = client.post(edit, {"title": "Diversion", "summary": "S", "body": "B", "audience": "all", "bill": "AB 5"})
    assert bad.status_code == 200
    assert "No bill AB 5" in bad.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.bill == bill


def test_bulletin_form_query_count_does_not_grow_with_bills_and_policies(client_for, jti_staff):
    client = client_for(jti_staff)
    url = reverse("integrity:bulletin_create")
    BillFactory(is_watched=True)
    f.policy()
    client.get(url)
    with assert_max_queries(12) as few:
        client.get(url)
    for _ in range(25):
        BillFactory(is_watched=True)
        f.policy()
    with assert_max_queries(12) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_bulletin_page_links_public_bill_page_when_position_is_public(client_for, jti_chief, community_prosecutor):
    bill = BillFactory(identifier="AB 1012")
    ApprovedPositionFactory(bill=bill)
    bulletin = f.bulletin(published=True, actor=jti_chief, bill=bill)
    page = client_for(community_prosecutor).get(
        reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})
    )
    assert _public_url(bill) in page.content.decode()


def test_bulletin_page_links_staff_bill_page_only_for_govrel_staff(client_for, jti_chief, gr_analyst):
    bill = BillFactory(identifier="SB 98")
    policy = f.policy(title="Discovery")
    bulletin = f.bulletin(published=True, actor=jti_chief, bill=bill)
    bulletin.policies.add(policy)
    url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})
    analyst_page = client_for(gr_analyst).get(url).content.decode()
    assert _staff_url(bill) in analyst_page
    chief_page = client_for(jti_chief).get(url).content.decode()
    assert "SB 98" in chief_page
    assert _staff_url(bill) not in chief_page  # JTI cannot open Government Relations' staff pages
    assert _public_url(bill) not in chief_page
    assert reverse("integrity:policy_detail", kwargs={"slug": policy.slug}) in chief_page


# --- The e-mail ----------------------------------------------------------------------------


def test_bulletin_email_links_bill_and_policies(jti_chief, gr_analyst, community_prosecutor):
    bill = BillFactory(identifier="SB 98")
    policy = f.policy(title="Discovery")
    bulletin = f.bulletin(groups=[roles.JTI_CHIEF, roles.GR_ANALYST, roles.COMMUNITY_PROSECUTOR], bill=bill)
    bulletin.policies.add(policy)
    services.bulletin_publish(bulletin=bulletin, actor=jti_chief)
    emails = OutboundEmail.objects.filter(related_id=str(bulletin.public_id))
    analyst = emails.get(to=gr_analyst.email)
    prosecutor = emails.get(to=community_prosecutor.email)
    assert _staff_url(bill) in analyst.body_text
    assert _staff_url(bill) in analyst.body_html
    assert "SB 98" in prosecutor.body_text
    assert _staff_url(bill) not in prosecutor.body_text
    assert reverse("integrity:policy_detail", kwargs={"slug": policy.slug}) in prosecutor.body_text
    # Once the office's position is public, everyone gets the public page.
    ApprovedPositionFactory(bill=bill)
    later = f.bulletin(groups=[roles.COMMUNITY_PROSECUTOR], bill=bill)
    services.bulletin_publish(bulletin=later, actor=jti_chief)
    email = OutboundEmail.objects.get(related_id=str(later.public_id), to=community_prosecutor.email)
    assert _public_url(bill) in email.body_text


def test_bill_deleted_in_govrelations_leaves_the_bulletin(jti_chief):
    bill = BillFactory()
    bulletin = f.bulletin(bill=bill)
    bill.positions.all().delete()
    Bill.objects.filter(pk=bill.pk).delete()
    bulletin.refresh_from_db()
    assert bulletin.bill is None
