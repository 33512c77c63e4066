"""Writes of the unit's media: news, media inquiries, Justice Journal and podcast episodes, the
newsletter. Each service owns its transaction and writes an audit entry."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.core import work
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.markdown import markdown_render
from jcr.core.services import email_queue, render_email
from outreach.media.files import audio_inspect
from outreach.media.models import (
    InquiryNote,
    JournalEpisode,
    MediaContact,
    MediaInquiry,
    NewsItem,
    NewsletterIssue,
    NewsletterSubscription,
    PodcastEpisode,
    PublishStatus,
)
from outreach.social.services_sources import drafts_after_publish, source_posts_withdraw

PUBLISH_PERMISSION = "outreach.publish_media"
CONFIRM_SALT = "outreach.newsletter.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# The unsubscribe token of previews and test messages: no subscription has it (real ones are
# 43 random characters), so the link unsubscribes nobody.
PREVIEW_TOKEN = "preview"  # noqa: S105

# --- Content: news, episodes ------------------------------------------------------------------


@transaction.atomic
def news_item_save(*, item: NewsItem, actor, contacts=None) -> NewsItem:
    """Create or change a news item (its HTML body rendered from the Markdown); `contacts`,
    when given, replaces the press contacts it names."""
    before = snapshot(NewsItem.objects.get(pk=item.pk)) if item.pk else None
    if before is not None and contacts is not None:
        before["contacts"] = sorted(item.contacts.values_list("pk", flat=True))
    item.body_html = markdown_render(item.body)
    item.full_clean()
    item.save()
    after = snapshot(item)
    if contacts is not None:
        item.contacts.set(contacts)
        after["contacts"] = sorted(c.pk for c in contacts)
    if before is None:
        audit_record(action="outreach.news_item.create", obj=item, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="outreach.news_item.change", obj=item, actor=actor, before=b, after=a)
    return item


def journal_episode_problems(episode: JournalEpisode) -> list[str]:
    """Why `episode` cannot be published yet (empty when it can)."""
    problems = []
    if not (episode.transcript or "").strip():
        problems.append(_("Add the transcript before publishing."))
    if not episode.captions:
        problems.append(_("Add the captions (WebVTT file) before publishing."))
    return problems


def podcast_episode_problems(episode: PodcastEpisode) -> list[str]:
    problems = []
    if not (episode.transcript or "").strip():
        problems.append(_("Add the transcript before publishing."))
    if not episode.audio:
        problems.append(_("Add the audio file before publishing."))
    return problems


def _problems(obj) -> list[str]:
    if isinstance(obj, JournalEpisode):
        return journal_episode_problems(obj)
    if isinstance(obj, PodcastEpisode):
        return podcast_episode_problems(obj)
    return []


@transaction.atomic
def journal_episode_save(*, episode: JournalEpisode, actor) -> JournalEpisode:
    """Create or change a Justice Journal episode. A published episode must keep its transcript
    and captions. Raises ValidationError."""
    if episode.status == PublishStatus.PUBLISHED and (problems := journal_episode_problems(episode)):
        raise ValidationError(problems)
    before = snapshot(JournalEpisode.objects.get(pk=episode.pk)) if episode.pk else None
    episode.full_clean()
    episode.save()
    _audit_save("outreach.journal_episode", episode, actor, before)
    return episode


@transaction.atomic
def podcast_episode_save(*, episode: PodcastEpisode, actor) -> PodcastEpisode:
    """Create or change a podcast episode: the audio's type, size and (unless given) duration
    are read from the file. Raises ValidationError for audio that is not MP3/M4A."""
    if episode.status == PublishStatus.PUBLISHED and (problems := podcast_episode_problems(episode)):
        raise ValidationError(problems)
    before = snapshot(PodcastEpisode.objects.get(pk=episode.pk)) if episode.pk else None
    podcast_episode_read_audio(episode=episode)
    episode.full_clean()
    episode.save()
    _audit_save("outreach.podcast_episode", episode, actor, before)
    return episode


def podcast_episode_read_audio(*, episode: PodcastEpisode) -> None:
    """Set the episode's audio type, size and (unless already given) duration from a newly
    uploaded file (a stored one was read when it came). Raises ValidationError for a file that
    is not MP3 or M4A."""
    if not episode.audio or episode.audio._committed:
        return
    info = audio_inspect(episode.audio.file)
    episode.audio_type = info.content_type
    episode.audio_size = episode.audio.size
    if episode.duration_seconds is None and info.duration_seconds is not None:
        episode.duration_seconds = info.duration_seconds


def _audit_save(prefix: str, obj, actor, before: dict | None) -> None:
    after = snapshot(obj)
    if before is None:
        audit_record(action=f"{prefix}.create", obj=obj, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action=f"{prefix}.change", obj=obj, actor=actor, before=b, after=a)


@transaction.atomic
def content_publish(*, obj: NewsItem | JournalEpisode | PodcastEpisode, actor, at: datetime | None = None):
    """Publish a news item or an episode now (or at `at`, scheduling it).

    Raises PermissionDenied without the publish permission, ValidationError when the episode
    lacks its transcript or captions (Justice Journal) or its transcript or audio (podcast).
    """
    if actor is not None and not actor.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if problems := _problems(obj):
        raise ValidationError(problems)
    before = {"status": obj.status, "published_at": obj.published_at}
    obj.status = PublishStatus.PUBLISHED
    obj.published_at = at or obj.published_at or timezone.now()
    obj.full_clean()
    obj.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        action=f"outreach.{obj._meta.model_name}.publish",
        obj=obj,
        actor=actor,
        before=before,
        after={"status": obj.status, "published_at": obj.published_at},
    )
    social_kind = {NewsItem: "news", PodcastEpisode: "podcast"}.get(type(obj))
    if social_kind:
        drafts_after_publish(kind=social_kind, obj=obj, actor=actor)
    return obj


@transaction.atomic
def content_unpublish(*, obj: NewsItem | JournalEpisode | PodcastEpisode, actor):
    """Take a news item or an episode off the site (back to draft). Raises PermissionDenied."""
    if actor is not None and not actor.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = {"status": obj.status}
    obj.status = PublishStatus.DRAFT
    obj.save(update_fields=["status", "updated_at"])
    audit_record(action=f"outreach.{obj._meta.model_name}.unpublish", obj=obj, actor=actor, before=before)
    social_kind = {NewsItem: "news", PodcastEpisode: "podcast"}.get(type(obj))
    if social_kind:
        source_posts_withdraw(kind=social_kind, pk=obj.pk, actor=actor)
    return obj


# --- Media inquiries ----------------------------------------------------------------------------


@transaction.atomic
def media_inquiry_submit(
    *,
    outlet: str,
    name: str,
    email: str,
    phone: str = "",
    deadline: datetime | None = None,
    topic: str,
    question: str,
    language: str = "en",
) -> MediaInquiry:
    """Record a journalist's inquiry and acknowledge it by e-mail (sent after commit)."""
    inquiry = MediaInquiry(
        outlet=outlet.strip(),
        name=name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        deadline=deadline,
        topic=topic.strip(),
        question=question.strip(),
        language=language if language in ("en", "es") else "en",
    )
    inquiry.full_clean()
    inquiry.save()
    audit_record(action="outreach.media_inquiry.submit", obj=inquiry, actor=None)
    email_queue(
        to=inquiry.email,
        template="outreach/inquiry_received",
        context={"inquiry": inquiry},
        language=inquiry.language,
        related=inquiry,
    )
    return inquiry


