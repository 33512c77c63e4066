"""Correcting the record on a concern's staff page: hide and blur photos (the public only ever
gets the blurred version), edit the public text, change the category, correct the location;
and what public surfaces show afterwards (tracking page, photo addresses, Open311, area page)."""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from jcr.core.models import AreaAssignment, AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from prosecution import demo as unit_demo
from prosecution.areas import selectors as area_selectors
from prosecution.concerns import demo, selectors, services, services_record
from prosecution.concerns.models import Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.tasks import concern_photo_thumbnail
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, QuestionFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

SIZE = (200, 160)


def _checkerboard(fmt: str = "PNG", *, exif: bool = False) -> bytes:
    """Black and white squares of 4 px: blurring them turns them grey, so a change shows."""
    image = Image.new("RGB", SIZE, (255, 255, 255))
    pixels = image.load()
    for x in range(SIZE[0]):
        for y in range(SIZE[1]):
            if (x // 4 + y // 4) % 2:
                pixels[x, y] = (0, 0, 0)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {2: (38.0, 34.0, 36.0)}  # GPSInfo: latitude
        image.save(out, format=fmt, exif=data)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def _photo(concern: Concern, fmt: str = "PNG", **fields) -> ConcernPhoto:
    extension = {"PNG": "png", "JPEG": "jpg"}[fmt]
    name = default_storage.save(f"concerns/test/original.{extension}", ContentFile(_checkerboard(fmt, **fields)))
    return ConcernPhoto.objects.create(concern=concern, image=name, width=SIZE[0], height=SIZE[1])


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def _pixels(name: str) -> Image.Image:
    return Image.open(io.BytesIO(_read(name))).convert("RGB")


def _inside(area) -> dict:
    return {"latitude": area.min_lat + 0.005, "longitude": area.min_lon + 0.005}


def _placed(area) -> dict:
    """A concern's fields for a point inside `area`, with its blurred public position."""
    point = _inside(area)
    return {
        **point,
        "public_latitude": services.blur(point["latitude"]),
        "public_longitude": services.blur(point["longitude"]),
    }


def _staff_url(concern: Concern, action: str) -> str:
    return reverse(f"prosecution:staff_concern_{action}", kwargs={"public_id": concern.public_id})


def _photo_url(photo: ConcernPhoto, *, thumbnail: bool = False) -> str:
    name = "prosecution:photo_public_thumbnail" if thumbnail else "prosecution:photo_public"
    return reverse(name, kwargs={"public_id": photo.public_id})


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def concern(area_in):
    concern = ConcernFactory(description="Tags on the wall", **_inside(area_in))
    concern.areas.set([area_in])
    return concern


# --- Redaction: the pixels --------------------------------------------------------------------


def test_redact_region_changes_pixels_inside_only_and_keeps_the_original(concern, cpu_supervisor):
    photo = _photo(concern)
    original_hash = hashlib.sha256(_read(photo.image)).hexdigest()
    old_public_id = photo.public_id
    photo = services_record.concern_photo_redact(photo=photo, region=(25, 25, 50, 50), actor=cpu_supervisor)

    assert photo.public_image
    assert photo.public_image != photo.image
    assert photo.public_thumbnail
    assert default_storage.exists(photo.public_thumbnail)
    assert photo.public_id != old_public_id
    assert hashlib.sha256(_read(photo.image)).hexdigest() == original_hash  # the original is untouched
    before, after = _pixels(photo.image), _pixels(photo.public_image)
    assert after.size == before.size
    box = (50, 40, 150, 120)  # 25%..75% of 200 x 160
    changed_inside = sum(
        1
        for x in range(box[0], box[2])
        for y in range(box[1], box[3])
        if abs(before.getpixel((x, y))[0] - after.getpixel((x, y))[0]) > 40
    )
    assert changed_inside > 0.4 * (box[2] - box[0]) * (box[3] - box[1])
    for x in range(SIZE[0]):
        for y in range(SIZE[1]):
            if not (box[0] <= x < box[2] and box[1] <= y < box[3]):
                assert before.getpixel((x, y)) == after.getpixel((x, y)), (x, y)  # PNG: exactly the same
    entry = AuditEntry.objects.get(action="prosecution.photo.redact")
    assert entry.after["redactions"] == [{"x": 25.0, "y": 25.0, "width": 50.0, "height": 50.0}]
    assert entry.before["redactions"] == []


def test_redact_whole_photo_writes_a_jpeg_without_exif(concern, cpu_supervisor):
    photo = _photo(concern, "JPEG", exif=True)
    assert Image.open(io.BytesIO(_read(photo.image))).getexif()  # the test file does carry EXIF
    photo = services_record.concern_photo_redact(photo=photo, region=None, actor=cpu_supervisor)
    for name in (photo.public_image, photo.public_thumbnail):
        redacted = Image.open(io.BytesIO(_read(name)))
        assert redacted.format == "JPEG"
        assert not redacted.getexif()
        assert "exif" not in redacted.info
        assert b"CameraMaker" not in _read(name)
    grey = _pixels(photo.public_image)
    # A checkerboard blurred all over: no pure black or white square is left.
    values = [grey.getpixel((x, y))[0] for x in range(0, SIZE[0], 7) for y in range(0, SIZE[1], 7)]
    assert max(values) - min(values) < 120


def test_redactions_add_up_and_undo_restores_the_original(
    client, concern, cpu_supervisor, django_capture_on_commit_callbacks
):
    photo = _photo(concern)
    with django_capture_on_commit_callbacks(execute=True):
        first = services_record.concern_photo_redact(photo=photo, region=(0, 0, 10, 10), actor=cpu_supervisor)
    first_files = (first.public_image, first.public_thumbnail)
    with django_capture_on_commit_callbacks(execute=True):
        second = services_record.concern_photo_redact(photo=photo, region=(80, 80, 20, 20), actor=cpu_supervisor)
    assert len(second.redactions) == 2
    assert not any(default_storage.exists(name) for name in first_files)  # replaced files are removed
    corner = _pixels(second.public_image)
    original = _pixels(photo.image)
    assert corner.getpixel((5, 5)) != original.getpixel((5, 5)) or corner.getpixel((2, 6)) != original.getpixel((2, 6))
    with django_capture_on_commit_callbacks(execute=True):
        undone = services_record.concern_photo_unredact(photo=photo, actor=cpu_supervisor)
    assert (undone.redactions, undone.public_image, undone.public_thumbnail) == ([], "", "")
    assert not default_storage.exists(second.public_image)
    response = client.get(_photo_url(undone))
    assert _body(response) == _read(photo.image)
    assert AuditEntry.objects.filter(action="prosecution.photo.unredact").count() == 1
    with pytest.raises(Exception, match="not redacted"):
        services_record.concern_photo_unredact(photo=photo, actor=cpu_supervisor)


def test_redact_refuses_a_rectangle_outside_the_photo(concern, cpu_supervisor):
    photo = _photo(concern)
    with pytest.raises(Exception, match="inside the photo"):
        services_record.concern_photo_redact(photo=photo, region=(60, 0, 50, 10), actor=cpu_supervisor)
    photo.refresh_from_db()
    assert photo.redactions == []
    assert not AuditEntry.objects.filter(action="prosecution.photo.redact").exists()


# --- The public photo address -------------------------------------------------------------------


def test_public_photo_serves_only_the_redacted_version(client, concern, cpu_supervisor):
    photo = _photo(concern)
    old_url = _photo_url(photo)
    assert client.get(old_url).status_code == 200
    photo = services_record.concern_photo_redact(photo=photo, region=(10, 10, 30, 30), actor=cpu_supervisor)
    assert client.get(old_url).status_code == 404  # the address changed with what it shows
    response = client.get(_photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["ETag"]
    assert _body(response) == _read(photo.public_image)
    assert _body(client.get(_photo_url(photo, thumbnail=True))) == _read(photo.public_thumbnail)
    assert client.get(_photo_url(photo), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # The staff thumbnail of the original is never what the public gets.
    photo.thumbnail = default_storage.save("concerns/test/original_thumb.png", ContentFile(_checkerboard()))
    photo.save()
    assert _body(client.get(_photo_url(photo, thumbnail=True))) == _read(photo.public_thumbnail)


def test_redacted_photo_without_its_public_file_is_never_served(client, concern):
    photo = _photo(concern)
    ConcernPhoto.objects.filter(pk=photo.pk).update(redactions=[{"x": 0, "y": 0, "width": 50, "height": 50}])
    assert client.get(_photo_url(photo)).status_code == 404
    assert client.get(_photo_url(photo, thumbnail=True)).status_code == 404


def test_hidden_photo_is_404_and_not_on_the_tracking_page(client, concern, cpu_supervisor):
    photo = _photo(concern)
    track = reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code})
    assert _photo_url(photo) in client.get(track).content.decode()
    old_url = _photo_url(photo)
    photo = services_record.concern_photo_set_hidden(photo=photo, hidden=True, actor=cpu_supervisor)
    assert client.get(old_url).status_code == 404
    assert client.get(_photo_url(photo)).status_code == 404
    assert client.get(_photo_url(photo, thumbnail=True)).status_code == 404
    assert "/community-prosecution/photos/" not in client.get(track).content.decode()
    photo = services_record.concern_photo_set_hidden(photo=photo, hidden=False, actor=cpu_supervisor)
    assert client.get(_photo_url(photo)).status_code == 200
    assert client.get(old_url).status_code == 404
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["prosecution.photo.hide", "prosecution.photo.unhide"]


def test_photos_of_a_sensitive_concern_are_404(client):
    concern = ConcernFactory(category=CategoryFactory(code="photo-sensitive", is_sensitive=True))
    photo = _photo(concern)
    assert client.get(_photo_url(photo)).status_code == 404
    assert client.get(_photo_url(photo, thumbnail=True)).status_code == 404
    track = reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code})
    assert "/community-prosecution/photos/" not in client.get(track).content.decode()


