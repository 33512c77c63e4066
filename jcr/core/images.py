"""Images of public content (news, events, programs): an optional picture with its alt text,
verified on upload, served in responsive renditions, and described to link previews.

- `ContentImageMixin` is the abstract model a content model adds: `image` (stored under
  `IMAGE_FOLDER`, a public folder), `image_alt` (required whenever there is an image: checked in
  `clean`, so the admin and the staff forms both refuse an image without it), and the renditions.
- The upload goes through `jcr.core.uploads` (decoded, re-encoded, metadata stripped, random
  name): the model field's form field is a `CleanImageField` that hands Django a clean file.
- Renditions are made once, when the row is saved with a new image (never on request): WebP at
  `RENDITION_WIDTHS` (never enlarged) for `srcset`, and one JPEG for link previews (`og:image`;
  some link-preview crawlers still read no WebP). The list is kept on the row, with the
  original's size, so pages print `width`/`height` (no layout shift) without opening a file.
  A replaced or removed picture's files are deleted once the change is committed.
- `open_graph` builds the Open Graph / Twitter card tags of a detail page
  (templates/includes/open_graph.html), with absolute addresses from `SITE_URL`.
"""

from __future__ import annotations

import io
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw

from jcr.core.forms import CleanImageField
from jcr.core.uploads import _open_checked, image_validate_and_clean

IMAGE_FOLDER = "content/images"  # public by design: served as files (see jcr.core.media_debug)
RENDITION_WIDTHS = (480, 960, 1600)
PREVIEW_WIDTH = 1200
SIZES = "(min-width: 992px) 640px, 100vw"
OG_LOCALES = {"en": "en_US", "es": "es_US"}


def image_upload_to(instance, filename: str) -> str:
    # `filename` is the random name given by jcr.core.uploads, never the client's.
    return f"{IMAGE_FOLDER}/{posixpath.basename(filename)}"


class ContentImageFormField(CleanImageField):
    """A `CleanImageField` whose value is a file Django's FileField can store: the re-encoded
    bytes under their new random name."""

    def to_python(self, data):
        clean = super().to_python(data)
        return None if clean is None else ContentFile(clean.content, name=clean.name)


class ContentImageField(models.FileField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ContentImageFormField, **kwargs})


def _encode(image: Image.Image, fmt: str) -> bytes:
    if image.mode not in ("RGB", "RGBA") or (fmt == "JPEG" and image.mode == "RGBA"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)


def renditions_make(name: str) -> dict:
    """Write the renditions of stored image `name` next to it; return what the row keeps:
    {"source", "width", "height", "srcset": [{"width", "height", "name"}...], "preview": {...}}."""
    with default_storage.open(name, "rb") as fh:
        image = _open_checked(fh.read(), max_pixels=settings.JCR_UPLOAD_MAX_PIXELS)
    image.load()
    stem = posixpath.splitext(name)[0]
    widths = sorted({min(w, image.width) for w in RENDITION_WIDTHS})
    srcset = []
    for width in widths:
        resized = _resized(image, width)
        stored = default_storage.save(f"{stem}_w{width}.webp", ContentFile(_encode(resized, "WEBP")))
        srcset.append({"width": resized.width, "height": resized.height, "name": stored})
    preview = _resized(image, min(PREVIEW_WIDTH, image.width))
    stored = default_storage.save(f"{stem}_preview.jpg", ContentFile(_encode(preview, "JPEG")))
    return {
        "source": name,
        "width": image.width,
        "height": image.height,
        "srcset": srcset,
        "preview": {"width": preview.width, "height": preview.height, "name": stored},
    }


def files_delete(renditions: dict) -> None:
    """Delete the stored files of a `renditions_make` result (the original and its renditions)."""
    names = [renditions["source"], *(r["name"] for r in renditions.get("srcset", []))]
    if renditions.get("preview"):
        names.append(renditions["preview"]["name"])
    for name in names:
        default_storage.delete(name)


def absolute_url(path_or_url: str) -> str:
    return path_or_url if "://" in path_or_url else settings.SITE_URL + path_or_url


