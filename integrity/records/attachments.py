"""Attachments of the public intake forms: a file is accepted only when it is a sound PDF, JPEG
or PNG within the size limit; images are re-encoded (jcr.core.uploads). Used by the forms and
the services."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy

from jcr.core.uploads import image_validate_and_clean, pdf_is_sound

MAX_ATTACHMENTS = 5

ATTACHMENT_MESSAGES = {
    "too_large": gettext_lazy("This file is too large (%(size)s). Files can be at most %(limit)s."),
    "empty": gettext_lazy("This file is empty."),
    "bad_type": gettext_lazy("This file is not a PDF, JPEG or PNG. Choose a file in one of those formats."),
    "bad_pdf": gettext_lazy("This PDF is damaged or incomplete and cannot be read. Try saving it again."),
}


@dataclass(frozen=True)
class CleanAttachment:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def _read_bounded(uploaded, max_bytes: int) -> bytes:
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            ATTACHMENT_MESSAGES["too_large"],
            code="too_large",
            params={"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)},
        )
    return data


def attachment_validate(uploaded, *, max_bytes: int | None = None) -> CleanAttachment:
    """Check one uploaded file by its content: a PDF (strictly parsed, no HTML) or a JPEG/PNG
    (decoded and re-encoded without metadata by jcr.core.uploads). Raises ValidationError
    with a message for the person."""
    max_bytes = settings.JCR_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(
            ATTACHMENT_MESSAGES["too_large"],
            code="too_large",
            params={"size": filesizeformat(declared), "limit": filesizeformat(max_bytes)},
        )
    data = _read_bounded(uploaded, max_bytes)
    if not data:
        raise ValidationError(ATTACHMENT_MESSAGES["empty"], code="empty")
    name = (getattr(uploaded, "name", "") or "file")[-200:]
    # The PDF header at byte 0 only: a file with HTML before it is an HTML/PDF hybrid.
    if data.startswith(b"%PDF-"):
        if not pdf_is_sound(data):
            raise ValidationError(ATTACHMENT_MESSAGES["bad_pdf"], code="bad_pdf")
        return CleanAttachment(content=data, content_type="application/pdf", extension="pdf", original_name=name)
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        uploaded.seek(0)
        image = image_validate_and_clean(uploaded, max_bytes=max_bytes)
        if image.format not in ("JPEG", "PNG"):
            raise ValidationError(ATTACHMENT_MESSAGES["bad_type"], code="bad_type")
        return CleanAttachment(
            content=image.content, content_type=image.content_type, extension=image.extension, original_name=name
        )
    raise ValidationError(ATTACHMENT_MESSAGES["bad_type"], code="bad_type")