def test_unknown_photo_address_is_404(client):
    assert client.get("/community-prosecution/photos/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_tracking_page_shows_photos_with_alt_text_in_few_queries(client, concern, cpu_supervisor):
    track = reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code})
    photos = [_photo(concern)]
    ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text="first")
    with assert_max_queries(8) as few:
        client.get(track)
    photos += [_photo(concern) for _ in range(4)]
    services_record.concern_photo_set_hidden(photo=photos[1], hidden=True, actor=cpu_supervisor)
    redacted = services_record.concern_photo_redact(photo=photos[2], region=None, actor=cpu_supervisor)
    for i in range(4):
        ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text=f"u{i}")
    with assert_max_queries(8) as many:
        response = client.get(track)
    assert len(many) == len(few)
    page = response.content.decode()
    shown = [p for p in ConcernPhoto.objects.filter(concern=concern).order_by("id") if not p.is_hidden]
    assert len(shown) == 4
    for photo in shown:
        assert f'href="{_photo_url(photo)}"' in page
        assert f'src="{_photo_url(photo, thumbnail=True)}"' in page
    assert f"Photo 1 of report {concern.tracking_code}" in page
    assert "with parts blurred" in page
    assert redacted.image not in page
    assert redacted.public_image not in page
    assert "/media/" not in page


