"""Image uploads: verified by decoding, re-encoded, stripped of metadata, stored under random names.

A resident's photo is trusted for nothing: not its name, not the content type the browser sent,
not its metadata. `image_validate_and_clean` is the one gate every unit uses (through
`jcr.core.forms.CleanImageField`), in this order, so that a hostile file costs little:

1. size: `.size` is compared with the limit before anything is read, and the file is read in
   bounded chunks, so a file that lies about its size is still cut off at the limit;
2. type: Pillow opens the bytes trying only the JPEG, PNG and WebP decoders (their magic
   numbers); HTML, SVG, PDF or text renamed to .jpg is refused here;
3. pixels: the width and height come from the header, before any pixel data is decoded; more
   than the limit is refused. Pillow's own decompression-bomb check is kept: its warning
   (above `Image.MAX_IMAGE_PIXELS`) is silenced while we open the file, since our limit is
   lower, and its error (above twice that) gives the same refusal. A tiny PNG that declares
   100 megapixels is refused in milliseconds, never a 500. (`warnings.catch_warnings` is
   process-wide: fine for gunicorn's sync workers and Celery's prefork pool.)
4. decoding: the pixels are decoded in full; a truncated or corrupt file is refused;
5. re-encoding: the EXIF orientation is applied, then the pixels alone are written to a new
   file in the same format (JPEG at quality 85, PNG, WebP at quality 85). Nothing of the
   original file is copied: no EXIF (so no GPS position or camera serial), no XMP, no ICC
   profile (colours are taken as sRGB), no text chunks, no comments. Animated PNG and WebP keep
   their first frame only.

The result is a `CleanImage` whose `name` is a new random name (uuid4 hex + extension); the
client's file name is never used for storage.

PDF documents (kept as they are: there is nothing to re-encode) pass `pdf_is_sound`: the file
starts with the PDF header, holds no HTML markup, ends at its last `%%EOF`, and pypdf parses
it in strict mode down to its page tree. `VERIFIED_TYPES` gives, for each content type a check
verified, the extension and leading bytes a stored file of that type must have: a file is
served under those, never under the name its uploader gave it.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

log = logging.getLogger(__name__)

# Pillow format name -> (extension, content type, save options)
FORMATS: dict[str, tuple[str, str, dict]] = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 85, "optimize": True}),
    "PNG": ("png", "image/png", {}),
    "WEBP": ("webp", "image/webp", {"quality": 85}),
}
# Content type -> (extension, the bytes every file of that type starts with).
VERIFIED_TYPES: dict[str, tuple[str, bytes]] = {
    "application/pdf": ("pdf", b"%PDF-"),
    "image/jpeg": ("jpg", b"\xff\xd8\xff"),
    "image/png": ("png", b"\x89PNG\r\n\x1a\n"),
    "image/webp": ("webp", b"RIFF"),
}
ACCEPT = ",".join(content_type for _ext, content_type, _opts in FORMATS.values())  # for <input accept>
CHUNK_SIZE = 64 * 1024

MESSAGES = {
    "too_large": _("This file is too large (%(size)s). Photos can be at most %(limit)s."),
    "too_many_pixels": _(
        "This image is too large (%(megapixels)s megapixels). Photos can be at most %(limit)s megapixels."
    ),
    "not_image": _("This file is not a JPEG, PNG or WebP image. Choose a photo in one of those formats."),
    "damaged": _("This image is damaged or incomplete and cannot be read. Try saving it again or choose another."),
    "empty": _("This file is empty."),
}


@dataclass(frozen=True)
class CleanImage:
    """A photo that passed every check, re-encoded without metadata, ready to store."""

    content: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int
    name: str  # random: "<uuid4 hex>.<extension>"

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]

    @property
    def size(self) -> int:
        return len(self.content)


def _refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _read_bounded(uploaded_file, max_bytes: int) -> bytes:
    """Read at most `max_bytes` (+1 to notice more) in chunks; refuse a file that is larger."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    buffer = io.BytesIO()
    chunks = (
        uploaded_file.chunks(CHUNK_SIZE)
        if hasattr(uploaded_file, "chunks")
        else iter(lambda: uploaded_file.read(CHUNK_SIZE), b"")
    )
    for chunk in chunks:
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            raise _refuse(
                "too_large",
                size=_("more than %(limit)s") % {"limit": filesizeformat(max_bytes)},
                limit=filesizeformat(max_bytes),
            )
    return buffer.getvalue()