@transaction.atomic
def media_inquiry_update(*, inquiry: MediaInquiry, actor, status: str, assignee=None) -> MediaInquiry:
    """Change an inquiry's status and assignee. Raises PermissionDenied, ValidationError."""
    if not actor.has_perm("outreach.change_mediainquiry"):
        raise PermissionDenied
    inquiry = MediaInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if status not in MediaInquiry.Status.values:
        raise ValidationError(_("Choose a status from the list."))
    if assignee is not None and not (assignee.is_active and assignee.has_perm("outreach.change_mediainquiry")):
        raise ValidationError(_("This person cannot work on media inquiries."))
    before = {"status": inquiry.status, "assignee": inquiry.assignee_id}
    inquiry.status = status
    inquiry.assignee = assignee
    if status == MediaInquiry.Status.ANSWERED and inquiry.answered_at is None:
        inquiry.answered_at = timezone.now()
    inquiry.save(update_fields=["status", "assignee", "answered_at", "updated_at"])
    after = {"status": inquiry.status, "assignee": inquiry.assignee_id}
    b, a = diff(before, after)
    audit_record(action="outreach.media_inquiry.update", obj=inquiry, actor=actor, before=b, after=a)
    return inquiry


@transaction.atomic
def media_inquiry_add_note(*, inquiry: MediaInquiry, actor, text: str) -> InquiryNote:
    """Add an internal note (never shown to the journalist). Raises PermissionDenied."""
    if not actor.has_perm("outreach.add_inquirynote"):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."))
    note = InquiryNote.objects.create(inquiry=inquiry, author=actor, text=text)
    audit_record(action="outreach.media_inquiry.note", obj=inquiry, actor=actor, after={"note_id": note.pk})
    return note


# --- Newsletter ---------------------------------------------------------------------------------


def newsletter_confirm_key(subscription: NewsletterSubscription) -> str:
    """The key in a confirmation link: the subscription's token, signed with a time (7 days)."""
    return signing.dumps(subscription.token, salt=CONFIRM_SALT, compress=False)