# --- Open311 media_url ----------------------------------------------------------------------------


def _open311_requests(client, fmt: str, concern: Concern) -> dict:
    url = reverse(f"open311:open311_request_{fmt}", kwargs={"service_request_id": concern.public_ref})
    response = client.get(url)
    assert response.status_code == 200
    if fmt == "json":
        return json.loads(response.content)[0]
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {child.tag: (child.text or "") for child in root.find("request")}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_media_url_is_the_first_public_photo(client, concern, cpu_supervisor, fmt):
    assert _open311_requests(client, fmt, concern)["media_url"] == ""
    first, second = _photo(concern), _photo(concern)
    assert _open311_requests(client, fmt, concern)["media_url"] == f"http://testserver{_photo_url(first)}"
    services_record.concern_photo_set_hidden(photo=first, hidden=True, actor=cpu_supervisor)
    assert _open311_requests(client, fmt, concern)["media_url"] == f"http://testserver{_photo_url(second)}"
    second = services_record.concern_photo_redact(photo=second, region=None, actor=cpu_supervisor)
    media_url = _open311_requests(client, fmt, concern)["media_url"]
    assert media_url == f"http://testserver{_photo_url(second)}"
    assert _body(client.get(_photo_url(second))) == _read(second.public_image)


def test_open311_requests_media_urls_in_constant_queries(client, area_in):
    for i in range(3):
        concern = ConcernFactory(description=f"c{i}")
        _photo(concern)
    url = reverse("open311:open311_requests_json")
    with assert_max_queries(8) as few:
        rows = json.loads(client.get(url).content)
    assert all(row["media_url"].startswith("http://testserver/community-prosecution/photos/") for row in rows)
    for i in range(5):
        _photo(ConcernFactory(description=f"d{i}"))
    with assert_max_queries(8) as many:
        assert len(json.loads(client.get(url).content)) == 8
    assert len(many) == len(few)


