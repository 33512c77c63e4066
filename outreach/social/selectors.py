"""Reads of social publishing for the staff pages (each a fixed number of queries)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outreach.social.models import ChannelAccount, Delivery, PostVariant, PublishingPause, SocialPost
from outreach.social.recurrence import OCCURRENCE_DUE, occurrence_slot

D = Delivery.Status

# The kinds of content a draft post can be made from, and the event reminders among them.
SOURCE_KINDS = ("news", "podcast", "event", "event_week", "event_day")
REMINDER_KINDS = ("event_week", "event_day")
# The drafts made when a source of each kind is published (JCR_SOCIAL_AUTO_DRAFTS).
PUBLISH_DRAFTS = {"news": ("news",), "podcast": ("podcast",), "event": ("event", *REMINDER_KINDS)}


def reminder_passed(kind: str, starts_at) -> bool:
    """Whether the time of an event reminder of `kind` has passed."""
    days = 7 if kind == "event_week" else 1
    return starts_at - timedelta(days=days) <= timezone.now()


def post_list_staff(*, status: str = "") -> QuerySet[SocialPost]:
    qs = SocialPost.objects.select_related("author", "approver").prefetch_related(
        Prefetch("variants", queryset=PostVariant.objects.select_related("channel"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def post_counts() -> dict[str, int]:
    return dict(SocialPost.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def post_get_staff(*, public_id) -> SocialPost:
    return get_object_or_404(
        SocialPost.objects.select_related("author", "approver").prefetch_related(
            "media",
            Prefetch("variants", queryset=PostVariant.objects.select_related("channel")),
            Prefetch("deliveries", queryset=Delivery.objects.select_related("channel", "resolved_by")),
        ),
        public_id=public_id,
    )


def post_list_awaiting_approval() -> QuerySet[SocialPost]:
    return post_list_staff(status=SocialPost.Status.SUBMITTED).order_by("submitted_at", "id")


def delivery_list_to_check() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=D.CHECK).select_related("post", "channel").order_by("claimed_at", "id")


def delivery_list_failed() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=D.FAILED).select_related("post", "channel").order_by("-publish_at", "id")


def calendar_range(*, view: str, start: date) -> tuple[date, date]:
    if view == "month":
        first = start.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    monday = start - timedelta(days=start.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class PlannedOccurrence:
    """A later occurrence of a repeating post, not made yet (it is made when the one before
    it goes out), shown on the calendar per channel."""

    post: SocialPost
    channel: ChannelAccount
    publish_at: datetime
    number: int
    planned: bool = True
    status: str = "planned"

    def get_status_display(self) -> str:
        return str(_("Planned repetition"))


PLANNED_PER_SERIES = 62


def planned_occurrences(*, begin: datetime, end: datetime) -> list[PlannedOccurrence]:
    """The occurrences of repeating posts that would fall in [begin, end) (two queries)."""
    now = timezone.now()
    tails = (
        SocialPost.objects.exclude(repeat="")
        .filter(
            status__in=[*OCCURRENCE_DUE, SocialPost.Status.APPROVED],
            approver__isnull=False,
            publish_at__lt=end,
            next_occurrence__isnull=True,
        )
        .select_related("series")
        .prefetch_related(
            Prefetch("variants", queryset=PostVariant.objects.filter(channel__is_active=True).select_related("channel"))
        )
    )
    planned = []
    for tail in tails:
        first_at = tail.series.publish_at if tail.series and tail.series.publish_at else tail.publish_at
        after = max(now, tail.publish_at, begin - timedelta(microseconds=1))
        number = tail.occurrence
        for _i in range(PLANNED_PER_SERIES):
            slot = occurrence_slot(tail, first_at=first_at, after=after, previous=number)
            if slot is None or slot[1] >= end:
                break
            number, after = slot
            planned += [PlannedOccurrence(tail, v.channel, after, number) for v in tail.variants.all()]
    return planned


def calendar_days(*, view: str, start: date) -> list[dict]:
    """Days of the week or month (whole weeks), each with its deliveries by channel and the
    planned occurrences of repeating posts (a fixed number of queries)."""
    first, last = calendar_range(view=view, start=start)
    tz = timezone.get_current_timezone()
    begin = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    rows = list(
        Delivery.objects.filter(publish_at__gte=begin, publish_at__lt=end)
        .exclude(status=D.CANCELLED)
        .select_related("post", "channel")
        .order_by("publish_at", "channel__platform", "id")
    )
    rows += planned_occurrences(begin=begin, end=end)
    rows.sort(key=lambda d: (d.publish_at, d.channel.platform))
    by_day: dict[date, list] = {}
    for d in rows:
        by_day.setdefault(timezone.localtime(d.publish_at).date(), []).append(d)
    days = []
    day = first
    while day <= last:
        days.append(
            {"date": day, "deliveries": by_day.get(day, []), "in_month": view != "month" or day.month == start.month}
        )
        day += timedelta(days=1)
    return days


def records(*, q: str = "", platform: str = "") -> QuerySet[Delivery]:
    """The records archive: every published delivery with its final text, media, author and approver."""
    qs = (
        Delivery.objects.filter(status=D.PUBLISHED)
        .select_related("post__author", "post__approver", "channel")
        .prefetch_related("post__media")
        .order_by("-published_at", "-id")
    )
    if platform:
        qs = qs.filter(channel__platform=platform)
    if q:
        qs = qs.filter(
            Q(text__icontains=q)
            | Q(post__title__icontains=q)
            | Q(remote_id__icontains=q)
            | Q(remote_url__icontains=q)
            | Q(post__media__alt_text__icontains=q)
        ).distinct()
    return qs


def channel_list_needing_token() -> QuerySet[ChannelAccount]:
    soon = timezone.now() + timedelta(days=settings.JCR_SOCIAL_TOKEN_NOTICE_DAYS)
    return ChannelAccount.objects.filter(is_active=True, token_expires_at__lte=soon).order_by("token_expires_at")


def social_dashboard_items(*, user) -> list[dict]:
    """Dashboard lines: posts to approve, deliveries to check, failed ones, tokens expiring."""
    if not user.has_perm("outreach.view_socialpost"):
        return []
    counts = dict(
        Delivery.objects.filter(status__in=[D.CHECK, D.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    items = []
    if user.has_perm("outreach.approve_socialpost"):
        waiting = SocialPost.objects.filter(status=SocialPost.Status.SUBMITTED).exclude(author=user).count()
        if waiting:
            label = ngettext("%(n)d social post awaits approval", "%(n)d social posts await approval", waiting)
            items.append({"label": label % {"n": waiting}, "url": reverse("outreach:staff_social_approvals")})
    if counts.get(D.CHECK):
        n = counts[D.CHECK]
        label = ngettext("%(n)d social post to check on the platform", "%(n)d social posts to check on the platform", n)
        items.append({"label": label % {"n": n}, "url": reverse("outreach:staff_social_check")})
    if counts.get(D.FAILED):
        n = counts[D.FAILED]
        label = ngettext("%(n)d social post failed", "%(n)d social posts failed", n)
        items.append({"label": label % {"n": n}, "url": reverse("outreach:staff_social_check")})
    now = timezone.now()
    tokens = list(channel_list_needing_token().values_list("token_expires_at", flat=True))
    expired = sum(1 for when in tokens if when <= now)
    expiring = len(tokens) - expired
    # Whoever can replace the credentials goes straight to the channel accounts.
    url = (
        reverse("admin:outreach_channelaccount_changelist")
        if user.has_perm("outreach.change_channelaccount")
        else reverse("outreach:staff_social_list")
    )
    if expired:
        label = ngettext(
            "%(n)d social channel cannot publish: its token has expired",
            "%(n)d social channels cannot publish: their tokens have expired",
            expired,
        )
        items.append({"label": label % {"n": expired}, "url": url})
    if expiring:
        label = ngettext("%(n)d social channel needs a new token", "%(n)d social channels need a new token", expiring)
        items.append({"label": label % {"n": expiring}, "url": url})
    return items


SOURCE_LABELS = {
    "news": _("Social post"),
    "podcast": _("Social post"),
    "event": _("Social post"),
    "event_week": _("Reminder post a week before"),
    "event_day": _("Reminder post a day before"),
}


def source_actions(*, user, kind: str, obj) -> list[dict]:
    """The social post actions of a news item, podcast episode or event's staff page (one
    query): each draft kind with its post when made; reminders whose time has passed and
    have no post are left out. Empty for users who may not add social posts."""
    kinds = PUBLISH_DRAFTS.get(kind)
    if obj is None or not kinds or not user.has_perm("outreach.add_socialpost"):
        return []
    existing = {
        p.source_kind: p
        for p in SocialPost.objects.filter(source_kind__in=kinds, source_id=obj.pk).only(
            "public_id", "source_kind", "status", "title"
        )
    }
    actions = []
    for source_kind in kinds:
        post = existing.get(source_kind)
        if post is None and source_kind in REMINDER_KINDS and reminder_passed(source_kind, obj.starts_at):
            continue
        actions.append({"kind": source_kind, "label": SOURCE_LABELS[source_kind], "post": post, "pk": obj.pk})
    return actions


def pause_get_active() -> PublishingPause | None:
    return PublishingPause.objects.filter(resumed_at__isnull=True).select_related("started_by").first()


def series_post_list(post: SocialPost):
    """Every occurrence of `post`'s series, first to last."""
    root = post.series_root_id
    return SocialPost.objects.filter(Q(pk=root) | Q(series_id=root)).order_by("occurrence", "id")


def post_get_for_checks(post_id: int) -> SocialPost:
    """A post with what the publishing checks read (author, images, channel variants)."""
    return SocialPost.objects.select_related("author").prefetch_related("media", "variants__channel").get(pk=post_id)
