"""Admin of the unit's media. Publishing an episode without its transcript (and, for the
Justice Journal, its captions) is refused here as in the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from outreach.media import services
from outreach.media.models import (
    InquiryNote,
    JournalEpisode,
    MediaContact,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
    PublishStatus,
)


@admin.register(MediaContact)
class MediaContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "title"]


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "status", "published_at", "translation_of"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of"]
    filter_horizontal = ["contacts"]
    list_select_related = ["translation_of"]

    def save_model(self, request, obj, form, change):
        obj.body_html = services.markdown_render(obj.body)
        super().save_model(request, obj, form, change)


class _PublishCheckForm(forms.ModelForm):
    """Refuses the "published" status while the episode lacks what publishing requires."""

    problems = staticmethod(services.journal_episode_problems)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PublishStatus.PUBLISHED:
            probe = self.instance
            for name in ("transcript", "captions", "audio"):
                if name in cleaned:
                    setattr(probe, name, cleaned[name])
            if problems := self.problems(probe):
                raise ValidationError(problems)
        return cleaned


class JournalEpisodeForm(_PublishCheckForm):
    class Meta:
        model = JournalEpisode
        fields = [
            "slug", "language", "translation_of", "title", "summary", "youtube_id", "duration_seconds",
            "transcript", "captions", "status", "published_at",
        ]  # fmt: skip


@admin.register(JournalEpisode)
class JournalEpisodeAdmin(admin.ModelAdmin):
    form = JournalEpisodeForm
    list_display = ["title", "language", "youtube_id", "status", "published_at", "has_transcript", "has_captions"]
    list_filter = ["status", "language"]
    search_fields = ["title", "summary", "slug", "youtube_id"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of"]
    list_select_related = ["translation_of"]

    @admin.display(boolean=True, description=_("transcript"))
    def has_transcript(self, obj):
        return bool(obj.transcript.strip())

    @admin.display(boolean=True, description=_("captions"))
    def has_captions(self, obj):
        return bool(obj.captions)


@admin.register(PodcastShow)
class PodcastShowAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "category", "language", "explicit", "is_active"]
    list_filter = ["is_active", "language", "category", "explicit"]
    search_fields = ["title", "author", "owner_email"]
    prepopulated_fields = {"slug": ["title"]}


class PodcastEpisodeForm(_PublishCheckForm):
    problems = staticmethod(services.podcast_episode_problems)

    class Meta:
        model = PodcastEpisode
        fields = [
            "show", "slug", "title", "description", "episode_number", "audio", "duration_seconds", "transcript",
            "status", "published_at",
        ]  # fmt: skip


@admin.register(PodcastEpisode)
class PodcastEpisodeAdmin(admin.ModelAdmin):
    form = PodcastEpisodeForm
    list_display = ["title", "show", "episode_number", "status", "published_at", "duration_seconds", "audio_type"]
    list_filter = ["status", "show"]
    search_fields = ["title", "description", "slug", "guid"]
    date_hierarchy = "published_at"
    list_select_related = ["show"]
    readonly_fields = ["guid", "audio_type", "audio_size"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        # The audio was already checked by the field's validator; this reads its type, size
        # and duration.
        services.podcast_episode_read_audio(episode=obj)
        super().save_model(request, obj, form, change)


class InquiryNoteInline(admin.TabularInline):
    model = InquiryNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author"]


@admin.register(MediaInquiry)
class MediaInquiryAdmin(admin.ModelAdmin):
    list_display = ["topic", "outlet", "name", "status", "deadline", "assignee", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["topic", "outlet", "name", "email", "question"]
    date_hierarchy = "created_at"
    list_select_related = ["assignee"]
    autocomplete_fields = ["assignee"]
    readonly_fields = ["public_id", "created_at", "answered_at"]
    inlines = [InquiryNoteInline]


@admin.register(InquiryNote)
class InquiryNoteAdmin(admin.ModelAdmin):
    list_display = ["inquiry", "author", "created_at"]
    search_fields = ["text", "inquiry__topic"]
    list_select_related = ["inquiry", "author"]
    raw_id_fields = ["inquiry"]
    readonly_fields = ["author"]


@admin.register(NewsletterSubscription)
class NewsletterSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    # The token is the key of a subscriber's links: never shown.
    fields = ["email", "language", "status", "confirm_sent_at", "confirmed_at", "unsubscribed_at", "created_at"]
    readonly_fields = ["confirm_sent_at", "confirmed_at", "unsubscribed_at", "created_at"]

    def has_add_permission(self, request):
        return False  # subscriptions begin with the subscriber's own confirmation


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "language", "created_at", "send_requested_at", "sent_at", "recipients"]
    list_filter = ["language"]
    search_fields = ["subject", "body"]
    readonly_fields = ["send_requested_at", "sent_at", "recipients"]
    actions = ["send"]

    @admin.action(description=_("Send the selected issues to their confirmed subscribers"))
    def send(self, request, queryset):
        for issue in queryset:
            try:
                count = services.newsletter_issue_send(issue=issue, actor=request.user)
            except ValidationError as exc:
                messages.error(request, f"{issue}: {' '.join(exc.messages)}")
            else:
                messages.success(
                    request, _("%(issue)s: on its way to %(count)d subscribers.") % {"issue": issue, "count": count}
                )