@transaction.atomic
def newsletter_subscribe(*, email: str, language: str) -> NewsletterSubscription:
    """Ask to subscribe `email` to the newsletter in `language`: a confirmation e-mail is sent
    (double opt-in) unless the address is already confirmed. Someone unsubscribed earlier can
    subscribe again the same way. The answer shown is the same in every case, so the form does
    not tell anyone whether an address is on the list."""
    email = email.strip().lower()
    language = language if language in ("en", "es") else "en"
    subscription = NewsletterSubscription.objects.select_for_update().filter(email=email, language=language).first()
    if subscription is not None and subscription.status == NewsletterSubscription.Status.CONFIRMED:
        return subscription
    if subscription is None:
        subscription = NewsletterSubscription(email=email, language=language)
    subscription.status = NewsletterSubscription.Status.PENDING
    subscription.token = secrets.token_urlsafe(32)  # a new token: links of an earlier round stop working
    subscription.confirm_sent_at = timezone.now()
    subscription.full_clean()
    subscription.save()
    audit_record(action="outreach.newsletter.subscribe", obj=subscription, actor=None)
    email_queue(
        to=subscription.email,
        template="outreach/newsletter_confirm",
        context={"subscription": subscription, "confirm_key": newsletter_confirm_key(subscription)},
        language=language,
        related=subscription,
    )
    return subscription