# --- Staff actions on photos ------------------------------------------------------------------------


def test_staff_hide_and_blur_through_the_page(client_for, community_prosecutor, concern):
    photo = _photo(concern)
    client = client_for(community_prosecutor)
    response = client.post(_staff_url(concern, "photo_visibility"), {"photo": photo.public_id, "hidden": "1"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_hidden
    response = client.post(
        _staff_url(concern, "photo_redact"),
        {"photo": photo.public_id, "mode": "region", "x": "10", "y": "10", "width": "20", "height": "20"},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.redactions == [{"x": 10.0, "y": 10.0, "width": 20.0, "height": 20.0}]
    page = client.get(response["Location"]).content.decode()
    assert "The photo is redacted" in page
    assert "1 area blurred" in page
    response = client.post(_staff_url(concern, "photo_unredact"), {"photo": photo.public_id})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.redactions == []
    entries = AuditEntry.objects.filter(actor=community_prosecutor).values_list("action", flat=True)
    assert set(entries) == {"prosecution.photo.hide", "prosecution.photo.redact", "prosecution.photo.unredact"}


def test_staff_redact_form_error_keeps_what_was_typed(client_for, community_prosecutor, concern):
    photo = _photo(concern)
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "photo_redact"),
        {"photo": photo.public_id, "mode": "region", "x": "70", "y": "12.5", "width": "45", "height": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="70"' in page
    assert 'value="12.5"' in page
    assert 'value="45"' in page
    assert "Give this value for a rectangle." in page
    photo.refresh_from_db()
    assert photo.redactions == []


def test_staff_photo_action_with_a_stale_photo_address(client_for, community_prosecutor, concern):
    photo = _photo(concern)
    stale = photo.public_id
    services_record.concern_photo_set_hidden(photo=photo, hidden=True, actor=community_prosecutor)
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "photo_visibility"), {"photo": stale, "hidden": "0"}
    )
    assert response.status_code == 409
    assert "This photo changed since the page was shown" in response.content.decode()
    photo.refresh_from_db()
    assert photo.is_hidden


def test_staff_photo_of_another_concern_is_refused(client_for, community_prosecutor, concern, area_other):
    other = ConcernFactory()
    other.areas.set([area_other])
    photo = _photo(other)
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "photo_visibility"), {"photo": photo.public_id, "hidden": "1"}
    )
    assert response.status_code == 409
    photo.refresh_from_db()
    assert not photo.is_hidden


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("photo_visibility", {"hidden": "1"}),
        ("photo_redact", {"mode": "whole"}),
        ("photo_unredact", {}),
        ("public_text", {"public_text": "Cleaned"}),
        ("recategorize", {"category": "graffiti"}),
        ("relocate", {"address": "1 Main St"}),
    ],
)
def test_record_actions_by_persona(action, data, client_for, personas, concern):
    photo = _photo(concern)
    if action == "photo_unredact":
        services_record.concern_photo_redact(photo=photo, region=None, actor=None)
        photo.refresh_from_db()
    url = _staff_url(concern, action)
    data = {**data, "photo": str(photo.public_id)}
    assert client_for(personas["community_prosecutor"]).get(url).status_code == 405
    assert client_for(personas["prosecutor_other_area"]).post(url, data).status_code == 404
    assert client_for(personas["prosecutor_other_area"]).get(url).status_code == 404
    assert client_for(personas["bureau_chief"]).post(url, data).status_code == 403
    assert client_for(personas["outreach_staff"]).post(url, data).status_code == 403
    before = AuditEntry.objects.count()
    assert client_for(personas["community_prosecutor"]).post(url, data).status_code == 302
    assert AuditEntry.objects.count() == before + 1


