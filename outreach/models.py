"""Models of the Community Outreach & Media Relations Unit."""

from outreach.models_media import (
    InquiryNote,
    JournalEpisode,
    MediaContact,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PodcastShow,
)

__all__ = [
    "InquiryNote",
    "JournalEpisode",
    "MediaContact",
    "MediaInquiry",
    "NewsItem",
    "NewsletterIssue",
    "NewsletterSubscription",
    "PodcastEpisode",
    "PodcastShow",
]
