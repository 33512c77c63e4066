"""Social publishing of the Community Outreach & Media Relations Unit.

A post is composed once (`SocialPost`) with optional per-channel text (`PostVariant`), goes
through approval, and is published once to each chosen channel account. Each (post, channel)
publication is a `Delivery` row with a status: the database, not the broker, is the source of
truth (see outreach/social/services_delivery.py for the claim and the stuck-row choice).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jcr.core.models import TimeStampedModel


def _fernet():
    key = getattr(settings, "JCR_SOCIAL_CREDENTIALS_KEY", "") or ""
    if not key:
        # Development and tests only: a key derived from the secret key (`manage.py check
        # --deploy` reports outreach.E001 when JCR_SOCIAL_CREDENTIALS_KEY is not set).
        key = base64.urlsafe_b64encode(hashlib.sha256(f"social:{settings.SECRET_KEY}".encode()).digest()).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def credentials_encrypt(data: dict) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def credentials_decrypt(token: str) -> dict:
    if not token:
        return {}
    return json.loads(_fernet().decrypt(token.encode()).decode())


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook Page")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")
    YOUTUBE = "youtube", _("YouTube")
    NEXTDOOR = "nextdoor", _("Nextdoor")
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")
    DEVELOPMENT = "development", _("Development outbox")


DEFAULT_BASE_URLS = {
    Platform.FACEBOOK: "https://graph.facebook.com/v21.0",
    Platform.INSTAGRAM: "https://graph.facebook.com/v21.0",
    Platform.X: "https://api.x.com",
    Platform.YOUTUBE: "https://www.googleapis.com",
    Platform.NEXTDOOR: "https://nextdoor.com/external/api/partner/v1",
    Platform.MASTODON: "https://mastodon.social",
    Platform.BLUESKY: "https://bsky.social",
    Platform.DEVELOPMENT: "",
}


class ChannelAccount(TimeStampedModel):
    """One account on one platform. Credentials are stored encrypted (Fernet, key
    JCR_SOCIAL_CREDENTIALS_KEY) and are never shown back: they can only be replaced."""

    platform = models.CharField(_("platform"), max_length=16, choices=Platform)
    name = models.CharField(_("name"), max_length=120)
    base_url = models.URLField(_("API base URL"), blank=True, help_text=_("Leave empty for the platform's public API."))
    account_id = models.CharField(
        _("account id"),
        max_length=200,
        blank=True,
        help_text=_("Page id, Instagram user id, handle or channel id, as the platform needs."),
    )
    profile_url = models.URLField(_("profile address"), blank=True)
    credentials_encrypted = models.TextField(_("credentials (encrypted)"), blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True)
    token_notice_sent_at = models.DateTimeField(_("token notice sent at"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        ordering = ["platform", "name"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name}"

    @property
    def api_base(self) -> str:
        return (self.base_url or DEFAULT_BASE_URLS.get(self.platform, "")).rstrip("/")

    def credentials_get(self) -> dict:
        return credentials_decrypt(self.credentials_encrypted)

    def credentials_set(self, data: dict) -> None:
        self.credentials_encrypted = credentials_encrypt(data) if data else ""


class SocialPost(TimeStampedModel):
    """A post, once or repeating. A repeating post is a chain of occurrences: each one is a
    post of its own (`previous` points to the one before, `series` to the first); the next
    occurrence is made, already approved and scheduled, when the current one falls due (see
    services_recurring.occurrences_create), so a series has one upcoming occurrence at a time."""

    class Repeat(models.TextChoices):
        NONE = "", _("Does not repeat")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, help_text=_("For staff lists and for video titles."))
    body = models.TextField(_("text"))
    link = models.URLField(_("link"), blank=True)
    video_url = models.URLField(_("video file address"), blank=True)
    video_captions = models.BooleanField(_("video has captions"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_posts", verbose_name=_("author")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_posts_approved",
        verbose_name=_("approved by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    source_kind = models.CharField(_("made from"), max_length=32, blank=True)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    channels = models.ManyToManyField(
        ChannelAccount, through="PostVariant", related_name="posts", verbose_name=_("channels")
    )
    repeat = models.CharField(_("repeat"), max_length=16, choices=Repeat, default=Repeat.NONE, blank=True)
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField(
        _("number of occurrences"), null=True, blank=True, help_text=_("Including the first.")
    )
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next_occurrence",
        verbose_name=_("previous occurrence"),
    )
    series = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="later_occurrences",
        verbose_name=_("first occurrence"),
    )

    class Meta:
        verbose_name = _("social post")
        verbose_name_plural = _("social posts")
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("approve_socialpost", _("Can approve social posts")),
            ("pause_publishing", _("Can pause and resume all social publishing")),
            ("export_social_records", _("Can export the social publishing records")),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="outreach_social_status_idx"),
            models.Index(fields=["publish_at"], condition=~Q(repeat=""), name="outreach_social_repeat_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=~Q(source_kind=""),
                name="outreach_socialpost_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def series_root_id(self) -> int:
        return self.series_id or self.pk

    @property
    def in_series(self) -> bool:
        return bool(self.repeat) or self.previous_id is not None


class PostMedia(TimeStampedModel):
    post = models.ForeignKey(SocialPost, on_delete=models.CASCADE, related_name="media")
    image = models.ImageField(_("image"), upload_to="outreach/social/")
    alt_text = models.TextField(_("alternative text"), blank=True, max_length=1500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("post image")
        verbose_name_plural = _("post images")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.alt_text[:60] or str(self.pk)


class PostVariant(models.Model):
    """The post on one channel; `body` overrides the post's text there when not empty."""

    post = models.ForeignKey(SocialPost, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="variants")
    body = models.TextField(_("text on this channel"), blank=True)

    class Meta:
        verbose_name = _("channel variant")
        verbose_name_plural = _("channel variants")
        constraints = [models.UniqueConstraint(fields=["post", "channel"], name="outreach_postvariant_unique")]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.channel_id}"

    @property
    def text(self) -> str:
        return self.body or self.post.body


class Delivery(models.Model):
    """One publication of one post on one channel: exactly once."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        CHECK = "check", _("Check on the platform")
        CANCELLED = "cancelled", _("Cancelled")

    post = models.ForeignKey(SocialPost, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(ChannelAccount, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SCHEDULED)
    text = models.TextField(_("final text"))
    publish_at = models.DateTimeField(_("publish at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    remote_id = models.CharField(_("platform id"), max_length=300, blank=True)
    remote_url = models.URLField(_("platform address"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["publish_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "channel"], name="outreach_delivery_once")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outreach_delivery_due_idx"),
            models.Index(fields=["channel", "publish_at"], name="outreach_delivery_cal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.channel_id}: {self.status}"


class PublishingPause(models.Model):
    """An emergency stop of all social publishing. Active while `resumed_at` is empty."""

    started_at = models.DateTimeField(_("paused at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("paused by")
    )
    reason = models.TextField(_("why"))
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resumed by"),
    )
    resume_note = models.TextField(_("note on resuming"), blank=True)

    class Meta:
        verbose_name = _("publishing pause")
        verbose_name_plural = _("publishing pauses")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.reason[:60]}"


class DevelopmentOutboxEntry(models.Model):
    """What the development channel 'published' (used by `make run`; visible in admin)."""

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    channel = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="outbox")
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="outbox_entry")
    text = models.TextField(_("text"))
    media = models.JSONField(_("media"), default=list, blank=True)

    class Meta:
        verbose_name = _("development outbox entry")
        verbose_name_plural = _("development outbox entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.text[:60]}"