def _open_checked(data: bytes, *, max_pixels: int) -> Image.Image:
    """Open `data` as JPEG/PNG/WebP and check its pixel count from the header, before any
    pixel data is decoded. Pillow's decompression-bomb error (above twice
    Image.MAX_IMAGE_PIXELS) is refused like any image over the limit."""
    with warnings.catch_warnings():
        # Pillow warns above Image.MAX_IMAGE_PIXELS; the check below is ours and stricter, so the
        # warning is silenced here (and only here) rather than left to become a log line or,
        # under a strict warnings filter, an exception.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        except Image.DecompressionBombError:
            raise _refuse(
                "too_many_pixels",
                megapixels=_("more than %(limit)s") % {"limit": _megapixels(max_pixels)},
                limit=_megapixels(max_pixels),
            ) from None
        except (UnidentifiedImageError, SyntaxError, ValueError, EOFError, OSError):
            raise _refuse("not_image") from None
    width, height = image.size
    if width * height > max_pixels:
        raise _refuse("too_many_pixels", megapixels=_megapixels(width * height), limit=_megapixels(max_pixels))
    return image


def _reencode(image: Image.Image, fmt: str) -> bytes:
    """Write the pixels of `image` alone (no EXIF, XMP, ICC, text) in format `fmt`."""
    if fmt == "JPEG":
        keep_modes = {"L", "RGB"}
    elif fmt == "PNG":
        keep_modes = {"1", "L", "LA", "RGB", "RGBA"}
    else:
        keep_modes = {"RGB", "RGBA"}
    if image.mode not in keep_modes:
        has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    image.info = {}  # nothing of the original travels into the new file
    out = io.BytesIO()
    image.save(out, format=fmt, **FORMATS[fmt][2])
    return out.getvalue()


def image_validate_and_clean(
    uploaded_file, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> CleanImage:
    """Check an uploaded photo by decoding it and return it re-encoded without metadata.

    `uploaded_file` is a Django `UploadedFile` (or any file object). The limits default to
    JCR_UPLOAD_MAX_BYTES and JCR_UPLOAD_MAX_PIXELS. Raises ValidationError (codes
    "too_large", "too_many_pixels", "not_image", "damaged", "empty") with a message for the
    resident; never anything else for a bad file.
    """
    max_bytes = settings.JCR_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.JCR_UPLOAD_MAX_PIXELS if max_pixels is None else max_pixels
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _refuse("too_large", size=filesizeformat(declared), limit=filesizeformat(max_bytes))
    data = _read_bounded(uploaded_file, max_bytes)
    if not data:
        raise _refuse("empty")

    image = _open_checked(data, max_pixels=max_pixels)
    fmt = image.format
    if fmt not in FORMATS:  # pragma: no cover - Image.open was limited to these formats
        raise _refuse("not_image")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _refuse("damaged") from None
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError) as exc:
        # Unreadable EXIF: the orientation is unknown, the pixels are fine; keep them upright as stored.
        log.info("EXIF orientation not applied: %s", exc)
    content = _reencode(image, fmt)
    return CleanImage(
        content=content,
        format=fmt,
        width=image.width,
        height=image.height,
        name=f"{uuid.uuid4().hex}.{FORMATS[fmt][0]}",
    )


def _check_folder(folder: str) -> str:
    folder = folder.strip("/")
    parts = folder.split("/")
    if not folder or any(part in {"", ".", ".."} for part in parts):
        raise ValueError(f"invalid upload folder: {folder!r}")
    return folder


def image_store(clean: CleanImage, *, folder: str) -> str:
    """Save a clean image through default storage as `<folder>/<random name>`; return the
    stored name (what a model's FileField/CharField keeps)."""
    return default_storage.save(f"{_check_folder(folder)}/{clean.name}", ContentFile(clean.content))


def thumbnail_name(*, name: str, size: int) -> str:
    stem, ext = posixpath.splitext(name)
    return f"{stem}_thumb{size}{ext}"