def test_staff_concern_page_queries_constant_with_five_photos(client_for, cpu_supervisor, concern):
    client = client_for(cpu_supervisor)
    _photo(concern)
    client.get(_staff_url(concern, "detail"))
    with assert_max_queries(12) as few:
        assert client.get(_staff_url(concern, "detail")).status_code == 200
    for _ in range(4):
        photo = _photo(concern)
    services_record.concern_photo_redact(photo=photo, region=(0, 0, 50, 50), actor=cpu_supervisor)
    with assert_max_queries(12) as many:
        response = client.get(_staff_url(concern, "detail"))
    assert response.status_code == 200
    assert len(many) == len(few)
    assert response.content.decode().count('name="mode"') == 10  # two radios per photo


# --- Public text ---------------------------------------------------------------------------------


def test_public_text_edit_is_what_every_public_surface_shows(client_for, client, community_prosecutor, area_in):
    category = Category.objects.get(code="graffiti")
    concern = ConcernFactory(category=category, description="Tags by Johnny Marker 916-555-0101", **_placed(area_in))
    concern.areas.set([area_in])
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "public_text"), {"public_text": "  Tags on the wall by a neighbor  "}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.public_description == "Tags on the wall by a neighbor"
    assert concern.description == "Tags by Johnny Marker 916-555-0101"  # kept for staff
    entry = AuditEntry.objects.get(action="prosecution.concern.public_text")
    assert entry.before == {"public_description": "", "public_text_state": "pending"}
    assert entry.after == {"public_description": "Tags on the wall by a neighbor", "public_text_state": "published"}
    pages = [
        reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code}),
        reverse("prosecution:area_detail", kwargs={"slug": area_in.slug}),
        reverse("open311:open311_requests_json"),
        reverse("open311:open311_requests_xml"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Tags on the wall by a neighbor" in body, url
        assert "Johnny Marker" not in body, url
    nearby = selectors.concern_nearby_open(category=category, **_inside(area_in))
    assert [n["public_text"] for n in nearby] == ["Tags on the wall by a neighbor"]
    staff_page = client_for(community_prosecutor).get(_staff_url(concern, "detail")).content.decode()
    assert "Johnny Marker" in staff_page


def test_public_text_empty_shows_the_resident_text_again(community_prosecutor, concern):
    services_record.concern_set_public_text(concern=concern, text="Edited", actor=community_prosecutor)
    concern = services_record.concern_set_public_text(concern=concern, text="   ", actor=community_prosecutor)
    assert concern.public_description == ""
    assert concern.public_text == "Tags on the wall"
    # Saving the resident's own words unchanged is no edit at all.
    concern = services_record.concern_set_public_text(
        concern=concern, text="Tags on the wall", actor=community_prosecutor
    )
    assert AuditEntry.objects.filter(action="prosecution.concern.public_text").count() == 2


def test_public_text_too_long_keeps_what_was_typed(client_for, community_prosecutor, concern):
    response = client_for(community_prosecutor).post(_staff_url(concern, "public_text"), {"public_text": "é" * 4001})
    assert response.status_code == 400
    assert "é" * 100 in response.content.decode()
    concern.refresh_from_db()
    assert concern.public_description == ""


# --- Recategorize -------------------------------------------------------------------------------


def test_recategorize_into_sensitive_leaves_every_public_surface(client, client_for, community_prosecutor, area_in):
    graffiti = Category.objects.get(code="graffiti")
    concern = ConcernFactory(
        category=graffiti,
        description="Visible text",
        public_text_state=Concern.TextState.PUBLISHED,
        **_placed(area_in),
    )
    concern.areas.set([area_in])
    photo = _photo(concern)
    sensitive = CategoryFactory(code="recat-sensitive", is_sensitive=True)
    track = reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code})
    api = reverse("open311:open311_requests_json")
    area_page = reverse("prosecution:area_detail", kwargs={"slug": area_in.slug})
    assert concern.public_ref in client.get(api).content.decode()
    assert selectors.concern_nearby_open(category=graffiti, **_inside(area_in))

    response = client_for(community_prosecutor).post(
        _staff_url(concern, "recategorize"), {"category": sensitive.code, "public_text": ""}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.category, concern.is_sensitive) == (sensitive, True)
    assert concern.public_ref not in client.get(api).content.decode()
    detail = reverse("open311:open311_request_json", kwargs={"service_request_id": concern.public_ref})
    assert client.get(detail).status_code == 404
    assert "Visible text" not in client.get(area_page).content.decode()
    assert selectors.concern_nearby_open(category=sensitive, **_inside(area_in)) == []
    assert not area_selectors.area_latest_open_concerns(area=area_in)
    assert client.get(_photo_url(photo)).status_code == 404
    assert "/community-prosecution/photos/" not in client.get(track).content.decode()
    assert not OutboundEmail.objects.exists()  # nobody is told
    entry = AuditEntry.objects.get(action="prosecution.concern.recategorize")
    assert (entry.before["category"], entry.after["category"]) == ("graffiti", sensitive.code)
    assert (entry.before["is_sensitive"], entry.after["is_sensitive"]) == (False, True)

    # Back out of the sensitive category: public again.
    services_record.concern_recategorize(concern=concern, category=graffiti, actor=community_prosecutor)
    assert concern.public_ref in client.get(api).content.decode()
    assert client.get(_photo_url(photo)).status_code == 200


