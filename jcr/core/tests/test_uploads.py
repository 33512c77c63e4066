"""Photo uploads: refused by decoding (bombs, disguised files, oversized, truncated), accepted
ones re-encoded upright with no metadata, stored under random names, thumbnailed.

Every file is made here with Pillow or by hand. The time limits are generous upper bounds on
the refusal paths only (the quality gate asks for "under a second").
"""

from __future__ import annotations

import io
import re
import struct
import time
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image, ImageOps

from jcr.core.forms import CleanImageField, MultipleCleanImageField
from jcr.core.uploads import CleanImage, image_store, image_thumbnail, image_validate_and_clean, thumbnail_name

RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _image_bytes(fmt: str, size=(40, 20), mode="RGB", color=RED, **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_declaring(width: int, height: int) -> bytes:
    """A valid 1x1 grayscale PNG whose IHDR is patched to declare width x height (CRC fixed)."""
    one = _image_bytes("PNG", size=(1, 1), mode="L", color=0)
    ihdr_at = one.index(b"IHDR") - 4
    length = struct.unpack(">I", one[ihdr_at : ihdr_at + 4])[0]
    data = bytearray(one[ihdr_at + 8 : ihdr_at + 8 + length])
    data[0:8] = struct.pack(">II", width, height)
    patched = _png_chunk(b"IHDR", bytes(data))
    return one[:ihdr_at] + patched + one[ihdr_at + 12 + length :]


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    """A real decompression bomb: 10,000 x 10,000 grayscale pixels (100 megapixels) of zeros,
    with genuine compressed data, in about 100 KB."""
    width = height = 10_000
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    assert len(data) < 200_000
    return data


def _refusal(upload, **limits) -> tuple[ValidationError, float]:
    started = time.monotonic()
    with pytest.raises(ValidationError) as excinfo:
        image_validate_and_clean(upload, **limits)
    return excinfo.value, time.monotonic() - started


# --- Refusals -----------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_from_its_header_in_well_under_a_second(bomb_png):
    error, elapsed = _refusal(_upload(bomb_png, "bomb.png", "image/png"))
    assert error.code == "too_many_pixels"
    assert "100 megapixels" in error.messages[0]
    assert "40 megapixels" in error.messages[0]
    assert elapsed < 1, f"bomb took {elapsed:.2f}s"


def test_a_patched_header_declaring_100_megapixels_is_refused_the_same_way():
    error, elapsed = _refusal(_upload(_png_declaring(10_000, 10_000), "tiny.png", "image/png"))
    assert error.code == "too_many_pixels"
    assert "100 megapixels" in error.messages[0]
    assert elapsed < 1


def test_a_header_beyond_pillows_own_bomb_error_is_refused_without_a_500():
    error, _ = _refusal(_upload(_png_declaring(30_000, 30_000), "huge.png", "image/png"))  # 900 MP
    assert error.code == "too_many_pixels"
    assert "more than 40 megapixels" in error.messages[0]


def test_an_image_just_over_our_limit_but_under_pillows_is_refused_by_our_check():
    error, _ = _refusal(_upload(_png_declaring(8_000, 6_000), "big.png", "image/png"))  # 48 MP
    assert error.code == "too_many_pixels"
    assert "48 megapixels" in error.messages[0]


def test_the_pixel_limit_is_a_parameter():
    error, _ = _refusal(_upload(_image_bytes("PNG", size=(100, 100)), "p.png", "image/png"), max_pixels=9_999)
    assert error.code == "too_many_pixels"


DISGUISED = {
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    "text": b"just some text, renamed to look like a photo\n",
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
}


@pytest.mark.parametrize("kind", sorted(DISGUISED))
def test_files_renamed_to_jpg_are_refused_whatever_name_and_content_type_say(kind):
    error, elapsed = _refusal(_upload(DISGUISED[kind], "photo.jpg", "image/jpeg"))
    assert error.code == "not_image"
    assert "not a JPEG, PNG or WebP image" in error.messages[0]
    assert elapsed < 1


class _CountingFile(io.BytesIO):
    """A file whose reads are counted, with a `.size` that may lie."""

    def __init__(self, data: bytes, size: int):
        super().__init__(data)
        self.size = size
        self.name = "photo.jpg"
        self.bytes_read = 0

    def read(self, n=-1):
        chunk = super().read(n)
        self.bytes_read += len(chunk)
        return chunk


def test_an_oversized_file_is_refused_from_its_size_before_anything_is_read(settings):
    limit = settings.JCR_UPLOAD_MAX_BYTES
    assert limit == 10 * 1024 * 1024
    upload = _upload(b"\xff\xd8\xff" + b"\x00" * limit)  # one byte over ten megabytes (plus the marker)
    error, elapsed = _refusal(upload)
    assert error.code == "too_large"
    assert "10.0\xa0MB" in error.messages[0]
    assert elapsed < 1

    lying_not = _CountingFile(b"\x00" * 2048, size=2048)
    with pytest.raises(ValidationError):
        image_validate_and_clean(lying_not, max_bytes=1024)
    assert lying_not.bytes_read == 0


def test_a_file_that_understates_its_size_is_cut_off_at_the_limit():
    data = _image_bytes("PNG", size=(300, 300), mode="RGB", color=RED) + b"\x00" * 500_000
    upload = _CountingFile(data, size=10)  # claims 10 bytes
    error, _ = _refusal(upload, max_bytes=100_000)
    assert error.code == "too_large"
    assert upload.bytes_read <= 100_000 + 64 * 1024, "read far beyond the limit"


def test_a_truncated_jpeg_is_refused():
    whole = _image_bytes("JPEG", size=(400, 300), quality=95)
    error, _ = _refusal(_upload(whole[: len(whole) // 2]))
    assert error.code == "damaged"
    assert "damaged or incomplete" in error.messages[0]


def test_an_empty_file_is_refused():
    error, _ = _refusal(_CountingFile(b"", size=0))
    assert error.code == "empty"


# --- Accepted photos --------------------------------------------------------------------------

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="38,34.5N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def _phone_photo() -> bytes:
    """40 wide x 20 high, left half red, right half blue, taken "sideways": EXIF Orientation 6
    (display rotated 90 degrees clockwise), a GPS position, a camera model and XMP."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x0110] = "Resident Phone 12"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (38.0, 34.0, 30.0), 3: "W", 4: (121.0, 29.0, 40.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif, xmp=XMP)
    data = out.getvalue()
    reopened = Image.open(io.BytesIO(data))
    assert reopened.getexif()[0x0112] == 6
    assert reopened.getexif().get_ifd(0x8825), "the test photo must carry GPS"
    assert b"Exif" in data
    assert b"<x:xmpmeta" in data
    return data


def test_a_phone_photo_is_stored_upright_with_no_exif_gps_or_xmp():
    original = _phone_photo()
    clean = image_validate_and_clean(_upload(original, "IMG_0001.JPG"))

    assert clean.format == "JPEG"
    assert (clean.width, clean.height) == (20, 40), "orientation 6 must swap width and height"
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.size == (20, 40)
    # Rotated 90 degrees clockwise: what was on the left is now on top.
    top, bottom = stored.convert("RGB").getpixel((10, 5)), stored.convert("RGB").getpixel((10, 34))
    assert top[0] > 150 > top[2], top
    assert bottom[2] > 150 > bottom[0], bottom

    assert not stored.getexif(), dict(stored.getexif())
    assert "exif" not in stored.info
    assert "xmp" not in stored.info
    for marker in (b"Exif", b"GPS", b"<x:xmpmeta", b"ns.adobe.com", b"Resident Phone"):
        assert marker not in clean.content, marker
    assert RANDOM_NAME.match(clean.name)
    assert clean.name.endswith(".jpg")
    assert "IMG_0001" not in clean.name
    assert clean.content_type == "image/jpeg"


def test_a_photo_without_orientation_keeps_its_shape():
    clean = image_validate_and_clean(_upload(_image_bytes("JPEG", size=(40, 20))))
    assert (clean.width, clean.height) == (40, 20)


def test_png_is_accepted_and_stays_png_without_text_chunks():
    image = Image.new("P", (30, 10))
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address 12 Elm St")
    image.save(out, format="PNG", pnginfo=info, transparency=0)
    clean = image_validate_and_clean(_upload(out.getvalue(), "drawing.png", "image/png"))
    assert clean.format == "PNG"
    assert (clean.width, clean.height) == (30, 10)
    assert RANDOM_NAME.match(clean.name)
    assert clean.name.endswith(".png")
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.format == "PNG"
    assert stored.mode == "RGBA", "transparency survives as an alpha channel"
    assert b"Elm St" not in clean.content
    assert not stored.text


def test_webp_is_accepted_and_stays_webp():
    clean = image_validate_and_clean(_upload(_image_bytes("WEBP", size=(24, 12)), "x.webp", "image/webp"))
    assert clean.format == "WEBP"
    assert clean.content_type == "image/webp"
    assert (clean.width, clean.height) == (24, 12)
    assert Image.open(io.BytesIO(clean.content)).format == "WEBP"


def test_a_cmyk_jpeg_becomes_rgb():
    clean = image_validate_and_clean(_upload(_image_bytes("JPEG", mode="CMYK", color=(0, 255, 255, 0))))
    assert Image.open(io.BytesIO(clean.content)).mode == "RGB"


def test_each_clean_image_gets_its_own_random_name():
    data = _image_bytes("PNG")
    names = {image_validate_and_clean(_upload(data, "same.png")).name for _ in range(5)}
    assert len(names) == 5


# --- Form fields ------------------------------------------------------------------------------


class PhotoForm(forms.Form):
    photo = CleanImageField(label="Photo")


class PhotosForm(forms.Form):
    description = forms.CharField()
    photos = MultipleCleanImageField(label="Photos", max_files=5, required=False)


def test_the_image_field_puts_a_clean_image_in_cleaned_data():
    form = PhotoForm(data={}, files={"photo": _upload(_phone_photo())})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], CleanImage)
    assert (form.cleaned_data["photo"].width, form.cleaned_data["photo"].height) == (20, 40)


def test_the_image_field_gives_the_reason_as_a_field_error(bomb_png):
    form = PhotoForm(data={}, files={"photo": _upload(bomb_png, "bomb.png", "image/png")})
    assert not form.is_valid()
    assert "megapixels" in form.errors["photo"][0]
    form = PhotoForm(data={}, files={"photo": _upload(DISGUISED["html"])})
    assert not form.is_valid()
    assert "not a JPEG, PNG or WebP image" in form.errors["photo"][0]


def test_the_image_field_is_required_unless_told_otherwise():
    form = PhotoForm(data={}, files={})
    assert not form.is_valid()
    assert form.errors["photo"]


def _files(*uploads) -> MultiValueDict:
    return MultiValueDict({"photos": list(uploads)})


def test_up_to_five_photos_are_accepted_as_a_list():
    uploads = [_upload(_image_bytes("PNG", size=(10 + i, 10)), f"p{i}.png", "image/png") for i in range(5)]
    form = PhotosForm(data={"description": "Broken streetlight"}, files=_files(*uploads))
    assert form.is_valid(), form.errors
    assert [c.width for c in form.cleaned_data["photos"]] == [10, 11, 12, 13, 14]


def test_no_photos_is_fine_when_optional():
    form = PhotosForm(data={"description": "x"}, files=MultiValueDict())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photos"] == []


def test_six_photos_are_refused_before_any_is_decoded(bomb_png):
    uploads = [_upload(bomb_png, f"b{i}.png", "image/png") for i in range(6)]
    started = time.monotonic()
    form = PhotosForm(data={"description": "x"}, files=_files(*uploads))
    assert not form.is_valid()
    assert time.monotonic() - started < 1
    assert form.errors["photos"] == ["You can send at most 5 photos; you chose 6."]


def test_each_bad_photo_is_named_in_its_error_and_other_fields_are_kept(bomb_png):
    good = _upload(_image_bytes("PNG"), "fine.png", "image/png")
    form = PhotosForm(
        data={"description": "Graffiti on the wall"},
        files=_files(good, _upload(DISGUISED["svg"], "sneaky.jpg"), _upload(bomb_png, "bomb.png", "image/png")),
    )
    assert not form.is_valid()
    errors = form.errors["photos"]
    assert len(errors) == 2
    assert errors[0].startswith("sneaky.jpg: ")
    assert "not a JPEG, PNG or WebP image" in errors[0]
    assert errors[1].startswith("bomb.png: ")
    assert "megapixels" in errors[1]
    assert form.cleaned_data["description"] == "Graffiti on the wall"
    assert 'value="Graffiti on the wall"' in str(form["description"])


def test_the_multiple_widget_lets_people_choose_several_images():
    html = str(PhotosForm()["photos"])
    assert "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


# --- Storage and thumbnails -------------------------------------------------------------------


def test_image_store_saves_under_the_random_name_in_the_folder():
    clean = image_validate_and_clean(_upload(_phone_photo(), "my house.jpg"))
    name = image_store(clean, folder="prosecution/concerns")
    assert name == f"prosecution/concerns/{clean.name}"
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == clean.content


@pytest.mark.parametrize("folder", ["", "/", "../etc", "a/../b", "a//b"])
def test_image_store_refuses_odd_folders(folder):
    clean = image_validate_and_clean(_upload(_image_bytes("PNG")))
    with pytest.raises(ValueError, match="invalid upload folder"):
        image_store(clean, folder=folder)


def test_image_thumbnail_fits_the_box_keeps_the_format_and_is_idempotent():
    big = io.BytesIO()
    Image.new("RGB", (1200, 600), RED).save(big, format="JPEG")
    name = image_store(image_validate_and_clean(_upload(big.getvalue())), folder="t")

    thumb = image_thumbnail(name=name, size=300)
    assert thumb == thumbnail_name(name=name, size=300)
    assert thumb.startswith("t/")
    assert thumb.endswith("_thumb300.jpg")
    with default_storage.open(thumb, "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert image.format == "JPEG"
    assert image.size == (300, 150)

    modified = default_storage.get_modified_time(thumb)
    assert image_thumbnail(name=name, size=300) == thumb  # a redelivered task changes nothing
    assert default_storage.get_modified_time(thumb) == modified
    assert default_storage.listdir("t")[1].__len__() == 2


def test_image_thumbnail_never_enlarges_and_keeps_png():
    name = image_store(image_validate_and_clean(_upload(_image_bytes("PNG", size=(50, 20)), "s.png")), folder="t")
    thumb = image_thumbnail(name=name, size=300)
    with default_storage.open(thumb, "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert (image.format, image.size) == ("PNG", (50, 20))


def test_image_thumbnail_of_a_missing_file_raises():
    with pytest.raises(FileNotFoundError):
        image_thumbnail(name="t/nothing.jpg", size=100)


def test_exif_transpose_is_what_we_compare_against():
    """Guard on the test itself: Pillow's own transpose of the test photo gives 20 x 40."""
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(_phone_photo()))).size == (20, 40)