def image_thumbnail(*, name: str, size: int) -> str:
    """Write a thumbnail of stored image `name` that fits in `size` x `size` pixels (aspect
    ratio kept, never enlarged), in the image's own format, next to it as
    `<stem>_thumb<size>.<ext>`; return the thumbnail's name.

    Meant for a Celery task after the photo is stored. Safe to run twice: an existing
    thumbnail is kept. Raises FileNotFoundError when `name` is not in storage.
    """
    if not 16 <= size <= 4096:
        raise ValueError(f"thumbnail size out of range: {size}")
    target = thumbnail_name(name=name, size=size)
    if default_storage.exists(target):
        return target
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    image = _open_checked(data, max_pixels=settings.JCR_UPLOAD_MAX_PIXELS)
    fmt = image.format
    image.thumbnail((size, size))
    return default_storage.save(target, ContentFile(_reencode(image, fmt)))


def image_redact(*, name: str, regions: list[tuple[float, float, float, float]]) -> CleanImage:
    """Read stored image `name` and return a new clean image (new random name, same format,
    no metadata) in which each region is pixelated beyond recognition; the stored file is not
    changed. A region is (x, y, width, height) in percent of the image (0-100); a region of
    (0, 0, 100, 100) is the whole photo.

    The pixels of a region are averaged into coarse blocks (about a sixteenth of the region's
    longer side, at least 12 pixels), then blurred: what was in the region cannot be read back
    from the result. Raises FileNotFoundError when `name` is not in storage, ValueError for an
    empty list or a region outside the image.
    """
    if not regions:
        raise ValueError("nothing to redact")
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    image = _open_checked(data, max_pixels=settings.JCR_UPLOAD_MAX_PIXELS)
    fmt = image.format
    image.load()
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    width, height = image.size
    for x, y, w, h in regions:
        if not (0 <= x < 100 and 0 <= y < 100 and 0 < w <= 100 and 0 < h <= 100):
            raise ValueError(f"region out of range: {(x, y, w, h)}")
        left, top = int(width * x / 100), int(height * y / 100)
        right = min(width, max(left + 1, round(width * (x + w) / 100)))
        bottom = min(height, max(top + 1, round(height * (y + h) / 100)))
        box = (left, top, right, bottom)
        region = image.crop(box)
        block = max(12, max(region.size) // 16)
        small = region.resize((max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX)
        coarse = small.resize(region.size, Image.Resampling.NEAREST)
        coarse = coarse.filter(ImageFilter.GaussianBlur(radius=max(2, block // 3)))
        image.paste(coarse, box)
    content = _reencode(image, fmt)
    return CleanImage(
        content=content, format=fmt, width=width, height=height, name=f"{uuid.uuid4().hex}.{FORMATS[fmt][0]}"
    )


# --- PDF documents ----------------------------------------------------------------------

_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
# Markup a browser would render if the file were ever served or saved as HTML: a PDF/HTML
# hybrid ("polyglot") carries it next to a parseable PDF. (Compressed streams are binary, so
# these ASCII runs do not turn up in an honest PDF by chance.)
_HTML_MARKERS = re.compile(rb"<\s*(?:html|!doctype|script|body|head\b|iframe|svg|meta|object|embed)", re.IGNORECASE)


def pdf_is_sound(data: bytes) -> bool:
    """Whether `data` is a PDF and nothing else: the header at byte 0 (not somewhere in the
    first kilobyte, as lenient readers allow), no HTML markup anywhere, nothing but
    whitespace after the last `%%EOF`, and a strict parse by pypdf that reaches at least one
    page (an encrypted file is accepted only when it opens without a password)."""
    if not _PDF_HEADER.match(data[:8]) or _HTML_MARKERS.search(data):
        return False
    end = data.rfind(b"%%EOF")
    if end == -1 or data[end + 5 :].strip(b" \t\r\n\x00"):
        return False
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0
    # A hostile file may make the parser raise anything: every error means "refuse". The log
    # names the error's class only, never text from the (confidential) file.
    except Exception as exc:
        log.info("PDF refused by the strict parse: %s", type(exc).__name__)
        return False


def stored_file_matches(handle, content_type: str) -> bool:
    """Whether an open stored file starts with the bytes of its verified `content_type`
    (read before serving it; the handle is rewound)."""
    spec = VERIFIED_TYPES.get(content_type)
    if spec is None:
        return False
    head = handle.read(len(spec[1]))
    handle.seek(0)
    return head == spec[1]