def test_recategorize_keeps_answers_to_questions_that_still_exist(community_prosecutor, concern):
    old = concern.category
    QuestionFactory(category=old, code="how-big")
    QuestionFactory(category=old, code="colour")
    new = CategoryFactory(code="recat-new")
    QuestionFactory(category=new, code="how-big")
    Concern.objects.filter(pk=concern.pk).update(answers={"how-big": "large", "colour": "red"})
    concern = services_record.concern_recategorize(
        concern=concern, category=new, actor=community_prosecutor, public_text="Moved to the right list."
    )
    concern.refresh_from_db()
    assert concern.answers == {"how-big": "large"}
    update = concern.updates.get()
    assert (update.kind, update.text, update.author) == (
        ConcernUpdate.Kind.PUBLIC_UPDATE,
        "Moved to the right list.",
        community_prosecutor,
    )


def test_recategorize_refuses_inactive_and_same_category(client_for, community_prosecutor, concern):
    inactive = CategoryFactory(code="recat-old", is_active=False)
    with pytest.raises(Exception, match="no longer in use"):
        services_record.concern_recategorize(concern=concern, category=inactive, actor=community_prosecutor)
    with pytest.raises(Exception, match="already in this category"):
        services_record.concern_recategorize(concern=concern, category=concern.category, actor=community_prosecutor)
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "recategorize"), {"category": inactive.code, "public_text": "Kept text"}
    )
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    concern.refresh_from_db()
    assert concern.category.code != inactive.code
    assert not AuditEntry.objects.filter(action="prosecution.concern.recategorize").exists()


# --- Relocate ---------------------------------------------------------------------------------


