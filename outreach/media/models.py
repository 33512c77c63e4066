"""Media of the Community Outreach & Media Relations Unit: news and press releases, media
inquiries from journalists, the Justice Journal (video newsletter), podcasts and the newsletter.

Content (news, episodes) is written in one language; the edition in the other language is a
separate row pointing to its original through `translation_of`. A row is public when its
status is published and its `published_at` has come (a later date schedules it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jcr.core.images import ContentImageMixin
from jcr.core.models import TimeStampedModel
from outreach.media import files

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """Rows the public may see: published, with a publication time that has come."""
        return self.filter(status=PublishStatus.PUBLISHED, published_at__lte=timezone.now())


def _random_name(prefix: str, extension: str):
    def upload_to(instance, filename: str) -> str:  # the client's file name is never used
        return f"outreach/{prefix}/{uuid.uuid4().hex}.{extension}"

    return upload_to


def captions_upload_to(instance, filename):
    return _random_name("captions", "vtt")(instance, filename)


def artwork_upload_to(instance, filename):
    extension = "png" if filename.lower().endswith(".png") else "jpg"
    return _random_name("artwork", extension)(instance, filename)


def audio_upload_to(instance, filename):
    extension = "m4a" if filename.lower().endswith((".m4a", ".mp4", ".aac")) else "mp3"
    return _random_name("audio", extension)(instance, filename)


class MediaContact(TimeStampedModel):
    """A person journalists may call about a news item (a public press contact)."""

    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NewsItem(ContentImageMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        PRESS_RELEASE = "press_release", _("Press release")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("For an edition in another language: the original item."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(_("body (HTML, sanitised)"), blank=True, editable=False)
    contacts = models.ManyToManyField(MediaContact, verbose_name=_("media contacts"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PublishStatus, default=PublishStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_media", _("Can publish news, Justice Journal and podcast episodes"))]
        indexes = [models.Index(fields=["status", "language", "published_at"], name="outreach_news_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="outreach_newsitem_published_has_date",
                violation_error_message=_("A published item needs a publication date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_spanish(self) -> bool:
        """This row is the Spanish text. (An English item's Spanish edition is its own row, with
        its own address: see selectors.other_edition.)"""
        return self.language == "es"


class MediaInquiry(TimeStampedModel):
    """A journalist's question. Private: never shown on a public page."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outlet = models.CharField(_("news outlet"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    question = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("media inquiry")
        verbose_name_plural = _("media inquiries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outreach_inquiry_status_idx")]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.topic}"


