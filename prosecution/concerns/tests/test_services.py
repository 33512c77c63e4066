"""Writes of the Community Prosecution Unit: submission, routing, resident info, reopening,
status, notes and assignment. Each asserts state, audit entries and e-mails."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from jcr.core.models import AreaAssignment, AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from jcr.core.uploads import image_validate_and_clean
from prosecution.concerns.models import Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.services import BLUR_DEGREES, blur, concern_add_info, concern_not_fixed, concern_submit
from prosecution.concerns.services_desk import concern_add_note, concern_assign, concern_set_status
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _clean_jpeg():
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 10)).save(out, format="JPEG")
    return image_validate_and_clean(SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"))


@pytest.fixture
def graffiti():
    return Category.objects.get(code="graffiti")


@pytest.fixture
def district_with_prosecutor(community_prosecutor, area_in):
    """The police district (an AreaFactory square) that `community_prosecutor` works."""
    assert area_in.assignments.filter(user=community_prosecutor, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR).exists()
    return area_in


def _inside(area) -> dict:
    return {"latitude": area.min_lat + 0.005, "longitude": area.min_lon + 0.005}


def _emails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=template))


# --- concern_submit ---------------------------------------------------------------------------


def test_concern_submit_same_key_twice_makes_one_concern_and_one_email(graffiti):
    key = uuid.uuid4()
    args = {
        "category": graffiti,
        "description": "Tags",
        "address": "5th and J",
        "contact_email": " Ana@Example.org ",
        "submission_key": key,
    }
    first, created_first = concern_submit(**args)
    second, created_second = concern_submit(**args)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Concern.objects.count() == 1
    assert first.contact_email == "ana@example.org"
    assert len(_emails("prosecution/concern_received")) == 1
    assert AuditEntry.objects.filter(action="prosecution.concern.submit").count() == 1


def test_concern_submit_routes_to_the_prosecutor_of_the_police_district(
    graffiti, district_with_prosecutor, community_prosecutor
):
    AreaFactory(name="Elsewhere", lon=-122.5)  # another district, not containing the point
    concern, _created = concern_submit(category=graffiti, description="Tags", **_inside(district_with_prosecutor))
    assert list(concern.areas.all()) == [district_with_prosecutor]
    assert concern.assignee == community_prosecutor
    emails = _emails("prosecution/concern_assigned")
    assert [e.to for e in emails] == [community_prosecutor.email]
    assert f"/staff/community-prosecution/concerns/{concern.public_id}/" in emails[0].body_text
    entry = AuditEntry.objects.get(action="prosecution.concern.submit")
    assert entry.after["areas"] == [district_with_prosecutor.pk]


def test_concern_submit_unplaced_has_no_assignee(graffiti, district_with_prosecutor):
    concern, _created = concern_submit(category=graffiti, description="Tags", latitude=38.9, longitude=-121.0)
    assert not concern.areas.exists()
    assert concern.assignee is None
    assert not _emails("prosecution/concern_assigned")


def test_concern_submit_address_only_is_not_placed(graffiti, district_with_prosecutor):
    concern, _created = concern_submit(category=graffiti, description="Tags", address="5th and J")
    assert concern.assignee is None
    assert concern.public_latitude is None


def test_concern_submit_blurs_the_public_location(graffiti):
    concern, _created = concern_submit(category=graffiti, description="Tags", latitude=38.57661, longitude=-121.49441)
    assert concern.latitude == 38.57661
    assert concern.public_latitude == blur(38.57661)
    assert concern.public_latitude != concern.latitude
    assert abs(concern.public_latitude - concern.latitude) <= BLUR_DEGREES / 2 + 1e-9
    assert abs(concern.public_longitude - concern.longitude) <= BLUR_DEGREES / 2 + 1e-9
    # Two points in the same cell of the grid give the same public position.
    other, _created = concern_submit(category=graffiti, description="Tags", latitude=38.57665, longitude=-121.49445)
    assert (other.public_latitude, other.public_longitude) == (concern.public_latitude, concern.public_longitude)


def test_concern_submit_copies_the_sensitive_flag():
    category = CategoryFactory(code="svc-sensitive", is_sensitive=True)
    concern, _created = concern_submit(category=category, description="x", address="somewhere")
    assert concern.is_sensitive is True
    category.is_sensitive = False
    category.save()
    concern.refresh_from_db()
    assert concern.is_sensitive is True  # a later change of the category does not expose old reports


def test_concern_submit_refuses_without_place_inactive_category_or_too_many_photos(graffiti):
    with pytest.raises(ValidationError):
        concern_submit(category=graffiti, description="x")
    with pytest.raises(ValidationError):
        concern_submit(category=CategoryFactory(code="svc-retired", is_active=False), description="x", address="a")
    with pytest.raises(ValidationError):
        concern_submit(category=graffiti, description="x", address="a", photos=[_clean_jpeg()] * 6)
    assert not Concern.objects.exists()


def test_concern_submit_stores_photos_under_new_names(graffiti):
    concern, _created = concern_submit(category=graffiti, description="x", address="a", photos=[_clean_jpeg()])
    photo = ConcernPhoto.objects.get(concern=concern)
    assert photo.image.startswith("concerns/")
    assert (photo.width, photo.height) == (30, 20)


# --- resident actions -------------------------------------------------------------------------


def test_concern_add_info_records_it_audits_and_tells_the_owner(community_prosecutor):
    concern = ConcernFactory(assignee=community_prosecutor)
    update = concern_add_info(concern=concern, text=" more ", photos=[_clean_jpeg()])
    assert update.kind == ConcernUpdate.Kind.RESIDENT_INFO
    assert update.text == "more"
    assert concern.photos.count() == 1
    assert AuditEntry.objects.filter(action="prosecution.concern.add_info").count() == 1
    assert [e.to for e in _emails("prosecution/concern_resident_info")] == [community_prosecutor.email]


def test_concern_add_info_refuses_empty_and_over_the_photo_limit():
    concern = ConcernFactory()
    with pytest.raises(ValidationError):
        concern_add_info(concern=concern, text="  ")
    for _n in range(5):
        ConcernPhoto.objects.create(concern=concern, image="x.jpg", width=1, height=1)
    with pytest.raises(ValidationError):
        concern_add_info(concern=concern, text="x", photos=[_clean_jpeg()])
    assert not concern.updates.exists()


def test_concern_not_fixed_reopens_audits_and_tells_the_owner(community_prosecutor):
    concern = ConcernFactory(assignee=community_prosecutor, status=Concern.Status.CLOSED, close_reason="done")
    concern_not_fixed(concern=concern, text="Back again")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.UNDER_REVIEW
    assert concern.reopened_count == 1
    assert concern.close_reason == ""
    update = concern.updates.get(kind=ConcernUpdate.Kind.NOT_FIXED)
    assert (update.status_from, update.status_to) == ("closed", "under_review")
    entry = AuditEntry.objects.get(action="prosecution.concern.reopen")
    assert entry.before["status"] == "closed"
    assert [e.to for e in _emails("prosecution/concern_reopened")] == [community_prosecutor.email]


def test_concern_not_fixed_refuses_an_open_concern():
    concern = ConcernFactory(status=Concern.Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        concern_not_fixed(concern=concern, text="x")
    assert not AuditEntry.objects.filter(action="prosecution.concern.reopen").exists()


# --- staff actions ----------------------------------------------------------------------------


def test_concern_set_status_public_update_and_email_in_the_residents_language(cpu_supervisor):
    concern = ConcernFactory(contact_email="luz@example.org", language="es")
    concern_set_status(concern=concern, status=Concern.Status.IN_PROGRESS, actor=cpu_supervisor, public_text="Hola")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.acknowledged_at is not None
    update = concern.updates.get(kind=ConcernUpdate.Kind.STATUS)
    assert (update.text, update.author) == ("Hola", cpu_supervisor)
    assert AuditEntry.objects.get(action="prosecution.concern.status").actor == cpu_supervisor
    email = OutboundEmail.objects.get(template="prosecution/concern_updated")
    assert email.to == "luz@example.org"
    assert email.language == "es"
    assert "Hola" in email.body_text
    assert f"/es/community-prosecution/track/{concern.tracking_code}/" in email.body_text


def test_concern_set_status_closing_needs_a_reason_and_resolving_sets_the_date(cpu_supervisor):
    concern = ConcernFactory()
    with pytest.raises(ValidationError):
        concern_set_status(concern=concern, status=Concern.Status.CLOSED, actor=cpu_supervisor)
    with pytest.raises(ValidationError):
        concern_set_status(concern=concern, status=Concern.Status.RESOLVED, actor=cpu_supervisor)
    concern_set_status(concern=concern, status=Concern.Status.RESOLVED, actor=cpu_supervisor, close_reason="fixed")
    concern.refresh_from_db()
    assert concern.resolved_at is not None
    assert concern.close_reason == Concern.CloseReason.FIXED
    assert not OutboundEmail.objects.exists()  # no address given: nobody to write to


def test_concern_add_note_is_internal_and_audited(cpu_supervisor):
    concern = ConcernFactory(contact_email="ana@example.org")
    with pytest.raises(ValidationError):
        concern_add_note(concern=concern, text=" ", actor=cpu_supervisor)
    update = concern_add_note(concern=concern, text="Owner called", actor=cpu_supervisor)
    assert update.kind == ConcernUpdate.Kind.INTERNAL_NOTE
    assert not update.is_public
    assert AuditEntry.objects.filter(action="prosecution.concern.note").count() == 1
    assert not OutboundEmail.objects.exists()


def test_concern_assign_audits_and_tells_the_new_owner(cpu_supervisor, community_prosecutor):
    concern = ConcernFactory()
    concern_assign(concern=concern, assignee=community_prosecutor, actor=cpu_supervisor)
    concern.refresh_from_db()
    assert concern.assignee == community_prosecutor
    entry = AuditEntry.objects.get(action="prosecution.concern.assign")
    assert entry.before == {"assignee_id": None}
    assert entry.after == {"assignee_id": community_prosecutor.pk}
    assert [e.to for e in _emails("prosecution/concern_assigned")] == [community_prosecutor.email]
    concern_assign(concern=concern, assignee=cpu_supervisor, actor=cpu_supervisor)  # oneself: no e-mail
    assert len(_emails("prosecution/concern_assigned")) == 1
