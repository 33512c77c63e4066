"""Quality-gate hooks of the unit's media (combined into outreach/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample


def admin_rows_ensure() -> None:
    """One row of each media model for the admin's object pages."""
    from outreach.media.models import (
        InquiryNote,
        JournalEpisode,
        MediaContact,
        MediaInquiry,
        NewsItem,
        NewsletterIssue,
        NewsletterSubscription,
        PodcastEpisode,
    )
    from outreach.media.tests import factories as f

    if not MediaContact.objects.exists():
        MediaContact.objects.create(name="Press Officer", email="press@da.example.gov")
    if not NewsItem.objects.exists():
        f.news_item()
    if not JournalEpisode.objects.exists():
        f.journal_episode()
    if not PodcastEpisode.objects.exists():
        f.podcast_episode()
    if not MediaInquiry.objects.exists():
        f.media_inquiry()
    if not InquiryNote.objects.exists():
        InquiryNote.objects.create(inquiry=MediaInquiry.objects.order_by("pk").first(), text="A note")
    if not NewsletterSubscription.objects.exists():
        f.subscription(email="admin-row@example.org")
    if not NewsletterIssue.objects.exists():
        NewsletterIssue.objects.create(subject="Issue", body="Text")


def seed_private_markers(*, personas, marker) -> list[str]:
    """A journalist's inquiry and its internal note, subscribers' addresses, draft content."""
    from outreach.media.models import InquiryNote
    from outreach.media.tests import factories as f

    outlet, name, email_user, phone, question, topic = (
        marker("inquiry-outlet"),
        marker("inquiry-name"),
        marker("inquiry-email"),
        marker("inquiry-phone"),
        marker("inquiry-question"),
        marker("inquiry-topic"),
    )
    inquiry = f.media_inquiry(
        outlet=outlet, name=name, email=f"{email_user}@news.example", phone=phone, question=question, topic=topic
    )
    note = marker("inquiry-note")
    InquiryNote.objects.create(inquiry=inquiry, text=note)
    subscriber = marker("subscriber")
    f.subscription(email=f"{subscriber}@example.org")
    pending = marker("subscriber-pending")
    f.subscription(email=f"{pending}@example.org", status="pending")
    draft_title = marker("draft-news")
    f.news_item(published=False, title=draft_title)
    draft_episode = marker("draft-journal")
    f.journal_episode(published=False, captions=False, transcript="", title=draft_episode)
    return [outlet, name, email_user, phone, question, topic, note, subscriber, pending, draft_title, draft_episode]


def _news_sample(personas, route: Route) -> Sample:
    from outreach.media.models import NewsItem
    from outreach.media.tests import factories as f

    item = NewsItem.objects.published().order_by("pk").first() or f.news_item()
    return Sample(kwargs={"slug": item.slug})


def _journal_sample(personas, route: Route) -> Sample:
    from outreach.media.models import JournalEpisode
    from outreach.media.tests import factories as f

    episode = JournalEpisode.objects.published().order_by("pk").first() or f.journal_episode()
    return Sample(kwargs={"slug": episode.slug})


def _podcast_episode():
    from outreach.media.models import PodcastEpisode
    from outreach.media.tests import factories as f

    return PodcastEpisode.objects.published().select_related("show").order_by("pk").first() or f.podcast_episode()


def _show_sample(personas, route: Route) -> Sample:
    return Sample(kwargs={"slug": _podcast_episode().show.slug})


def _artwork_sample(personas, route: Route) -> Sample:
    show = _podcast_episode().show
    return Sample(kwargs={"slug": show.slug, "ext": show.artwork_extension})


def _podcast_episode_sample(personas, route: Route) -> Sample:
    episode = _podcast_episode()
    return Sample(kwargs={"show_slug": episode.show.slug, "slug": episode.slug})


def _audio_sample(personas, route: Route) -> Sample:
    episode = _podcast_episode()
    return Sample(kwargs={"guid": episode.guid, "ext": episode.audio_extension})


def _transcript_sample(personas, route: Route) -> Sample:
    return Sample(kwargs={"guid": _podcast_episode().guid})


def _subscription():
    from outreach.media.models import NewsletterSubscription
    from outreach.media.tests import factories as f

    return NewsletterSubscription.objects.filter(email="sample@example.org").first() or f.subscription(
        email="sample@example.org", status="pending"
    )


def _confirm_sample(personas, route: Route) -> Sample:
    from outreach.media.services import newsletter_confirm_key

    return Sample(kwargs={"key": newsletter_confirm_key(_subscription())})


def _unsubscribe_sample(personas, route: Route) -> Sample:
    return Sample(kwargs={"token": _subscription().token})


def _inquiry_sample(personas, route: Route) -> Sample:
    from outreach.media.models import MediaInquiry
    from outreach.media.tests import factories as f

    inquiry = MediaInquiry.objects.order_by("pk").first() or f.media_inquiry()
    return Sample(kwargs={"public_id": inquiry.public_id})


def _issue_sample(personas, route: Route) -> Sample:
    from outreach.media.models import NewsletterIssue

    issue = NewsletterIssue.objects.filter(sent_at=None).first() or NewsletterIssue.objects.create(
        subject="Sample issue", body="Text"
    )
    return Sample(kwargs={"pk": issue.pk})


def _publish_sample(personas, route: Route) -> Sample:
    from outreach.media.tests import factories as f

    return Sample(kwargs={"kind": "news", "pk": f.news_item(published=False).pk})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "outreach:news_detail": _news_sample,
        "outreach:journal_episode": _journal_sample,
        "outreach:journal_captions": _journal_sample,
        "outreach:podcast_show": _show_sample,
        "outreach:podcast_feed": _show_sample,
        "outreach:podcast_artwork": _artwork_sample,
        "outreach:podcast_episode": _podcast_episode_sample,
        "outreach:podcast_audio": _audio_sample,
        "outreach:podcast_transcript": _transcript_sample,
        "outreach:newsletter_confirm": _confirm_sample,
        "outreach:newsletter_unsubscribe": _unsubscribe_sample,
        "outreach:staff_inquiry_*": _inquiry_sample,
        "outreach:staff_newsletter_send": _issue_sample,
        "outreach:staff_newsletter_issue*": _issue_sample,
        "outreach:staff_media_publish": _publish_sample,
    }