class InquiryNote(TimeStampedModel):
    """An internal note on a media inquiry (staff only)."""

    inquiry = models.ForeignKey(MediaInquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("inquiry note")
        verbose_name_plural = _("inquiry notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


youtube_id_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{11}$", _("A YouTube video id has 11 letters, digits, - or _ (the part after v= in the address).")
)


class JournalEpisode(TimeStampedModel):
    """An episode of the Justice Journal, the office's video newsletter (hosted on YouTube)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("For the Spanish (or English) edition: the original episode."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    youtube_id = models.CharField(_("YouTube video id"), max_length=11, validators=[youtube_id_validator])
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    transcript = models.TextField(_("transcript"), blank=True, help_text=_("Required before publishing."))
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=captions_upload_to,
        blank=True,
        validators=[files.webvtt_file_validator],
        help_text=_("A .vtt file. Required before publishing."),
    )
    status = models.CharField(_("status"), max_length=16, choices=PublishStatus, default=PublishStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Justice Journal episode")
        verbose_name_plural = _("Justice Journal episodes")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_at__isnull=False) & ~Q(transcript="") & ~Q(captions="")),
                name="outreach_journalepisode_published_complete",
                violation_error_message=_(
                    "An episode can be published only with a publication date, a transcript and captions."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PodcastShow(TimeStampedModel):
    class Category(models.TextChoices):
        # Apple Podcasts categories (the feed's itunes:category text).
        GOVERNMENT = "Government", _("Government")
        NEWS = "News", _("News")
        SOCIETY = "Society & Culture", _("Society & Culture")
        EDUCATION = "Education", _("Education")
        TRUE_CRIME = "True Crime", _("True Crime")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    artwork = models.FileField(
        _("artwork"),
        upload_to=artwork_upload_to,
        validators=[files.artwork_file_validator],
        help_text=_("A square JPEG or PNG image, 1400 to 3000 pixels on a side."),
    )
    author = models.CharField(_("author"), max_length=200)
    owner_name = models.CharField(_("owner name"), max_length=200)
    owner_email = models.EmailField(_("owner e-mail"))
    category = models.CharField(_("category"), max_length=40, choices=Category, default=Category.GOVERNMENT)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    explicit = models.BooleanField(_("explicit"), default=False)
    is_active = models.BooleanField(_("shown on the site"), default=True)

    class Meta:
        verbose_name = _("podcast show")
        verbose_name_plural = _("podcast shows")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def artwork_extension(self) -> str:
        # Apple Podcasts wants the artwork's address to end in .jpg or .png.
        return "png" if self.artwork.name.lower().endswith(".png") else "jpg"


class PodcastEpisode(TimeStampedModel):
    class AudioType(models.TextChoices):
        MP3 = "audio/mpeg", "MP3"
        M4A = "audio/mp4", "M4A"

    show = models.ForeignKey(PodcastShow, verbose_name=_("show"), on_delete=models.PROTECT, related_name="episodes")
    # The feed's <guid>: set once, never changed, so podcast apps never list an episode twice.
    guid = models.UUIDField(_("GUID"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    episode_number = models.PositiveIntegerField(_("episode number"), null=True, blank=True)
    audio = models.FileField(
        _("audio file"),
        upload_to=audio_upload_to,
        validators=[files.audio_file_validator],
        help_text=_("MP3 or M4A."),
    )
    audio_type = models.CharField(_("audio type"), max_length=16, choices=AudioType, editable=False)
    audio_size = models.PositiveBigIntegerField(_("audio size (bytes)"), default=0, editable=False)
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24 * 3600)],
        help_text=_("Read from the file when left empty."),
    )
    transcript = models.TextField(_("transcript"), help_text=_("Required: offered with every episode."))
    status = models.CharField(_("status"), max_length=16, choices=PublishStatus, default=PublishStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("podcast episode")
        verbose_name_plural = _("podcast episodes")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["show", "slug"], name="outreach_podcastepisode_show_slug_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_at__isnull=False) & ~Q(transcript="")),
                name="outreach_podcastepisode_published_complete",
                violation_error_message=_("An episode can be published only with a publication date and a transcript."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audio_extension(self) -> str:
        return "m4a" if self.audio_type == self.AudioType.M4A else "mp3"

    @property
    def duration_display(self) -> str:
        """ "12:34" or "1:02:03"."""
        if not self.duration_seconds:
            return ""
        hours, rest = divmod(self.duration_seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class NewsletterSubscription(TimeStampedModel):
    """One address subscribed to the newsletter in one language, by double opt-in: it counts
    only once the address confirmed it (`confirmed`). Private: addresses never shown publicly.

    `token` is random and secret: the confirmation link carries it (with a signature that
    expires), and so does the unsubscribe link in every message."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    confirm_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "language"], name="outreach_newslettersubscription_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.language})"


class NewsletterIssue(TimeStampedModel):
    """One newsletter message, sent to the confirmed subscribers of its language."""

    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    # Set when a supervisor sends the issue ("sending" until sent_at is set by the worker).
    send_requested_at = models.DateTimeField(_("send requested at"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0, editable=False)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at"]
        permissions = [("send_newsletterissue", _("Can send a newsletter issue"))]

    def __str__(self) -> str:
        return self.subject
