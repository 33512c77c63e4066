"""Models of the Community Outreach & Media Relations Unit: one import line per feature
package, so that Django finds every model of the app."""

from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    Recommendation,
    Subcommittee,
)
from outreach.events.models import Event, EventReminder, Registration
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
from outreach.models_social import (
    ChannelAccount,
    Delivery,
    DevelopmentOutboxEntry,
    PostMedia,
    PostVariant,
    PublishingPause,
    SocialPost,
)
from outreach.programs.models import PresentationReminder, PresentationRequest, Program, Topic

__all__ = [
    "ChannelAccount",
    "Delivery",
    "DevelopmentOutboxEntry",
    "DialogueApplication",
    "DialogueSeats",
    "DialogueSeries",
    "DialogueSession",
    "Event",
    "EventReminder",
    "InquiryNote",
    "JournalEpisode",
    "MediaContact",
    "MediaInquiry",
    "NewsItem",
    "NewsletterIssue",
    "NewsletterSubscription",
    "PodcastEpisode",
    "PodcastShow",
    "PostMedia",
    "PostVariant",
    "PresentationReminder",
    "PresentationRequest",
    "Program",
    "PublishingPause",
    "Recommendation",
    "Registration",
    "SocialPost",
    "Subcommittee",
    "Topic",
]
