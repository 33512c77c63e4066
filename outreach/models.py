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
)
from outreach.programs.models import PresentationReminder, PresentationRequest, Program, Topic
from outreach.social.models import (
    ChannelAccount,
    Delivery,
    DevelopmentOutboxEntry,
    PostMedia,
    PostVariant,
    PublishingPause,
    SocialPost,
)

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
