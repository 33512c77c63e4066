"""Social publishing services: draft posts made from published content (a news item, a
podcast episode, an event and its reminders), and what happens to those posts when their
source is unpublished, cancelled or moved."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record
from outreach.social.models import ChannelAccount, Delivery, SocialPost
from outreach.social.selectors import PUBLISH_DRAFTS, REMINDER_KINDS
from outreach.social.services import perm_require, post_create

S = SocialPost.Status
D = Delivery.Status

# --- Templates: drafts from published content ---------------------------------------------


def _event_when(starts_at) -> str:
    return timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")


def _source(kind: str, pk: int):
    """(title, body, link, publish_at) of a draft made from `kind` `pk`."""
    # Models by label: media and events call this package when they publish, so it does not
    # import theirs back.
    NewsItem = apps.get_model("outreach", "NewsItem")
    PodcastEpisode = apps.get_model("outreach", "PodcastEpisode")
    Event = apps.get_model("outreach", "Event")

    if kind == "news":
        item = NewsItem.objects.get(pk=pk)
        link = settings.SITE_URL + reverse("outreach:news_detail", kwargs={"slug": item.slug})
        return item.title, f"{item.title}: {item.summary}\n{link}", link, item.published_at
    if kind == "podcast":
        episode = PodcastEpisode.objects.select_related("show").get(pk=pk)
        link = settings.SITE_URL + reverse(
            "outreach:podcast_episode", kwargs={"show_slug": episode.show.slug, "slug": episode.slug}
        )
        body = _("New episode of %(show)s: %(title)s") % {"show": episode.show.title, "title": episode.title}
        return episode.title, f"{body}\n{link}", link, episode.published_at
    if kind in ("event", "event_week", "event_day"):
        event = Event.objects.get(pk=pk)
        link = settings.SITE_URL + reverse("outreach:event_detail", kwargs={"slug": event.slug})
        when = _event_when(event.starts_at)
        if kind == "event":
            body, publish_at = f"{event.title} ({when}): {event.summary}\n{link}", None
        elif kind == "event_week":
            body = _("One week to go: %(title)s, %(when)s.") % {"title": event.title, "when": when}
            body, publish_at = f"{body}\n{link}", event.starts_at - timedelta(days=7)
        else:
            body = _("Tomorrow: %(title)s, %(when)s.") % {"title": event.title, "when": when}
            body, publish_at = f"{body}\n{link}", event.starts_at - timedelta(days=1)
        return event.title, body, link, publish_at
    raise ValueError(kind)


@transaction.atomic
def post_draft_from_source(*, user, kind: str, pk: int) -> SocialPost:
    """A draft post made from a news item, a podcast episode or an event (or an event's
    reminder a week or a day before, with its time set). One draft per source: asking again
    returns it. A news item or episode published for a later time gives the draft that time.
    Raises ValidationError for a reminder whose time has passed."""
    perm_require(user, "outreach.add_socialpost")
    existing = SocialPost.objects.filter(source_kind=kind, source_id=pk).first()
    if existing is not None:
        return existing
    title, body, link, publish_at = _source(kind, pk)
    if publish_at is not None and publish_at <= timezone.now():
        if kind in REMINDER_KINDS:
            raise ValidationError(_("The time for this reminder has passed."), code="passed")
        publish_at = None
    channels = list(ChannelAccount.objects.filter(is_active=True).values_list("pk", flat=True))
    return post_create(
        user=user,
        title=title[:200],
        body=body,
        link=link,
        channel_ids=channels,
        publish_at=publish_at,
        source_kind=kind,
        source_id=pk,
    )


def drafts_for_published(*, kind: str, pk: int, user) -> list[SocialPost]:
    """The draft posts of a source that `user` has just published (PUBLISH_DRAFTS[kind]):
    none without JCR_SOCIAL_AUTO_DRAFTS or the add_socialpost permission, none twice, and no
    reminder whose time has passed."""
    if not settings.JCR_SOCIAL_AUTO_DRAFTS or user is None or not user.has_perm("outreach.add_socialpost"):
        return []
    made = []
    for source_kind in PUBLISH_DRAFTS[kind]:
        try:
            made.append(post_draft_from_source(user=user, kind=source_kind, pk=pk))
        except ValidationError:
            continue
    return made


def drafts_after_publish(*, kind: str, obj, actor) -> None:
    """Called inside the transaction that publishes `obj`: its draft posts are made once that
    transaction commits (a failure there is logged and never undoes the publication)."""
    if not settings.JCR_SOCIAL_AUTO_DRAFTS or actor is None or not actor.has_perm("outreach.add_socialpost"):
        return
    pk = obj.pk
    transaction.on_commit(lambda: drafts_for_published(kind=kind, pk=pk, user=actor), robust=True)


# --- When the source changes ----------------------------------------------------------------

EVENT_KINDS = ("event", *REMINDER_KINDS)
# Posts that have not gone out and are waiting for someone or for their time.
NOT_OUT = [S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.FAILED]


def _source_posts(kinds, pk: int, statuses):
    """Posts made from a source, in `statuses`, none of whose deliveries has gone out (or may
    have), locked."""
    out = Delivery.objects.filter(post=OuterRef("pk"), status__in=[D.PUBLISHED, D.PUBLISHING, D.CHECK])
    return list(
        SocialPost.objects.select_for_update()
        .filter(source_kind__in=kinds, source_id=pk, status__in=statuses)
        .exclude(Exists(out))
        .order_by("pk")
    )


def _back_to_draft(post: SocialPost) -> None:
    Delivery.objects.filter(post=post, status__in=[D.SCHEDULED, D.FAILED]).delete()
    post.status, post.approver, post.approved_at = S.DRAFT, None, None


def source_posts_withdraw(*, kind: str, pk: int, actor=None) -> int:
    """A news item or episode was taken off the site: its posts that have not gone out go
    back to draft (their link would not open); publishing it again needs their approval again.
    Call inside the transaction that unpublishes."""
    posts = _source_posts(PUBLISH_DRAFTS[kind], pk, [S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.FAILED])
    for post in posts:
        was = post.status
        _back_to_draft(post)
        post.save(update_fields=["status", "approver", "approved_at", "updated_at"])
        audit_record(
            action="social_post.withdraw", obj=post, actor=actor, before={"status": was}, after={"why": "unpublished"}
        )
    return len(posts)


def event_posts_cancel(*, event, actor=None) -> int:
    """An event was cancelled: its post and reminders that have not gone out are cancelled.
    Call inside the transaction that cancels the event."""
    posts = _source_posts(EVENT_KINDS, event.pk, NOT_OUT)
    for post in posts:
        withdrawn = Delivery.objects.filter(post=post, status__in=[D.SCHEDULED, D.FAILED]).update(status=D.CANCELLED)
        SocialPost.objects.filter(pk=post.pk).update(status=S.CANCELLED, repeat="", updated_at=timezone.now())
        audit_record(
            action="social_post.cancel",
            obj=post,
            actor=actor,
            after={"withdrawn": withdrawn, "why": "event cancelled"},
        )
    return len(posts)


def _replace_when(text: str, old: str, new: str) -> str:
    return text.replace(old, new) if old and old in text else text


def event_posts_follow(*, event, old_starts_at, actor=None) -> int:
    """An event moved: its posts that have not gone out get the new date in their text, the
    reminders their new time (none once passed), and any that was approved goes back to
    draft for approval again. Call inside the transaction that saves the event."""
    if old_starts_at == event.starts_at:
        return 0
    old, new = _event_when(old_starts_at), _event_when(event.starts_at)
    posts = _source_posts(EVENT_KINDS, event.pk, [S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.FAILED])
    now = timezone.now()
    for post in posts:
        before = {"status": post.status, "publish_at": post.publish_at}
        post.body = _replace_when(post.body, old, new)
        for variant in post.variants.all():
            body = _replace_when(variant.body, old, new)
            if body != variant.body:
                variant.body = body
                variant.save(update_fields=["body"])
        if post.source_kind in REMINDER_KINDS:
            days = 7 if post.source_kind == "event_week" else 1
            at = event.starts_at - timedelta(days=days)
            post.publish_at = at if at > now else None
        if post.status != S.DRAFT:
            _back_to_draft(post)
        post.save()
        audit_record(
            action="social_post.follow_event",
            obj=post,
            actor=actor,
            before=before,
            after={"status": post.status, "publish_at": post.publish_at, "starts_at": event.starts_at},
        )
    return len(posts)
