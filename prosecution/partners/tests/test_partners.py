"""The partners directory and referrals of concerns to partners: who may see and change what,
the suggestions, the referral's e-mail (never the resident's contact details), its refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jcr.core.models import AuditEntry, OutboundEmail
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory
from prosecution.partners import selectors as partner_selectors
from prosecution.partners import services as partner_services
from prosecution.partners.models import Partner, PartnerContact, Referral
from prosecution.partners.tests.factories import PartnerContactFactory, PartnerFactory, ReferralFactory
from prosecution.projects.tests.factories import ProjectFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _partner_url(partner, name="staff_partner_detail") -> str:
    return reverse(f"prosecution:{name}", kwargs={"public_id": partner.public_id})


def _refer_url(concern) -> str:
    return reverse("prosecution:staff_concern_refer", kwargs={"public_id": concern.public_id})


def _concern_in(area, **fields) -> Concern:
    concern = ConcernFactory(
        contact_name="Pat Resident", contact_email="pat@example.org", contact_phone="916-555-0100", **fields
    )
    concern.areas.add(area)
    return concern


# --- Directory -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("resident", 302),
        ("resident_user", 403),
        ("outreach_staff", 403),
        ("community_prosecutor", 200),
        ("prosecutor_other_area", 200),
        ("cpu_supervisor", 200),
        ("bureau_chief", 200),
    ],
)
def test_partner_list_persona_matrix(persona, expected, personas, client_for):
    PartnerFactory(name="County Code Enforcement")
    response = client_for(personas[persona]).get(reverse("prosecution:staff_partner_list"))
    assert response.status_code == expected
    if expected == 200:
        assert "County Code Enforcement" in response.content.decode()


def test_partner_list_search_and_filters(client_for, community_prosecutor, area_in):
    graffiti = CategoryFactory(code="graffiti")
    city = PartnerFactory(name="City Code Compliance", kind=Partner.Kind.AGENCY)
    city.categories.add(graffiti)
    city.areas.add(area_in)
    PartnerContactFactory(partner=city, name="Dana Inspector", email="dana@city.example.org")
    PartnerFactory(name="Oak Park Neighborhood Association", kind=Partner.Kind.COMMUNITY_GROUP)
    PartnerFactory(name="Old Partner", is_active=False)
    client = client_for(community_prosecutor)
    url = reverse("prosecution:staff_partner_list")

    def names(**params):
        return [p.name for p in client.get(url, params).context["partners"]]

    assert names() == ["City Code Compliance", "Oak Park Neighborhood Association"]
    assert names(q="dana") == ["City Code Compliance"]
    assert names(kind="community_group") == ["Oak Park Neighborhood Association"]
    assert names(category="graffiti") == ["City Code Compliance"]
    assert names(area=str(area_in.public_id)) == ["City Code Compliance"]
    assert names(active="inactive") == ["Old Partner"]
    assert len(names(active="all")) == 3


@pytest.mark.parametrize("n", [2, 20])
def test_partner_list_query_count_is_constant(n, client_for, cpu_supervisor, area_in):
    category = CategoryFactory()
    for _ in range(n):
        partner = PartnerFactory()
        partner.categories.add(category)
        partner.areas.add(area_in)
        PartnerContactFactory(partner=partner)
        ReferralFactory(partner=partner)
    client = client_for(cpu_supervisor)
    with assert_max_queries(12):
        assert client.get(reverse("prosecution:staff_partner_list")).status_code == 200


def test_partner_create_and_edit_write_audit_entries(client_for, community_prosecutor, area_in):
    category = CategoryFactory(code="blight")
    client = client_for(community_prosecutor)
    response = client.post(
        reverse("prosecution:staff_partner_create"),
        {
            "name": "  County Code Enforcement ",
            "kind": "agency",
            "jurisdiction": "Unincorporated county",
            "areas": [str(area_in.public_id)],
            "categories": ["blight"],
            "phone": "916-555-0000",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _partner_url(partner)
    assert partner.name == "County Code Enforcement"
    assert list(partner.categories.all()) == [category]
    assert list(partner.areas.all()) == [area_in]
    assert AuditEntry.objects.filter(action="prosecution.partner.create", actor=community_prosecutor).exists()
    response = client.post(
        _partner_url(partner, "staff_partner_edit"), {"name": "County Code Enforcement", "kind": "agency"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    assert list(partner.categories.all()) == []
    entry = AuditEntry.objects.get(action="prosecution.partner.update")
    assert entry.before["is_active"] is True
    assert entry.after["is_active"] is False


def test_partner_form_errors_are_shown(client_for, community_prosecutor):
    response = client_for(community_prosecutor).post(reverse("prosecution:staff_partner_create"), {"kind": "agency"})
    assert response.status_code == 400
    assert not Partner.objects.exists()
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(("persona", "expected"), [("bureau_chief", 403), ("outreach_staff", 403), ("resident", 302)])
def test_partner_changes_are_refused_to_read_only_people(persona, expected, personas, client_for):
    partner = PartnerFactory()
    client = client_for(personas[persona])
    assert client.get(reverse("prosecution:staff_partner_create")).status_code == expected
    assert client.post(_partner_url(partner, "staff_partner_edit"), {"name": "X", "kind": "agency"}).status_code == (
        expected
    )
    response = client.post(_partner_url(partner, "staff_partner_contact_add"), {"name": "Someone"})
    assert response.status_code == expected
    assert not PartnerContact.objects.exists()


def test_contacts_add_primary_replaces_the_old_one_and_remove(client_for, cpu_supervisor):
    partner = PartnerFactory()
    old = PartnerContactFactory(partner=partner, is_primary=True)
    client = client_for(cpu_supervisor)
    response = client.post(
        _partner_url(partner, "staff_partner_contact_add"),
        {"name": "Sam Officer", "role": "POP officer", "email": "SAM@pd.example.org", "is_primary": "on"},
    )
    assert response.status_code == 302
    new = PartnerContact.objects.get(name="Sam Officer")
    assert new.email == "sam@pd.example.org"
    assert new.is_primary
    old.refresh_from_db()
    assert not old.is_primary
    remove = reverse(
        "prosecution:staff_partner_contact_remove", kwargs={"public_id": partner.public_id, "contact_id": old.public_id}
    )
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not PartnerContact.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(action="prosecution.partner.contact_remove").exists()


def test_partner_page_shows_contacts_projects_and_only_referrals_in_scope(
    client_for, community_prosecutor, area_in, area_other
):
    partner = PartnerFactory(name="Sacramento PD")
    PartnerContactFactory(partner=partner, name="Officer Lee")
    mine = _concern_in(area_in)
    theirs = _concern_in(area_other)
    ReferralFactory(partner=partner, concern=mine)
    ReferralFactory(partner=partner, concern=theirs)
    project = ProjectFactory(title="Motel on Stockton Blvd")
    project.areas.add(area_in)
    project.partner_links.create(partner=partner, role="Patrols")
    other_project = ProjectFactory(title="Natomas warehouse")
    other_project.areas.add(area_other)
    other_project.partner_links.create(partner=partner)
    client = client_for(community_prosecutor)
    client.get(reverse("prosecution:staff_partner_list"))
    with assert_max_queries(12):
        response = client.get(_partner_url(partner))
    body = response.content.decode()
    assert "Officer Lee" in body
    assert "Motel on Stockton Blvd" in body
    assert "Patrols" in body
    assert "Natomas warehouse" not in body
    assert mine.tracking_code in body
    assert theirs.tracking_code not in body


# --- Referral suggestions ------------------------------------------------------------------------
def test_suggestions_rank_category_and_area_matches_first(area_in, area_other):
    category = CategoryFactory()
    concern = ConcernFactory(category=category)
    concern.areas.add(area_in)
    both = PartnerFactory(name="Zeta both")
    both.categories.add(category)
    both.areas.add(area_in)
    by_area = PartnerFactory(name="Beta area")
    by_area.areas.add(area_in)
    by_category = PartnerFactory(name="Alpha category")
    by_category.categories.add(category)
    PartnerFactory(name="Aardvark none").areas.add(area_other)
    PartnerFactory(name="Inactive", is_active=False).categories.add(category)
    ranked = partner_selectors.partner_suggestions(category_id=category.pk, area_ids=[area_in.pk])
    assert [p["name"] for p in ranked] == ["Zeta both", "Alpha category", "Beta area", "Aardvark none"]
    assert [p["suggested"] for p in ranked] == [True, True, True, False]


def test_suggestions_carry_the_contacts_with_their_addresses():
    category = CategoryFactory()
    partner = PartnerFactory(name="Police")
    PartnerContactFactory(partner=partner, name="B no mail", email="", is_primary=False)
    PartnerContactFactory(partner=partner, name="A primary", is_primary=True)
    PartnerFactory(name="No contacts")
    ranked = partner_selectors.partner_suggestions(category_id=category.pk, area_ids=[])
    assert [p["name"] for p in ranked] == ["No contacts", "Police"]
    assert ranked[0]["contacts"] == []
    assert [(c["name"], c["has_email"]) for c in ranked[1]["contacts"]] == [("A primary", True), ("B no mail", False)]


# --- Referral ------------------------------------------------------------------------------------
def test_referral_emails_the_partner_without_resident_details_and_marks_the_concern(
    client_for, community_prosecutor, area_in, django_capture_on_commit_callbacks
):
    concern = _concern_in(area_in, description="Overgrown lot with trash.", address="4500 Broadway", language="es")
    partner = PartnerFactory(name="County Code Enforcement")
    contact = PartnerContactFactory(partner=partner, name="Dana", email="dana@county.example.org", is_primary=False)
    PartnerContactFactory(partner=partner, name="Primary", email="primary@county.example.org", is_primary=True)
    client = client_for(community_prosecutor)
    page = client.get(reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id}))
    assert "Refer to a partner" in page.content.decode()
    response = client.post(
        _refer_url(concern),
        {"partner": str(partner.public_id), "contact": str(contact.public_id), "message": "Please inspect the lot."},
        follow=True,
    )
    assert response.status_code == 200
    referral = Referral.objects.get()
    assert (referral.partner, referral.contact, referral.to_email) == (partner, contact, "dana@county.example.org")
    assert referral.referred_by == community_prosecutor
    email = OutboundEmail.objects.get(template="prosecution/partner_referral")
    assert referral.email == email
    assert email.to == "dana@county.example.org"
    assert "Please inspect the lot." in email.body_text
    assert "4500 Broadway" in email.body_text
    assert "Overgrown lot with trash." in email.body_text
    # The concern's public reference: its tracking code is the resident's own.
    assert concern.public_ref in email.subject
    assert concern.tracking_code not in email.body_text + email.subject
    for private in ("Pat Resident", "pat@example.org", "916-555-0100"):
        assert private not in email.body_text
        assert private not in email.subject
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REFERRED
    update = concern.updates.get(kind=ConcernUpdate.Kind.STATUS)
    assert "County Code Enforcement" in update.text
    assert AuditEntry.objects.filter(action="prosecution.concern.refer", actor=community_prosecutor).exists()
    # The resident is told, in Spanish; the page lists the referral.
    assert OutboundEmail.objects.filter(to="pat@example.org", template="prosecution/concern_updated").exists()
    body = response.content.decode()
    assert "dana@county.example.org" in body
    assert "Please inspect the lot." in body


def test_referral_to_the_primary_contact_by_default(client_for, cpu_supervisor):
    concern = ConcernFactory()
    partner = PartnerFactory()
    PartnerContactFactory(partner=partner, email="", is_primary=True)
    PartnerContactFactory(partner=partner, email="second@x.example.org", is_primary=False)
    client_for(cpu_supervisor).post(_refer_url(concern), {"partner": str(partner.public_id)})
    assert Referral.objects.get().to_email == "second@x.example.org"


@pytest.mark.parametrize("problem", ["closed", "inactive", "no_email"])
def test_referral_refusals_are_form_errors(problem, client_for, cpu_supervisor):
    concern = ConcernFactory(status=Concern.Status.CLOSED if problem == "closed" else Concern.Status.RECEIVED)
    partner = PartnerFactory(name="Public Works", is_active=problem != "inactive")
    PartnerContactFactory(partner=partner, email="" if problem == "no_email" else "pw@x.example.org")
    response = client_for(cpu_supervisor).post(_refer_url(concern), {"partner": str(partner.public_id)})
    assert response.status_code == 400
    assert not Referral.objects.exists()
    assert not OutboundEmail.objects.exists()
    body = response.content.decode()
    assert "There is a problem" in body
    expected = {
        "closed": "This concern is closed",
        "inactive": "Select a valid choice",  # an inactive partner is not offered
        "no_email": "has no contact with an e-mail address",
    }[problem]
    assert expected in body
    concern.refresh_from_db()
    assert concern.status != Concern.Status.REFERRED


def test_referral_service_refuses_each_case_with_a_clear_message(cpu_supervisor):
    partner = PartnerFactory(name="Public Works")
    PartnerContactFactory(partner=partner, email="")
    with pytest.raises(Exception, match="no contact with an e-mail address"):
        partner_services.concern_refer(concern=ConcernFactory(), partner=partner, actor=cpu_supervisor)
    partner.is_active = False
    partner.save()
    with pytest.raises(Exception, match="no longer an active partner"):
        partner_services.concern_refer(concern=ConcernFactory(), partner=partner, actor=cpu_supervisor)
    with pytest.raises(Exception, match="closed"):
        partner_services.concern_refer(
            concern=ConcernFactory(status=Concern.Status.RESOLVED), partner=PartnerFactory(), actor=cpu_supervisor
        )
    other = PartnerContactFactory()
    with pytest.raises(Exception, match="does not work for this partner"):
        partner_services.concern_refer(
            concern=ConcernFactory(), partner=PartnerContactFactory().partner, contact=other, actor=cpu_supervisor
        )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("resident", 302),
        ("outreach_staff", 403),
        ("prosecutor_other_area", 404),
        ("bureau_chief", 403),
        ("community_prosecutor", 302),
        ("cpu_supervisor", 302),
    ],
)
def test_referral_persona_matrix(persona, expected, personas, client_for, area_in):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    partner = PartnerContactFactory().partner
    response = client_for(personas[persona]).post(_refer_url(concern), {"partner": str(partner.public_id)})
    assert response.status_code == expected
    assert Referral.objects.exists() == (expected == 302 and persona != "resident")


def test_referral_get_is_405_in_scope_and_404_outside(client_for, prosecutor_other_area, community_prosecutor, area_in):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    assert client_for(community_prosecutor).get(_refer_url(concern)).status_code == 405
    assert client_for(prosecutor_other_area).get(_refer_url(concern)).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_concern_page_with_the_referral_form_stays_in_budget(n, client_for, cpu_supervisor):
    concern = ConcernFactory()
    for _ in range(n):
        partner = PartnerContactFactory().partner
        PartnerContactFactory(partner=partner, is_primary=False)
        partner_services.concern_refer(concern=concern, partner=partner, actor=cpu_supervisor, message="m")
    client = client_for(cpu_supervisor)
    url = reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id})
    client.get(url)
    with assert_max_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["refer_form"].fields["partner"].choices) == n + 1
    assert response.content.decode().count("Referred to Test partner") == n
