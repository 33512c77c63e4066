"""Residents' pages through the real views: report, "is it one of these?", tracking."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from prosecution.concerns.models import Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.resident_links import concern_action_token
from prosecution.concerns.services_desk import concern_set_status
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, ConcernUpdateFactory, QuestionFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def _photo(name="photo.jpg", data=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else _jpeg(), content_type="image/jpeg")


def _report_data(**overrides) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "description": "Graffiti on the wall of the laundromat",
        "address": "5th and J",
        "when_happens": "daily",
        "language": "en",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "form_ts": form_timestamp(scope="concern_submit", seconds_ago=30),
    }
    data.update(overrides)
    return data


def _url(name, language="en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"prosecution:{name}", kwargs=kwargs)


@pytest.fixture
def graffiti():
    return Category.objects.get(code="graffiti")


# --- Report ---------------------------------------------------------------------------------


def test_report_category_page_lists_active_categories_in_the_language(resident):
    CategoryFactory(code="retired", name="Retired kind", is_active=False)
    response = resident.get(_url("report", "es"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Grafiti" in body
    assert "Retired kind" not in body
    assert body.count("<h1") == 1


def test_report_category_choice_leads_to_the_category_form(resident):
    response = resident.get(_url("report"), {"category": "graffiti"})
    assert response.status_code == 302
    assert response["Location"] == _url("report_form", code="graffiti")


def test_report_category_unknown_choice_is_an_error(resident):
    response = resident.get(_url("report"), {"category": "nope"})
    assert response.status_code == 200
    assert "Choose one of the kinds of concern listed." in response.content.decode()


def test_report_form_renders_the_category_questions_in_spanish(resident):
    response = resident.get(_url("report_form", "es", code="graffiti"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "¿Dónde está el grafiti?" in body
    assert "En una cerca o muro" in body
    assert 'name="submission_key"' in body
    assert 'value="es" checked' in body or 'value="es"\n' in body or "checked" in body


def test_report_form_unknown_or_inactive_category_is_404(resident):
    CategoryFactory(code="retired", is_active=False)
    assert resident.get(_url("report_form", code="retired")).status_code == 404
    assert resident.get(_url("report_form", code="no-such")).status_code == 404


def test_report_submit_creates_a_concern_and_shows_the_tracking_code(resident, graffiti, mailoutbox):
    data = _report_data(q_surface="fence", q_offensive="no", contact_email="Ana@Example.org", contact_name="Ana")
    response = resident.post(_url("report_form", code="graffiti"), data)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response["Location"] == _url("report_done", tracking_code=concern.tracking_code)
    assert concern.category == graffiti
    assert concern.answers == {"surface": "fence", "offensive": "no"}
    assert concern.when_happens == "daily"
    assert concern.contact_email == "ana@example.org"
    assert concern.language == "en"
    assert OutboundEmail.objects.filter(to="ana@example.org", template="prosecution/concern_received").count() == 1
    done = resident.get(response["Location"])
    assert concern.tracking_code in done.content.decode()
    assert _url("concern_track", tracking_code=concern.tracking_code) in done.content.decode()


def test_report_submit_in_spanish_keeps_the_language_and_mails_in_spanish(resident, graffiti):
    data = _report_data(q_surface="building", language="es", contact_email="luz@example.org")
    response = resident.post(_url("report_form", "es", code="graffiti"), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/es/")
    concern = Concern.objects.get()
    assert concern.language == "es"
    email = OutboundEmail.objects.get(template="prosecution/concern_received")
    assert email.language == "es"
    assert f"/es/community-prosecution/track/{concern.tracking_code}/" in email.body_text


def test_report_required_question_missing_is_refused_and_keeps_what_was_typed(resident):
    response = resident.post(_url("report_form", code="graffiti"), _report_data(contact_name="Ana Typed"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ana Typed" in body
    assert "Graffiti on the wall of the laundromat" in body
    assert not Concern.objects.exists()


def test_report_without_address_or_location_is_refused(resident):
    response = resident.post(_url("report_form", code="graffiti"), _report_data(address="", q_surface="fence"))
    assert response.status_code == 200
    assert "Give an address or place" in response.content.decode()
    assert not Concern.objects.exists()


def test_report_rejected_photo_says_why_and_keeps_everything_else(resident):
    data = _report_data(q_surface="fence", contact_name="Ana Typed", contact_phone="916-555-0101")
    data["photos"] = [_photo("notes.jpg", b"<html>not an image</html>")]
    response = resident.post(_url("report_form", code="graffiti"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "notes.jpg" in body
    assert "not a JPEG, PNG or WebP image" in body
    assert "choose them again" in body
    for kept in ("Ana Typed", "916-555-0101", "Graffiti on the wall of the laundromat", data["submission_key"]):
        assert kept in body
    assert 'value="fence" checked' in body or ('value="fence"' in body and "checked" in body)
    assert not Concern.objects.exists()
    assert not ConcernPhoto.objects.exists()


def test_report_with_photos_stores_them(resident):
    data = _report_data(q_surface="fence")
    data["photos"] = [_photo("a.jpg"), _photo("b.jpg")]
    response = resident.post(_url("report_form", code="graffiti"), data)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.photos.count() == 2
    stored = [p.image.rsplit("/", 1)[-1] for p in concern.photos.all()]
    assert all(len(name.split(".")[0]) == 32 for name in stored)  # new random names, not a.jpg / b.jpg


def test_report_more_than_five_photos_is_refused(resident):
    data = _report_data(q_surface="fence")
    data["photos"] = [_photo(f"{n}.jpg") for n in range(6)]
    response = resident.post(_url("report_form", code="graffiti"), data)
    assert response.status_code == 200
    assert "at most 5 photos" in response.content.decode()
    assert not Concern.objects.exists()


def test_report_double_submit_creates_one_concern(resident, mailoutbox):
    data = _report_data(q_surface="fence", contact_email="ana@example.org")
    first = resident.post(_url("report_form", code="graffiti"), data)
    data["form_ts"] = form_timestamp(scope="concern_submit", seconds_ago=31)
    second = resident.post(_url("report_form", code="graffiti"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Concern.objects.count() == 1
    assert OutboundEmail.objects.filter(template="prosecution/concern_received").count() == 1
    assert AuditEntry.objects.filter(action="prosecution.concern.submit").count() == 1


def test_report_honeypot_refused_creates_nothing(resident):
    response = resident.post(_url("report_form", code="graffiti"), _report_data(q_surface="fence", website="spam"))
    assert response.status_code == 200
    assert "must stay empty" in response.content.decode()
    assert not Concern.objects.exists()


def test_report_too_fast_refused_creates_nothing(resident):
    data = _report_data(q_surface="fence", form_ts=form_timestamp(scope="concern_submit", seconds_ago=0))
    response = resident.post(_url("report_form", code="graffiti"), data)
    assert response.status_code == 200
    assert "too quickly" in response.content.decode()
    assert not Concern.objects.exists()


def test_report_rate_limit_per_email_refuses_with_a_clear_message(resident, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "concern_submit": "100/h/ip,2/h/email"}
    for _n in range(2):
        response = resident.post(
            _url("report_form", code="graffiti"), _report_data(q_surface="fence", contact_email="a@example.org")
        )
        assert response.status_code == 302
    response = resident.post(
        _url("report_form", code="graffiti"), _report_data(q_surface="fence", contact_email="a@example.org")
    )
    assert response.status_code == 200
    assert "Too many submissions" in response.content.decode()
    assert Concern.objects.count() == 2


def test_report_sensitive_category_is_marked_sensitive(resident):
    response = resident.post(_url("report_form", code="squatters"), _report_data())
    assert response.status_code == 302
    assert Concern.objects.get().is_sensitive is True


def test_report_typed_location_is_kept_and_blurred(resident):
    data = _report_data(q_surface="fence", address="", latitude="38.57661", longitude="-121.49441")
    assert resident.post(_url("report_form", code="graffiti"), data).status_code == 302
    concern = Concern.objects.get()
    assert concern.latitude == pytest.approx(38.57661)
    assert concern.public_latitude != concern.latitude


def test_report_multivalue_and_number_questions(resident):
    QuestionFactory(category=Category.objects.get(code="illegal-dumping"), code="bags", datatype="number")
    data = _report_data(q_items=["tires", "furniture"], q_bags="3")
    response = resident.post(_url("report_form", code="illegal-dumping"), data)
    assert response.status_code == 302
    assert Concern.objects.get().answers == {"items": ["tires", "furniture"], "bags": 3}


# --- Is it one of these? --------------------------------------------------------------------


def test_check_shows_open_public_concerns_nearby_without_saving(resident, graffiti):
    near = ConcernFactory(
        category=graffiti, description="Tags on the bakery wall zzneartext", public_text_state="published"
    )
    ConcernFactory(category=graffiti, description="zzfartext", public_latitude=38.60, public_longitude=-121.494)
    ConcernFactory(category=graffiti, description="zzclosedtext", status=Concern.Status.RESOLVED)
    ConcernFactory(category=Category.objects.get(code="blight"), description="zzothercategory")
    sensitive = CategoryFactory(code="check-sensitive", is_sensitive=True)
    ConcernFactory(category=sensitive, description="zzsensitivetext")
    data = _report_data(check="1", latitude="38.5772", longitude="-121.4941", contact_name="Ana Typed")
    response = resident.post(_url("report_form", code="graffiti"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "zzneartext" in body
    assert _url("concern_public", public_ref=near.public_ref) in body
    assert near.tracking_code not in body
    for absent in ("zzfartext", "zzclosedtext", "zzothercategory", "zzsensitivetext", near.address):
        assert absent not in body
    assert "Ana Typed" in body  # what was typed is kept
    assert data["submission_key"] in body
    assert "There is a problem" not in body  # checking judges nothing
    assert Concern.objects.count() == 5  # the five above, nothing new


def test_check_without_location_explains_and_saves_nothing(resident):
    response = resident.post(_url("report_form", code="graffiti"), _report_data(check="1"))
    assert response.status_code == 200
    assert "We could not find this address in the county" in response.content.decode()  # "5th and J"
    assert not Concern.objects.exists()


# --- Tracking -------------------------------------------------------------------------------


def test_track_page_shows_public_updates_and_hides_private_things(resident, cpu_supervisor):
    area = AreaFactory(name="Midtown Beat")
    concern = ConcernFactory(
        contact_name="Zz Ana Private", contact_email="zzprivate@example.org", contact_phone="916-555-9999"
    )
    concern.areas.add(area)
    concern_set_status(
        concern=concern, status=Concern.Status.IN_PROGRESS, actor=cpu_supervisor, public_text="Crew sent zzpublic"
    )
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="zzinternalnote")
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.RESIDENT_INFO, text="zzresidentinfo")
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text="zzpublicupdate")
    response = resident.get(_url("concern_track", tracking_code=concern.tracking_code))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Crew sent zzpublic" in body
    assert "zzpublicupdate" in body
    assert "In progress" in body
    assert "Midtown Beat" in body
    for private in ("zzinternalnote", "zzresidentinfo", "Zz Ana Private", "zzprivate", "916-555-9999", concern.address):
        assert private not in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_track_page_of_a_sensitive_concern_shows_no_location(resident):
    category = CategoryFactory(code="track-sensitive", is_sensitive=True)
    area = AreaFactory(name="Zz Secret Area")
    concern = ConcernFactory(category=category, description="My own report")
    concern.areas.add(area)
    response = resident.get(_url("concern_track", tracking_code=concern.tracking_code))
    body = response.content.decode()
    assert response.status_code == 200
    assert "My own report" not in body  # the text of a sensitive kind awaits review
    assert "Zz Secret Area" not in body
    assert concern.address not in body


def test_track_unknown_code_is_404(resident):
    assert resident.get(_url("concern_track", tracking_code="NOSUCH99")).status_code == 404


def test_track_find_form_leads_to_the_page_and_normalises_the_code(resident):
    concern = ConcernFactory()
    typed = f" {concern.tracking_code[:4].lower()}-{concern.tracking_code[4:].lower()} "
    response = resident.get(_url("concern_track_find"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == _url("concern_track", tracking_code=concern.tracking_code)
    missing = resident.get(_url("concern_track_find"), {"code": "NOSUCH99"})
    assert missing.status_code == 200
    assert "No report has this tracking code" in missing.content.decode()


@pytest.mark.parametrize("updates", [1, 10])
def test_track_page_query_count_is_constant(resident, updates):
    concern = ConcernFactory()
    concern.areas.add(AreaFactory(), AreaFactory())
    for n in range(updates):
        ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text=f"update {n}")
    url = _url("concern_track", tracking_code=concern.tracking_code)
    with assert_max_queries(8):
        response = resident.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("update ") >= updates


def _info_data(concern=None, **overrides) -> dict:
    """The add-information form as the link of the resident's e-mail posts it (with its token)."""
    data = {
        "token": concern_action_token(concern=concern, action="add_info") if concern else "",
        "info-text": "It got worse on Sunday",
        "info-website": "",
        "info-form_ts": form_timestamp(scope="concern_update", seconds_ago=30),
    }
    data.update(overrides)
    return data


