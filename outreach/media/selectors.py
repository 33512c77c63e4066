"""Reads of the unit's media for public and staff pages."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from jcr.core.audit import object_key
from jcr.core.models import AuditEntry
from outreach.media.models import (
    JournalEpisode,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
)

NEWS_PAGE_SIZE = 10
NEWS_FIELDS = (
    *("slug", "language", "kind", "title", "summary", "published_at"),
    *("image", "image_alt", "image_alt_es", "image_renditions"),
)


def _in_language(queryset: QuerySet, language: str) -> QuerySet:
    """Items in `language`, and items in another language that have no published edition in
    `language` (an English-only press release is still listed on the Spanish pages)."""
    model = queryset.model
    published = model.objects.published().filter(language=language)
    has_edition = Exists(published.filter(translation_of=OuterRef("pk"))) | Exists(
        published.filter(pk=OuterRef("translation_of_id"))
    )
    return queryset.filter(Q(language=language) | ~has_edition)


def news_list_public(*, language: str, kind: str | None = None) -> QuerySet[NewsItem]:
    queryset = NewsItem.objects.published()
    if kind:
        queryset = queryset.filter(kind=kind)
    return _in_language(queryset, language).only(*NEWS_FIELDS).order_by("-published_at", "-id")


def news_get_public(*, slug: str) -> NewsItem:
    return get_object_or_404(NewsItem.objects.published().prefetch_related("contacts"), slug=slug)


def other_edition(obj):
    """The published edition of `obj` in the other language, or None (one query)."""
    model = type(obj)
    condition = Q(translation_of_id=obj.pk)
    if obj.translation_of_id:
        condition |= Q(pk=obj.translation_of_id) | Q(translation_of_id=obj.translation_of_id)
    return (
        model.objects.published()
        .filter(condition)
        .exclude(language=obj.language)
        .only("slug", "language", "title")
        .first()
    )


def news_list_feed(*, language: str, limit: int = 30) -> list[NewsItem]:
    return list(news_list_public(language=language)[:limit])


def journal_list_public(*, language: str) -> QuerySet[JournalEpisode]:
    fields = ("slug", "language", "title", "summary", "published_at", "youtube_id", "duration_seconds")
    return _in_language(JournalEpisode.objects.published(), language).only(*fields).order_by("-published_at", "-id")


def journal_get_public(*, slug: str) -> JournalEpisode:
    return get_object_or_404(JournalEpisode.objects.published(), slug=slug)


def podcast_show_list_public() -> list[PodcastShow]:
    published = PodcastEpisode.objects.published()
    return list(
        PodcastShow.objects.filter(is_active=True)
        .annotate(episode_count=Count("episodes", filter=Q(episodes__in=published.values("pk"))))
        .order_by("title")
    )


def podcast_show_get_public(*, slug: str) -> PodcastShow:
    return get_object_or_404(PodcastShow.objects.filter(is_active=True), slug=slug)


def podcast_episode_list_public(*, show: PodcastShow) -> QuerySet[PodcastEpisode]:
    return PodcastEpisode.objects.published().filter(show=show).defer("transcript").order_by("-published_at", "-id")


def podcast_episode_get_public(*, show_slug: str, slug: str) -> PodcastEpisode:
    return get_object_or_404(
        PodcastEpisode.objects.published().select_related("show").filter(show__is_active=True),
        show__slug=show_slug,
        slug=slug,
    )


def podcast_episode_get_by_guid(*, guid) -> PodcastEpisode:
    return get_object_or_404(
        PodcastEpisode.objects.published().select_related("show").filter(show__is_active=True), guid=guid
    )


def landing_media_context(*, language: str) -> dict:
    """The media section of the unit's landing page: the latest news and episodes."""
    return {
        "latest_news": list(news_list_public(language=language)[:3]),
        "latest_journal": journal_list_public(language=language).first(),
    }


# --- Staff ------------------------------------------------------------------------------------


def inquiry_list_staff(*, status: str | None) -> QuerySet[MediaInquiry]:
    queryset = MediaInquiry.objects.select_related("assignee").order_by("-created_at", "-id")
    if status == "all":
        return queryset
    if status in MediaInquiry.Status.values:
        return queryset.filter(status=status)
    return queryset.filter(status=MediaInquiry.Status.NEW)


def inquiry_counts() -> dict[str, int]:
    rows = MediaInquiry.objects.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(MediaInquiry.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def newsletter_counts() -> list[dict]:
    """Subscriptions by language and status: only confirmed ones receive the newsletter."""
    rows = NewsletterSubscription.objects.values("language", "status").annotate(n=Count("id"))
    table = {code: dict.fromkeys(NewsletterSubscription.Status.values, 0) for code in ("en", "es")}
    for row in rows:
        table.setdefault(row["language"], {})[row["status"]] = row["n"]
    return [{"language": code, **counts} for code, counts in table.items()]


def newsletter_issue_list_recent(limit: int = 20) -> list[NewsletterIssue]:
    return list(NewsletterIssue.objects.order_by("-created_at")[:limit])


def newsletter_issue_tests_sent(*, issue: NewsletterIssue) -> list[AuditEntry]:
    """The test messages of `issue` (who asked, when), newest first, from the audit trail."""
    return list(
        AuditEntry.objects.filter(
            action="outreach.newsletter_issue.test", object_type=issue._meta.label_lower, object_id=object_key(issue)
        )
        .select_related("actor")
        .order_by("-at")[:10]
    )


def content_list_drafts() -> dict[str, list]:
    """Content waiting to be published, for the staff media page."""
    return {
        "news": list(NewsItem.objects.exclude(status="published").only("pk", "title", "language", "kind")[:50]),
        "journal": list(
            JournalEpisode.objects.exclude(status="published").only(
                "pk", "title", "language", "transcript", "captions"
            )[:50]
        ),
        "podcast": list(
            PodcastEpisode.objects.exclude(status="published")
            .select_related("show")
            .only("pk", "title", "transcript", "audio", "show__title")[:50]
        ),
    }


def newsletter_issue_recipient_count(*, issue: NewsletterIssue) -> int:
    """How many confirmed subscribers the issue would go to now."""
    return NewsletterSubscription.objects.filter(
        language=issue.language, status=NewsletterSubscription.Status.CONFIRMED
    ).count()