def test_relocate_to_another_area_reroutes_to_its_prosecutor(
    client_for, community_prosecutor, prosecutor_other_area, area_in, area_other
):
    concern = ConcernFactory(assignee=community_prosecutor, **_inside(area_in))
    concern.areas.set([area_in])
    point = _inside(area_other)
    client = client_for(community_prosecutor)
    response = client.post(_staff_url(concern, "relocate"), {"address": " 12 Other St ", **point})
    # The page is no longer the actor's: back to the queue, with the message.
    assert response.status_code == 302
    assert response["Location"] == reverse("prosecution:staff_concern_list")
    concern.refresh_from_db()
    assert list(concern.areas.all()) == [area_other]
    assert concern.assignee == prosecutor_other_area
    assert concern.address == "12 Other St"
    assert concern.public_latitude == services.blur(point["latitude"])
    assert concern.public_longitude == services.blur(point["longitude"])
    emails = OutboundEmail.objects.filter(template="prosecution/concern_assigned")
    assert [e.to for e in emails] == [prosecutor_other_area.email]
    page = client.get(response["Location"]).content.decode()
    assert "It was routed again: it is now assigned to" in page
    entry = AuditEntry.objects.get(action="prosecution.concern.relocate")
    assert entry.before["areas"] == [area_in.pk]
    assert entry.after["areas"] == [area_other.pk]
    assert entry.after["assignee_id"] == prosecutor_other_area.pk


def test_relocate_keeps_an_assignee_who_covers_the_new_place(community_prosecutor, area_in):
    second = AreaFactory(name="Second", slug="second")
    AreaAssignment.objects.create(area=second, user=community_prosecutor, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR)
    concern = ConcernFactory(assignee=community_prosecutor, **_inside(area_in))
    concern, rerouted = services_record.concern_relocate(concern=concern, actor=community_prosecutor, **_inside(second))
    assert not rerouted
    assert concern.assignee == community_prosecutor
    assert list(concern.areas.all()) == [second]