def test_add_info_records_it_and_tells_the_owner(resident, community_prosecutor):
    concern = ConcernFactory(assignee=community_prosecutor)
    data = _info_data(concern)
    data["info-photos"] = [_photo()]
    response = resident.post(_url("concern_add_info", tracking_code=concern.tracking_code), data)
    assert response.status_code == 302
    update = concern.updates.get(kind=ConcernUpdate.Kind.RESIDENT_INFO)
    assert update.text == "It got worse on Sunday"
    assert concern.photos.count() == 1
    assert OutboundEmail.objects.filter(
        to=community_prosecutor.email, template="prosecution/concern_resident_info"
    ).exists()
    page = resident.get(response["Location"]).content.decode()
    assert "It got worse on Sunday" not in page  # staff read it; it is not public


def test_add_info_empty_is_refused(resident):
    concern = ConcernFactory()
    url = _url("concern_add_info", tracking_code=concern.tracking_code)
    response = resident.post(url, _info_data(concern, **{"info-text": ""}))
    assert response.status_code == 200
    assert "Write something or add a photo." in response.content.decode()
    assert not concern.updates.exists()


def test_add_info_honeypot_refused(resident):
    concern = ConcernFactory()
    response = resident.post(
        _url("concern_add_info", tracking_code=concern.tracking_code), _info_data(concern, **{"info-website": "x"})
    )
    assert response.status_code == 200
    assert not concern.updates.exists()