@transaction.atomic
def newsletter_confirm(*, key: str) -> NewsletterSubscription:
    """Confirm a subscription from its e-mailed link. Raises ValidationError for a link that is
    forged, expired or from an earlier round; confirming twice is harmless."""
    try:
        token = signing.loads(key, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid or has expired."), code="invalid") from None
    subscription = NewsletterSubscription.objects.select_for_update().filter(token=token).first()
    if subscription is None or subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED:
        raise ValidationError(_("This confirmation link is not valid or has expired."), code="invalid")
    if subscription.status == NewsletterSubscription.Status.PENDING:
        subscription.status = NewsletterSubscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(action="outreach.newsletter.confirm", obj=subscription, actor=None)
    return subscription


@transaction.atomic
def newsletter_unsubscribe(*, token: str) -> NewsletterSubscription | None:
    """Unsubscribe the address whose messages carry `token` (no account needed). Returns None
    for an unknown token; unsubscribing twice is harmless."""
    subscription = NewsletterSubscription.objects.select_for_update().filter(token=token).first() if token else None
    if subscription is None:
        return None
    if subscription.status != NewsletterSubscription.Status.UNSUBSCRIBED:
        before = {"status": subscription.status}
        subscription.status = NewsletterSubscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        audit_record(action="outreach.newsletter.unsubscribe", obj=subscription, actor=None, before=before)
    return subscription


def newsletter_headers(subscription: NewsletterSubscription) -> dict[str, str]:
    """The list headers of a newsletter message (RFC 2369, RFC 8058 one-click): the
    subscriber's own unsubscribe link, which also takes a POST from the mail program."""
    with translation.override(subscription.language):
        path = reverse("outreach:newsletter_unsubscribe", kwargs={"token": subscription.token})
    url = settings.SITE_URL + path
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@transaction.atomic
def newsletter_issue_send(*, issue: NewsletterIssue, actor) -> int:
    """Start sending `issue` to every confirmed subscriber of its language, once: the issue is
    marked as sending and a worker queues the messages after commit (`newsletter_issue_deliver`;
    the sweep picks it up if the broker is down). Returns the number of confirmed subscribers
    now. Raises PermissionDenied, ValidationError (already sent or being sent)."""
    if actor is not None and not actor.has_perm("outreach.send_newsletterissue"):
        raise PermissionDenied
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.sent_at is not None or issue.send_requested_at is not None:
        raise ValidationError(_("This issue was already sent."), code="already_sent")
    issue.send_requested_at = timezone.now()
    issue.save(update_fields=["send_requested_at", "updated_at"])
    audit_record(action="outreach.newsletter_issue.send", obj=issue, actor=actor)
    # A broker that is down is logged: the sweep delivers the issue later.
    work.delay_on_commit("outreach.media.newsletter_issue_deliver", issue_id=issue.pk)
    return NewsletterSubscription.objects.filter(
        language=issue.language, status=NewsletterSubscription.Status.CONFIRMED
    ).count()


def _issue_unsent(issue: NewsletterIssue) -> None:
    if issue.sent_at is not None or issue.send_requested_at is not None:
        raise ValidationError(_("This issue was already sent."), code="already_sent")


@transaction.atomic
def newsletter_issue_save(*, issue: NewsletterIssue, actor) -> NewsletterIssue:
    """Create a newsletter issue or change one not yet sent (a sent issue stays as it went
    out). Raises PermissionDenied without add/change_newsletterissue, ValidationError for a
    sent issue or invalid values."""
    creating = issue.pk is None
    if actor is not None and not actor.has_perm(
        "outreach.add_newsletterissue" if creating else "outreach.change_newsletterissue"
    ):
        raise PermissionDenied
    before = None
    if not creating:
        stored = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        _issue_unsent(stored)
        before = snapshot(stored)
    issue.full_clean()
    issue.save()
    after = snapshot(issue)
    if before is None:
        audit_record(action="outreach.newsletter_issue.create", obj=issue, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="outreach.newsletter_issue.change", obj=issue, actor=actor, before=b, after=a)
    return issue


def _preview_subscription(issue: NewsletterIssue, email: str) -> NewsletterSubscription:
    """A stand-in subscriber (never saved) for previews and test messages: its unsubscribe
    link leads nowhere, so a test message cannot unsubscribe anyone."""
    return NewsletterSubscription(email=email, language=issue.language, token=PREVIEW_TOKEN)


def newsletter_issue_render(*, issue: NewsletterIssue) -> tuple[str, str]:
    """The subject and text of `issue` exactly as subscribers receive it (unsubscribe footer
    included). Writes nothing."""
    subject, text, _html = render_email(
        template="outreach/newsletter_issue",
        context={"issue": issue, "subscription": _preview_subscription(issue, "")},
        language=issue.language,
    )
    return subject, text


@transaction.atomic
def newsletter_issue_send_test(*, issue: NewsletterIssue, actor) -> str:
    """Send `issue` to `actor` alone, as a subscriber would get it, to check it before sending
    it to the list. Returns the address it went to. Raises PermissionDenied without
    change_newsletterissue, ValidationError for a sent issue or an actor with no address."""
    if not actor.has_perm("outreach.change_newsletterissue"):
        raise PermissionDenied
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    _issue_unsent(issue)
    if not actor.email:
        raise ValidationError(_("Your account has no e-mail address."), code="no_address")
    email_queue(
        to=actor.email,
        template="outreach/newsletter_issue",
        context={"issue": issue, "subscription": _preview_subscription(issue, actor.email)},
        language=issue.language,
        related=issue,
    )
    audit_record(action="outreach.newsletter_issue.test", obj=issue, actor=actor)
    return actor.email


@transaction.atomic
def newsletter_issue_deliver(*, issue_id: int) -> int | None:
    """Queue an issue that is marked as sending to every confirmed subscriber of its language,
    each message with its own unsubscribe link and list headers. Returns the number queued, or
    None when there is nothing to do (not requested, already sent): a second delivery of the
    same task is a no-op, and the messages and `sent_at` are written in one transaction."""
    issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None or issue.send_requested_at is None or issue.sent_at is not None:
        return None
    subscribers = NewsletterSubscription.objects.filter(
        language=issue.language, status=NewsletterSubscription.Status.CONFIRMED
    ).order_by("pk")
    count = 0
    for subscription in subscribers.iterator():
        email_queue(
            to=subscription.email,
            template="outreach/newsletter_issue",
            context={"issue": issue, "subscription": subscription},
            language=issue.language,
            related=issue,
            headers=newsletter_headers(subscription),
        )
        count += 1
    issue.sent_at = timezone.now()
    issue.recipients = count
    issue.save(update_fields=["sent_at", "recipients", "updated_at"])
    audit_record(action="outreach.newsletter_issue.sent", obj=issue, actor=None, after={"recipients": count})
    return count


NEWSLETTER_SWEEP_AFTER = timedelta(minutes=5)


def newsletter_issues_sweep() -> int:
    """Deliver issues marked as sending for a while but never sent (broker down, worker lost).
    Returns the number of issues delivered."""
    stale = NewsletterIssue.objects.filter(
        sent_at__isnull=True, send_requested_at__lt=timezone.now() - NEWSLETTER_SWEEP_AFTER
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(stale) if newsletter_issue_deliver(issue_id=pk) is not None)


# --- Media contacts -----------------------------------------------------------------------------


@transaction.atomic
def media_contact_save(*, contact: MediaContact, actor) -> MediaContact:
    """Create or change a press contact named on news items. Raises PermissionDenied without
    add/change_mediacontact, ValidationError for invalid values."""
    creating = contact.pk is None
    if actor is not None and not actor.has_perm(
        "outreach.add_mediacontact" if creating else "outreach.change_mediacontact"
    ):
        raise PermissionDenied
    before = None if creating else snapshot(MediaContact.objects.select_for_update().get(pk=contact.pk))
    contact.full_clean()
    contact.save()
    after = snapshot(contact)
    if before is None:
        audit_record(action="outreach.media_contact.create", obj=contact, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="outreach.media_contact.change", obj=contact, actor=actor, before=b, after=a)
    return contact