class ContentImageMixin(models.Model):
    image = ContentImageField(
        _("image"),
        upload_to=image_upload_to,
        blank=True,
        max_length=200,
        help_text=_("Optional. A JPEG, PNG or WebP photo, at least 1600 pixels wide for sharp pages."),
    )
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("Required with an image: what the picture shows, for people who cannot see it."),
    )
    image_alt_es = models.CharField(_("image description in Spanish"), max_length=250, blank=True)
    image_renditions = models.JSONField(_("image renditions"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "image" not in update_fields:
            return
        name = self.image.name if self.image else ""
        previous = self.image_renditions or {}
        if previous.get("source", "") != name:
            self.image_renditions = renditions_make(name) if name else {}
            type(self).objects.filter(pk=self.pk).update(image_renditions=self.image_renditions)
            if previous.get("source"):
                # The replaced (or removed) picture and its renditions, once the change is kept.
                transaction.on_commit(lambda: files_delete(previous))

    def clean(self):
        super().clean()
        self.image_alt = (self.image_alt or "").strip()
        if self.image and not self.image_alt:
            raise ValidationError({"image_alt": _("Describe the image (alt text): it is required with an image.")})

    @property
    def image_ready(self) -> bool:
        data = self.image_renditions or {}
        return bool(self.image and data.get("source") == self.image.name and data.get("srcset"))

    @property
    def image_alt_label(self) -> str:
        return self.image_alt_es if get_language() == "es" and self.image_alt_es else self.image_alt

    @property
    def image_preview_url(self) -> str:
        """The absolute address of the JPEG made for link previews ("" without an image)."""
        return absolute_url(default_storage.url(self.image_renditions["preview"]["name"])) if self.image_ready else ""

    def image_rendition_info(self) -> dict | None:
        """What the page's <img> needs: src, srcset, sizes, width, height, alt."""
        if not self.image_ready:
            return None
        data = self.image_renditions
        srcset = data["srcset"]
        default = next((r for r in srcset if r["width"] >= 960), srcset[-1])
        return {
            "src": default_storage.url(default["name"]),
            "srcset": ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in srcset),
            "sizes": SIZES,
            "width": default["width"],
            "height": default["height"],
            "alt": self.image_alt_label,
        }


def open_graph(request, *, title: str, description: str, obj=None, has_spanish: bool = True, kind: str = "article"):
    """The Open Graph and Twitter card values of a public detail page (the template
    includes/open_graph.html prints them). `og:image` only when `obj` has a ready image."""
    language = "es" if getattr(request, "LANGUAGE_CODE", "en") == "es" else "en"
    other = "en" if language == "es" else "es"
    tags = {
        "type": kind,
        "title": title,
        "description": description,
        "url": absolute_url(request.path),
        "locale": OG_LOCALES[language],
        # The English text is always there; the Spanish only when written.
        "locale_alternate": OG_LOCALES[other] if has_spanish or language == "es" else "",
        "site_name": _("JCR Portal"),
        "card": "summary",
    }
    if obj is not None and getattr(obj, "image_ready", False):
        preview = obj.image_renditions["preview"]
        tags |= {
            "card": "summary_large_image",
            "image": obj.image_preview_url,
            "image_width": preview["width"],
            "image_height": preview["height"],
            "image_alt": obj.image_alt_label,
        }
    return tags


def placeholder_image(*, text: str, background: str, accent: str, size=(1600, 900)) -> ContentFile:
    """A simple picture drawn with Pillow (shapes and a word), for demo data: no network."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * 0.55, -height * 0.2, width * 1.15, height * 0.9), fill=accent)
    draw.rectangle((0, height * 0.72, width, height), fill="#1b2a3a")
    draw.text((width * 0.06, height * 0.78), text, fill="white", font_size=max(24, height // 12))
    out = io.BytesIO()
    image.save(out, format="PNG")
    clean = image_validate_and_clean(ContentFile(out.getvalue(), name="placeholder.png"))
    return ContentFile(clean.content, name=clean.name)