def test_add_info_link_shows_the_form_only_with_its_token(resident):
    concern = ConcernFactory()
    url = _url("concern_add_info", tracking_code=concern.tracking_code)
    assert resident.get(url).status_code == 403
    page = resident.get(url, {"token": concern_action_token(concern=concern, action="add_info")})
    assert page.status_code == 200
    assert "info-text" in page.content.decode()
    assert resident.put(url).status_code == 405


def _not_fixed_data(concern=None, **overrides) -> dict:
    data = {
        "token": concern_action_token(concern=concern, action="not_fixed") if concern else "",
        "notfixed-text": "Still there",
        "notfixed-website": "",
        "notfixed-form_ts": form_timestamp(scope="concern_update", seconds_ago=30),
    }
    data.update(overrides)
    return data


def test_not_fixed_reopens_a_resolved_concern_and_tells_the_owner(resident, community_prosecutor):
    concern = ConcernFactory(assignee=community_prosecutor, status=Concern.Status.RESOLVED)
    link = _url("concern_not_fixed", tracking_code=concern.tracking_code)
    page = resident.get(link, {"token": concern_action_token(concern=concern, action="not_fixed")}).content.decode()
    assert "It is not fixed" in page
    response = resident.post(link, _not_fixed_data(concern))
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.UNDER_REVIEW
    assert concern.reopened_count == 1
    assert concern.updates.filter(kind=ConcernUpdate.Kind.NOT_FIXED).count() == 1
    assert OutboundEmail.objects.filter(to=community_prosecutor.email, template="prosecution/concern_reopened").exists()