def test_relocate_outside_every_area_goes_to_the_supervisors_queue(client_for, cpu_supervisor, community_prosecutor):
    concern = ConcernFactory(assignee=community_prosecutor)
    client = client_for(cpu_supervisor)
    response = client.post(_staff_url(concern, "relocate"), {"address": "", "latitude": "39.9", "longitude": "-120.1"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.assignee is None
    assert not concern.areas.exists()
    page = client.get(response["Location"]).content.decode()
    assert "supervisors&#x27; queue" in page or "supervisors' queue" in page


def test_relocate_unassigned_concern_is_routed(community_prosecutor, area_in, cpu_supervisor):
    concern = ConcernFactory(latitude=39.9, longitude=-120.1)
    concern, rerouted = services_record.concern_relocate(concern=concern, actor=cpu_supervisor, **_inside(area_in))
    assert rerouted
    assert concern.assignee == community_prosecutor


def test_relocate_with_half_a_pin_keeps_what_was_typed(client_for, community_prosecutor, concern):
    before = (concern.address, concern.latitude)
    response = client_for(community_prosecutor).post(
        _staff_url(concern, "relocate"), {"address": "Corner of 5th and Q", "latitude": "38.51234", "longitude": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Corner of 5th and Q" in page
    assert "38.51234" in page
    assert "Give both the latitude and the longitude, or neither." in page
    concern.refresh_from_db()
    assert (concern.address, concern.latitude) == before
    with pytest.raises(Exception, match="address or place a pin"):
        services_record.concern_relocate(concern=concern, actor=community_prosecutor, address=" ")


# --- Demo data -----------------------------------------------------------------------------------


def test_demo_photos_seed_is_idempotent_and_shows_each_correction():
    assert unit_demo.seed(count=30) == 30
    photos = ConcernPhoto.objects.all()
    assert photos.count() >= demo.PHOTO_CONCERNS
    assert photos.filter(is_hidden=True).exists()
    blurred = photos.exclude(public_image="").first()
    assert blurred.redactions
    assert default_storage.exists(blurred.public_thumbnail)
    assert Concern.objects.exclude(public_description="").count() == 1
    count = photos.count()
    assert demo.photos_seed() == 0
    assert unit_demo.seed(count=30) == 0
    assert ConcernPhoto.objects.count() == count


def test_redact_rectangle_up_to_the_edge_with_decimals(concern, cpu_supervisor):
    photo = _photo(concern)
    photo = services_record.concern_photo_redact(photo=photo, region=(33.3, 0, 66.7, 100), actor=cpu_supervisor)
    assert photo.redactions == [{"x": 33.3, "y": 0.0, "width": 66.7, "height": 100.0}]
    before, after = _pixels(photo.image), _pixels(photo.public_image)
    assert before.getpixel((10, 10)) == after.getpixel((10, 10))
    assert before.getpixel((199, 159)) != after.getpixel((199, 159)) or before.getpixel((198, 158)) != after.getpixel(
        (198, 158)
    )


# --- Staff photo addresses ----------------------------------------------------------------------


def test_staff_photo_view_serves_each_version_in_scope_only(client_for, personas, concern, cpu_supervisor):
    photo = _photo(concern)
    photo = services_record.concern_photo_redact(photo=photo, region=(0, 0, 50, 50), actor=cpu_supervisor)
    services_record.concern_photo_set_hidden(photo=photo, hidden=True, actor=cpu_supervisor)
    photo.refresh_from_db()
    url = _staff_url(concern, "photo")
    client = client_for(personas["bureau_chief"])  # read-only staff see photos too
    for version, name in [
        ("original", photo.image),
        ("thumbnail", photo.image),  # no thumbnail yet: the photo itself
        ("public", photo.public_image),
        ("public_thumbnail", photo.public_thumbnail),
    ]:
        response = client.get(url, {"photo": photo.public_id, "version": version})
        assert response.status_code == 200, version
        assert response.content == _read(name), version
        assert "no-store" in response["Cache-Control"]  # as every signed-in response
    assert client.get(url, {"photo": photo.public_id, "version": "other"}).status_code == 404
    assert client.get(url, {"photo": "not-a-uuid"}).status_code == 404
    assert client_for(personas["prosecutor_other_area"]).get(url, {"photo": photo.public_id}).status_code == 404
    assert client_for(personas["outreach_staff"]).get(url, {"photo": photo.public_id}).status_code == 403
    page = client.get(_staff_url(concern, "detail")).content.decode()
    assert "/media/" not in page
    assert photo.image not in page
    assert f"photo={photo.public_id}&amp;version=thumbnail" in page


def test_public_thumbnail_etag_changes_when_the_thumbnail_is_made(client, concern):
    photo = _photo(concern)
    url = _photo_url(photo, thumbnail=True)
    before = client.get(url)
    assert _body(before) == _read(photo.image)  # no thumbnail yet: the photo itself
    concern_photo_thumbnail(photo_id=photo.pk)
    photo.refresh_from_db()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert _body(after) == _read(photo.thumbnail)
    assert photo.thumbnail not in after["ETag"]


def test_relocate_by_address_alone_places_it_or_says_it_could_not(client_for, cpu_supervisor, settings):
    """Without coordinates the typed address is looked up (demo geocoder): found, the point
    follows; not found, the address is saved alone and a warning says so."""
    settings.JCR_GEOCODER_BOUNDS = "-121.87,38.01,-121.02,38.74"
    concern = ConcernFactory(latitude=39.9, longitude=-120.1)
    client = client_for(cpu_supervisor)
    client.post(_staff_url(concern, "relocate"), {"address": "1200 J Street", "latitude": "", "longitude": ""})
    concern.refresh_from_db()
    assert (round(concern.latitude, 4), round(concern.longitude, 4)) == (38.5793, -121.4896)
    response = client.post(
        _staff_url(concern, "relocate"), {"address": "the old cannery", "latitude": "", "longitude": ""}, follow=True
    )
    concern.refresh_from_db()
    assert concern.address == "the old cannery"
    assert "We could not find this address in the county" in response.content.decode()