def test_not_fixed_on_an_open_concern_is_refused(resident):
    concern = ConcernFactory(status=Concern.Status.IN_PROGRESS)
    link = _url("concern_not_fixed", tracking_code=concern.tracking_code)
    page = resident.get(link, {"token": concern_action_token(concern=concern, action="not_fixed")}).content.decode()
    assert "notfixed-text" not in page
    response = resident.post(link, _not_fixed_data(concern))
    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.reopened_count == 0


# --- Sitemap --------------------------------------------------------------------------------


def test_sitemap_lists_the_report_pages_but_no_tracking_page(resident):
    concern = ConcernFactory()
    body = resident.get("/sitemap.xml").content.decode()
    assert "/community-prosecution/report/</loc>" in body
    assert "/community-prosecution/report/graffiti/</loc>" in body
    assert concern.tracking_code not in body


def test_report_by_address_saves_the_point_found(resident, settings):
    """Without a pin (no JavaScript) the typed address is looked up (demo geocoder) on submit;
    an address it cannot find is kept as typed, without a point, for staff to place."""
    settings.JCR_GEOCODER_BOUNDS = "-121.87,38.01,-121.02,38.74"
    for address in ("1200 J Street", "behind the old cannery"):
        response = resident.post(_url("report_form", code="graffiti"), _report_data(address=address, q_surface="fence"))
        assert response.status_code == 302
    found, typed = Concern.objects.order_by("pk")
    assert (found.address, round(found.latitude, 4), round(found.longitude, 4)) == ("1200 J Street", 38.5793, -121.4896)
    assert (typed.address, typed.latitude, typed.longitude) == ("behind the old cannery", None, None)
