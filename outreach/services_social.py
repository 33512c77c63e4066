"""Social publishing services: the workflow (compose, submit, approve, schedule, cancel,
pause) and the publishing engine (dispatch, claim, publish once, record, stuck rows).

Exactly once per channel. Each (post, channel) is a `Delivery` row. The minute dispatcher
enqueues rows that are due; a worker claims a row with one conditional UPDATE (scheduled and
due, and no active pause -> publishing, claimed_at, attempts + 1) and only then calls the
platform, once. A redelivered message finds the row no longer scheduled and does nothing.
Transient errors put the row back to scheduled with a later `next_attempt_at` (capped
exponential backoff with jitter, at least the platform's Retry-After); the dispatcher picks
it up again, so no message waits on the broker with a long ETA.

The stuck-row choice: a row left in "publishing" longer than JCR_SOCIAL_STUCK_MINUTES means
a worker died during the platform call, and we cannot know whether the post went out. It is
never re-sent automatically (a duplicate public post is worse than a late one): it goes to
the "check on the platform" queue, where a person marks it published (with its address) or
sends it again.
"""

from __future__ import annotations

import calendar
import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record
from outreach.models_social import (
    ChannelAccount,
    Delivery,
    PostMedia,
    PostVariant,
    PublishingPause,
    SocialPost,
)
from outreach.social import validation

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 1800
DISPATCH_LIMIT = 2000

S = SocialPost.Status
D = Delivery.Status
EDITABLE = {S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.FAILED}


# --- Workflow -----------------------------------------------------------------------------


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _variants_set(post: SocialPost, *, channel_ids, variants: dict | None) -> None:
    variants = variants or {}
    channel_ids = {int(c) for c in channel_ids}
    PostVariant.objects.filter(post=post).exclude(channel_id__in=channel_ids).delete()
    existing = {v.channel_id: v for v in PostVariant.objects.filter(post=post)}
    for channel_id in channel_ids:
        body = (variants.get(channel_id) or variants.get(str(channel_id)) or "").strip()
        variant = existing.get(channel_id)
        if variant is None:
            PostVariant.objects.create(post=post, channel_id=channel_id, body=body)
        elif variant.body != body:
            variant.body = body
            variant.save(update_fields=["body"])


@transaction.atomic
def post_create(
    *,
    user,
    title: str,
    body: str,
    channel_ids,
    variants: dict | None = None,
    link: str = "",
    video_url: str = "",
    video_captions: bool = False,
    publish_at=None,
    source_kind: str = "",
    source_id: int | None = None,
    repeat: str = "",
    repeat_until=None,
    repeat_count: int | None = None,
) -> SocialPost:
    _require(user, "outreach.add_socialpost")
    post = SocialPost(
        title=title,
        body=body,
        link=link,
        video_url=video_url,
        video_captions=video_captions,
        publish_at=publish_at,
        author=user,
        source_kind=source_kind,
        source_id=source_id,
        repeat=repeat or "",
        repeat_until=repeat_until if repeat else None,
        repeat_count=repeat_count if repeat else None,
    )
    if problems := repeat_problems(post):
        raise ValidationError(problems)
    post.save()
    _variants_set(post, channel_ids=channel_ids, variants=variants)
    audit_record(action="social_post.create", obj=post, actor=user, after={"title": title})
    return post


@transaction.atomic
def post_update(*, post: SocialPost, user, channel_ids=None, variants=None, **fields) -> SocialPost:
    """Edit a post. Editing an approved or scheduled post sends it back for approval (its
    deliveries that have not started are withdrawn)."""
    _require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status not in EDITABLE:
        raise ValidationError(_("This post can no longer be edited."))
    before = {k: getattr(post, k) for k in fields}
    for key, value in fields.items():
        setattr(post, key, value)
    if not post.repeat:
        post.repeat_until, post.repeat_count = None, None
    if problems := repeat_problems(post):
        raise ValidationError(problems)
    if channel_ids is not None:
        _variants_set(post, channel_ids=channel_ids, variants=variants)
    if post.status in (S.APPROVED, S.SCHEDULED, S.FAILED):
        Delivery.objects.filter(post=post, status__in=[D.SCHEDULED, D.FAILED]).delete()
        post.status = S.SUBMITTED
        post.approver = None
        post.approved_at = None
        post.submitted_at = timezone.now()
    post.save()
    audit_record(action="social_post.update", obj=post, actor=user, before=before, after=fields)
    return post


def _post_for_checks(post_id: int) -> SocialPost:
    return SocialPost.objects.select_related("author").prefetch_related("media", "variants__channel").get(pk=post_id)


def post_problems(post: SocialPost) -> list[str]:
    """Everything that blocks publishing `post`, channel by channel."""
    post = _post_for_checks(post.pk)
    problems = []
    if not post.variants.all():
        problems.append(_("Choose at least one channel."))
    for variant, check in validation.post_checks(post):
        problems += [f"{variant.channel}: {p}" for p in check.problems]
    return problems


@transaction.atomic
def post_submit(*, post: SocialPost, user) -> SocialPost:
    _require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    problems = post_problems(post) + repeat_problems(post, need_time=True)
    if problems:
        raise ValidationError(problems)
    post.status, post.submitted_at = S.SUBMITTED, timezone.now()
    post.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(action="social_post.submit", obj=post, actor=user)
    return post


@transaction.atomic
def post_approve(*, post: SocialPost, user, publish_at=None) -> SocialPost:
    """An Outreach Supervisor approves a submitted post; nobody approves their own post.
    With `publish_at` (or the post's own) it is scheduled at once."""
    _require(user, "outreach.approve_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.author_id == user.pk:
        raise PermissionDenied(_("Nobody approves their own post."))
    if post.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted post can be approved."))
    problems = post_problems(post)
    if problems:
        raise ValidationError(problems)
    post.status, post.approver, post.approved_at = S.APPROVED, user, timezone.now()
    if publish_at is not None:
        post.publish_at = publish_at
    post.save(update_fields=["status", "approver", "approved_at", "publish_at", "updated_at"])
    audit_record(action="social_post.approve", obj=post, actor=user)
    if post.publish_at is not None:
        return _schedule(post=post, user=user)
    return post


@transaction.atomic
def post_return(*, post: SocialPost, user, note: str = "") -> SocialPost:
    """Send a submitted post back to its author as a draft."""
    _require(user, "outreach.approve_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted post can be returned."))
    post.status = S.DRAFT
    post.save(update_fields=["status", "updated_at"])
    audit_record(action="social_post.return", obj=post, actor=user, after={"note": note})
    return post


def _schedule(*, post: SocialPost, user) -> SocialPost:
    post = _post_for_checks(post.pk)
    rows = [
        Delivery(
            post=post,
            channel=v.channel,
            text=v.body or post.body,
            publish_at=post.publish_at,
            next_attempt_at=post.publish_at,
        )
        for v in post.variants.all()
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    SocialPost.objects.filter(pk=post.pk).update(status=S.SCHEDULED, updated_at=timezone.now())
    post.status = S.SCHEDULED
    audit_record(action="social_post.schedule", obj=post, actor=user, after={"publish_at": post.publish_at})
    return post


@transaction.atomic
def post_schedule(*, post: SocialPost, user, publish_at) -> SocialPost:
    _require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status != S.APPROVED:
        raise ValidationError(_("Only an approved post can be scheduled."))
    post.publish_at = publish_at
    post.save(update_fields=["publish_at", "updated_at"])
    return _schedule(post=post, user=user)


@transaction.atomic
def post_cancel(*, post: SocialPost, user) -> SocialPost:
    """Cancel what has not gone out yet. Deliveries already published stay in the record."""
    _require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status in (S.PUBLISHED, S.CANCELLED):
        raise ValidationError(_("This post can no longer be cancelled."))
    withdrawn = Delivery.objects.filter(post=post, status__in=[D.SCHEDULED, D.FAILED]).update(status=D.CANCELLED)
    post.status = S.CANCELLED
    post.save(update_fields=["status", "updated_at"])
    audit_record(action="social_post.cancel", obj=post, actor=user, after={"withdrawn": withdrawn})
    return post


# --- Recurring posts ----------------------------------------------------------------------
#
# A repeating post is a chain of occurrences, each a post of its own. Its approval covers the
# occurrences while their text is unchanged: when an occurrence falls due, the beat task
# `social_occurrences_create` makes the next one as a copy (text, link, channel variants,
# images pointing at the same files, the same approver), already scheduled with its
# deliveries, so a series always has exactly one upcoming occurrence. Times follow the first
# occurrence's rhythm in local time (a monthly post on the 31st goes out on the last day of
# shorter months); slots that passed while nothing could be made are skipped, never sent late.
# Editing an occurrence sends it back for approval like any post; cancelling an occurrence
# ends the series there; "stop repeating" lets the upcoming occurrence go out and makes no
# more. While publishing is paused no occurrence is made: after the pause the held one goes
# out and the next is planned from then, so a long pause never releases a backlog.

REPEAT_DAYS = {SocialPost.Repeat.DAILY: 1, SocialPost.Repeat.WEEKLY: 7, SocialPost.Repeat.BIWEEKLY: 14}
REPEAT_COUNT_MAX = 500
# An occurrence in one of these states has fallen due (cancelled ends the series).
OCCURRENCE_DUE = [S.SCHEDULED, S.PUBLISHING, S.PUBLISHED, S.FAILED]
OCCURRENCES_LIMIT = 500


def repeat_problems(post: SocialPost, *, need_time: bool = False) -> list[str]:
    """Why the repeat settings of `post` cannot stand (empty when they can)."""
    if not post.repeat:
        return []
    problems = []
    if post.repeat not in SocialPost.Repeat.values:
        problems.append(_("Choose how often the post repeats."))
    if post.publish_at is None:
        if need_time:
            problems.append(_("A repeating post needs the date and time of its first publication."))
    elif post.repeat_until is not None and post.repeat_until <= timezone.localtime(post.publish_at).date():
        problems.append(_("The last day of the repetition must be after the first publication."))
    if post.repeat_count is not None and not 2 <= post.repeat_count <= REPEAT_COUNT_MAX:
        problems.append(_("The number of occurrences must be between 2 and %(max)d.") % {"max": REPEAT_COUNT_MAX})
    return problems


def occurrence_time(first_at: datetime, repeat: str, number: int) -> datetime:
    """When occurrence `number` (1 is the first) of a series starting at `first_at` is due:
    the same local wall-clock time, `number - 1` steps later."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(first_at, tz).replace(tzinfo=None)
    steps = number - 1
    if repeat == SocialPost.Repeat.MONTHLY:
        index = local.month - 1 + steps
        year, month = local.year + index // 12, index % 12 + 1
        local = local.replace(year=year, month=month, day=min(local.day, calendar.monthrange(year, month)[1]))
    else:
        local = local + timedelta(days=REPEAT_DAYS[repeat] * steps)
    return timezone.make_aware(local, tz)


def _repeat_ended(post: SocialPost, number: int, at: datetime) -> bool:
    if post.repeat_count is not None and number > post.repeat_count:
        return True
    return post.repeat_until is not None and timezone.localtime(at).date() > post.repeat_until


def occurrence_slot(
    post: SocialPost, *, first_at: datetime, after: datetime, previous: int | None = None
) -> tuple[int, datetime] | None:
    """(number, time) of the occurrence of `post`'s series that follows occurrence `previous`
    (default: `post`'s own) and is later than `after`, or None when the series ends first."""
    number = (previous or post.occurrence) + 1
    at = occurrence_time(first_at, post.repeat, number)
    while at <= after:
        number += 1
        if number > 100_000:  # a first occurrence centuries ago: nothing sensible follows
            return None
        at = occurrence_time(first_at, post.repeat, number)
    if _repeat_ended(post, number, at):
        return None
    return number, at


def _repeat_end(post: SocialPost, *, why: str) -> None:
    SocialPost.objects.filter(pk=post.pk).update(repeat="", updated_at=timezone.now())
    audit_record(action="social_post.repeat_end", obj=post, after={"why": why, "occurrence": post.occurrence})


@transaction.atomic
def occurrence_next(*, post_id: int, now=None) -> SocialPost | None:
    """Make the occurrence after post `post_id` if it has fallen due and has none yet.
    Idempotent: the one-to-one `previous` admits one successor, and the row is locked."""
    now = now or timezone.now()
    post = SocialPost.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=post_id).first()
    if (
        post is None
        or not post.repeat
        or post.status not in OCCURRENCE_DUE
        or post.approver_id is None
        or post.publish_at is None
        or post.publish_at > now
        or SocialPost.objects.filter(previous=post).exists()
    ):
        return None
    first_at = post.publish_at
    if post.series_id:
        first_at = SocialPost.objects.filter(pk=post.series_id).values_list("publish_at", flat=True).first() or first_at
    slot = occurrence_slot(post, first_at=first_at, after=max(now, post.publish_at))
    if slot is None:
        _repeat_end(post, why="last occurrence")
        return None
    variants = list(post.variants.filter(channel__is_active=True))
    if not variants:
        _repeat_end(post, why="no active channel")
        return None
    number, at = slot
    successor = SocialPost.objects.create(
        title=post.title,
        body=post.body,
        link=post.link,
        video_url=post.video_url,
        video_captions=post.video_captions,
        status=S.APPROVED,
        author_id=post.author_id,
        approver_id=post.approver_id,
        submitted_at=post.submitted_at,
        approved_at=post.approved_at,
        publish_at=at,
        repeat=post.repeat,
        repeat_until=post.repeat_until,
        repeat_count=post.repeat_count,
        occurrence=number,
        previous=post,
        series_id=post.series_id or post.pk,
    )
    PostVariant.objects.bulk_create(
        [PostVariant(post=successor, channel_id=v.channel_id, body=v.body) for v in variants]
    )
    PostMedia.objects.bulk_create(
        [PostMedia(post=successor, image=m.image.name, alt_text=m.alt_text, order=m.order) for m in post.media.all()]
    )
    audit_record(
        action="social_post.repeat",
        obj=successor,
        after={"previous": str(post.public_id), "occurrence": number, "publish_at": at},
    )
    return _schedule(post=successor, user=None)


def occurrences_create(*, now=None, limit: int = OCCURRENCES_LIMIT) -> dict[str, int]:
    """The beat pass: the next occurrence of every repeating post that has fallen due
    (nothing while publishing is paused)."""
    if pause_active() is not None:
        return {"created": 0, "paused": 1}
    now = now or timezone.now()
    ids = list(
        SocialPost.objects.exclude(repeat="")
        .filter(
            publish_at__lte=now,
            status__in=OCCURRENCE_DUE,
            approver__isnull=False,
            next_occurrence__isnull=True,
        )
        .order_by("publish_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    created = 0
    for pk in ids:
        if occurrence_next(post_id=pk, now=now) is not None:
            created += 1
    return {"created": created, "paused": 0}


def series_members(post: SocialPost):
    """Every occurrence of `post`'s series, first to last."""
    root = post.series_root_id
    return SocialPost.objects.filter(Q(pk=root) | Q(series_id=root)).order_by("occurrence", "id")


@transaction.atomic
def post_repeat_stop(*, post: SocialPost, user) -> int:
    """Stop a series: the occurrence already made still goes out (cancel it to stop it too),
    none follows it. Returns how many occurrences stopped repeating (0 or 1)."""
    _require(user, "outreach.change_socialpost")
    tails = list(
        series_members(post).select_for_update(of=("self",)).exclude(repeat="").filter(next_occurrence__isnull=True)
    )
    if not tails:
        raise ValidationError(_("This post does not repeat."))
    SocialPost.objects.filter(pk__in=[t.pk for t in tails]).update(repeat="", updated_at=timezone.now())
    for tail in tails:
        audit_record(
            action="social_post.repeat_stop", obj=tail, actor=user, before={"repeat": tail.repeat}, after={"repeat": ""}
        )
    return len(tails)


def pause_active() -> PublishingPause | None:
    return PublishingPause.objects.filter(resumed_at__isnull=True).select_related("started_by").first()


@transaction.atomic
def publishing_pause(*, user, reason: str) -> PublishingPause:
    _require(user, "outreach.pause_publishing")
    if not reason.strip():
        raise ValidationError(_("Say why publishing is paused."))
    list(PublishingPause.objects.select_for_update().filter(resumed_at__isnull=True))
    current = pause_active()
    if current is not None:
        return current
    pause = PublishingPause.objects.create(started_by=user, reason=reason.strip())
    audit_record(action="social_publishing.pause", obj=pause, actor=user, after={"reason": reason})
    return pause


@transaction.atomic
def publishing_resume(*, user, note: str = "") -> PublishingPause | None:
    _require(user, "outreach.pause_publishing")
    pause = PublishingPause.objects.select_for_update().filter(resumed_at__isnull=True).first()
    if pause is None:
        return None
    pause.resumed_at, pause.resumed_by, pause.resume_note = timezone.now(), user, note
    pause.save(update_fields=["resumed_at", "resumed_by", "resume_note"])
    audit_record(action="social_publishing.resume", obj=pause, actor=user, after={"note": note})
    return pause


# --- The engine ---------------------------------------------------------------------------


def backoff_seconds(attempts: int, *, retry_after: float | None = None, rng=random) -> float:
    """Capped exponential backoff with full jitter in its upper half, never shorter than the
    platform's Retry-After."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    delay = ceiling / 2 + rng.uniform(0, ceiling / 2)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def _post_status_sync(post_id: int) -> None:
    statuses = set(Delivery.objects.filter(post_id=post_id).values_list("status", flat=True))
    statuses.discard(D.CANCELLED)
    if not statuses:
        return
    if statuses == {D.PUBLISHED}:
        new = S.PUBLISHED
    elif D.PUBLISHING in statuses:
        new = S.PUBLISHING
    elif D.SCHEDULED in statuses:
        new = S.SCHEDULED
    else:
        new = S.FAILED
    SocialPost.objects.filter(pk=post_id).exclude(status__in=[new, S.CANCELLED]).update(
        status=new, updated_at=timezone.now()
    )


def _images(post: SocialPost):
    from outreach.social.platforms.base import Image

    images = []
    for m in post.media.all():
        with m.image.open("rb") as handle:
            data = handle.read()
        name = m.image.name.rsplit("/", 1)[-1]
        content_type = "image/png" if name.lower().endswith(".png") else "image/jpeg"
        url = m.image.url
        if url.startswith("/"):
            url = settings.SITE_URL + url
        images.append(Image(name=name, data=data, alt=m.alt_text, url=url, content_type=content_type))
    return images


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    paused = PublishingPause.objects.filter(resumed_at__isnull=True)
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=D.SCHEDULED, next_attempt_at__lte=now)
        .exclude(Exists(paused))
        .update(status=D.PUBLISHING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def delivery_publish(*, delivery_id: int, client_factory=None) -> str | None:
    """Claim delivery `delivery_id`, call its platform once and record the outcome. Returns
    the new status, or None when the row was not ours (published, cancelled, paused, not due,
    or in flight elsewhere)."""
    from outreach.social.platforms import PlatformRejected, PlatformUnavailable, TokenExpired, client_for

    if not _claim(delivery_id):
        return None
    SocialPost.objects.filter(deliveries__pk=delivery_id, status=S.SCHEDULED).update(status=S.PUBLISHING)
    delivery = Delivery.objects.select_related("post", "channel").get(pk=delivery_id)
    mine = Delivery.objects.filter(pk=delivery.pk, status=D.PUBLISHING, claimed_at=delivery.claimed_at)
    try:
        problems = [
            p
            for v, c in validation.post_checks(_post_for_checks(delivery.post_id))
            if v.channel_id == delivery.channel_id
            for p in c.problems
        ]
        if problems:
            raise PlatformRejected("; ".join(problems))
        client = (client_factory or client_for)(delivery.channel)
        result = client.publish(
            text=delivery.text, images=_images(delivery.post), post=delivery.post, delivery=delivery
        )
    except PlatformUnavailable as exc:
        if delivery.attempts >= settings.JCR_SOCIAL_MAX_ATTEMPTS:
            mine.update(status=D.FAILED, error=str(exc)[:2000])
            status = D.FAILED
        else:
            later = timezone.now() + timedelta(seconds=backoff_seconds(delivery.attempts, retry_after=exc.retry_after))
            mine.update(status=D.SCHEDULED, next_attempt_at=later, error=str(exc)[:2000])
            status = D.SCHEDULED
    except PlatformRejected as exc:
        with transaction.atomic():
            mine.update(status=D.FAILED, error=str(exc)[:2000])
            if isinstance(exc, TokenExpired):
                channel_token_expired(channel=delivery.channel, message=str(exc))
            audit_record(action="social_delivery.fail", obj=delivery, after={"error": str(exc)[:500]})
        status = D.FAILED
    except Exception as exc:  # unknown: we cannot tell whether it went out, so a person checks
        log.exception("social delivery %s: unexpected error", delivery_id)
        mine.update(status=D.CHECK, error=f"{type(exc).__name__}: {exc}"[:2000])
        status = D.CHECK
    else:
        with transaction.atomic():
            mine.update(
                status=D.PUBLISHED,
                remote_id=result.remote_id[:300],
                remote_url=result.url[:500],
                published_at=timezone.now(),
                error="",
            )
            audit_record(
                action="social_delivery.publish", obj=delivery, after={"remote_id": result.remote_id, "url": result.url}
            )
        status = D.PUBLISHED
    _post_status_sync(delivery.post_id)
    return status


def deliveries_dispatch(*, enqueue=None, limit: int = DISPATCH_LIMIT) -> dict[str, int]:
    """The minute pass: enqueue every scheduled delivery that is due (nothing while paused)."""
    if pause_active() is not None:
        return {"enqueued": 0, "paused": 1}
    if enqueue is None:
        from outreach.tasks_social import social_delivery_publish

        def enqueue(pk):
            social_delivery_publish.apply_async(kwargs={"delivery_id": pk}, retry=False)

    ids = list(
        Delivery.objects.filter(status=D.SCHEDULED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        try:
            enqueue(pk)
            sent += 1
        except Exception:  # broker down: the next pass tries again
            log.warning("broker unavailable: delivery %s waits for the next pass", pk, exc_info=True)
            break
    return {"enqueued": sent, "paused": 0}


def deliveries_sweep_stuck(*, minutes: int | None = None) -> int:
    """Rows in publishing for too long go to the "check on the platform" queue."""
    minutes = minutes if minutes is not None else settings.JCR_SOCIAL_STUCK_MINUTES
    limit = timezone.now() - timedelta(minutes=minutes)
    ids = list(Delivery.objects.filter(status=D.PUBLISHING, claimed_at__lt=limit).values_list("pk", "post_id"))
    if not ids:
        return 0
    flagged = Delivery.objects.filter(
        pk__in=[i for i, _post_id in ids], status=D.PUBLISHING, claimed_at__lt=limit
    ).update(
        status=D.CHECK,
        error=_("The worker stopped during the platform call: check the platform for the post."),
    )
    for post_id in {p for _pk, p in ids}:
        _post_status_sync(post_id)
    return flagged


@transaction.atomic
def delivery_mark_published(*, delivery: Delivery, user, url: str, remote_id: str = "") -> Delivery:
    """A person found the post on the platform: record its address."""
    _require(user, "outreach.change_delivery")
    done = Delivery.objects.filter(pk=delivery.pk, status__in=[D.CHECK, D.FAILED]).update(
        status=D.PUBLISHED,
        remote_url=url[:500],
        remote_id=(remote_id or url)[:300],
        published_at=timezone.now(),
        resolved_by=user,
    )
    if not done:
        raise ValidationError(_("This delivery is not waiting for a check."))
    audit_record(action="social_delivery.mark_published", obj=delivery, actor=user, after={"url": url})
    _post_status_sync(delivery.post_id)
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def deliveries_retry(*, user, ids) -> int:
    """Send failed or checked deliveries again (a person decided it did not go out)."""
    _require(user, "outreach.change_delivery")
    ids = list(ids)
    rows = list(
        Delivery.objects.filter(pk__in=ids, status__in=[D.FAILED, D.CHECK])
        .exclude(post__status=S.CANCELLED)
        .values_list("pk", "post_id")
    )
    now = timezone.now()
    count = Delivery.objects.filter(pk__in=[pk for pk, _post_id in rows]).update(
        status=D.SCHEDULED, next_attempt_at=now, attempts=0, claimed_at=None, resolved_by=user
    )
    for pk, _post in rows:
        audit_record(action="social_delivery.retry", object_type="outreach.delivery", object_id=str(pk), actor=user)
    for post_id in {p for _pk, p in rows}:
        _post_status_sync(post_id)
    return count


# --- Tokens -------------------------------------------------------------------------------


def _outreach_staff_emails() -> list[str]:
    from django.contrib.auth import get_user_model

    from jcr.accounts import roles

    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[roles.OUTREACH_STAFF, roles.OUTREACH_SUPERVISOR])
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _token_notice(channel: ChannelAccount, *, reason: str) -> int:
    from jcr.core.services import email_message_queue

    subject = _("Social channel needs a new token: %(channel)s") % {"channel": channel}
    body = _(
        "The channel %(channel)s cannot keep publishing: %(reason)s\n\n"
        "Reconnect the account and store its new token in the channel settings."
    ) % {"channel": channel, "reason": reason}
    emails = _outreach_staff_emails()
    for email in emails:
        email_message_queue(to=email, subject=subject, body_text=body, template="social_token", related=channel)
    ChannelAccount.objects.filter(pk=channel.pk).update(token_notice_sent_at=timezone.now())
    return len(emails)


def channel_token_expired(*, channel: ChannelAccount, message: str) -> None:
    """A 401: the token is expired or revoked. Record it and tell outreach staff once."""
    now = timezone.now()
    ChannelAccount.objects.filter(pk=channel.pk).filter(
        Q(token_expires_at__isnull=True) | Q(token_expires_at__gt=now)
    ).update(token_expires_at=now)
    channel.refresh_from_db()
    if channel.token_notice_sent_at is None or channel.token_notice_sent_at < now - timedelta(days=1):
        _token_notice(channel, reason=message)


@transaction.atomic
def tokens_check() -> int:
    """Tell outreach staff about tokens expired or expiring within JCR_SOCIAL_TOKEN_NOTICE_DAYS
    (once per channel and token)."""
    now = timezone.now()
    soon = now + timedelta(days=settings.JCR_SOCIAL_TOKEN_NOTICE_DAYS)
    channels = ChannelAccount.objects.filter(is_active=True, token_expires_at__lte=soon).filter(
        Q(token_notice_sent_at__isnull=True) | Q(token_notice_sent_at__lt=now - timedelta(days=7))
    )
    sent = 0
    for channel in channels:
        when = timezone.localtime(channel.token_expires_at).strftime("%Y-%m-%d %H:%M")
        _token_notice(channel, reason=_("its token expires on %(when)s.") % {"when": when})
        sent += 1
    return sent


@transaction.atomic
def channel_credentials_set(*, channel: ChannelAccount, user, credentials: dict, expires_at=None) -> None:
    _require(user, "outreach.change_channelaccount")
    channel.credentials_set(credentials)
    channel.token_expires_at = expires_at
    channel.token_notice_sent_at = None
    channel.save(update_fields=["credentials_encrypted", "token_expires_at", "token_notice_sent_at", "updated_at"])
    audit_record(action="social_channel.credentials", obj=channel, actor=user, after={"keys": sorted(credentials)})


@transaction.atomic
def post_media_add(*, post: SocialPost, user, image, alt_text: str) -> PostMedia:
    _require(user, "outreach.change_socialpost")
    media = PostMedia.objects.create(post=post, image=image, alt_text=alt_text, order=post.media.count())
    audit_record(action="social_post.media_add", obj=post, actor=user, after={"alt_text": alt_text})
    return media


# --- Templates: drafts from published content ---------------------------------------------

SOURCE_KINDS = ("news", "podcast", "event", "event_week", "event_day")


def _event_when(starts_at) -> str:
    return timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")


def _source(kind: str, pk: int):
    """(title, body, link, publish_at) of a draft made from `kind` `pk`."""
    from django.urls import reverse

    from outreach.models import Event
    from outreach.models_media import NewsItem, PodcastEpisode

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


REMINDER_KINDS = ("event_week", "event_day")
# The drafts made when a source of each kind is published (JCR_SOCIAL_AUTO_DRAFTS).
PUBLISH_DRAFTS = {"news": ("news",), "podcast": ("podcast",), "event": ("event", *REMINDER_KINDS)}


def reminder_passed(kind: str, starts_at) -> bool:
    """Whether the time of an event reminder of `kind` has passed."""
    days = 7 if kind == "event_week" else 1
    return starts_at - timedelta(days=days) <= timezone.now()


@transaction.atomic
def post_draft_from_source(*, user, kind: str, pk: int) -> SocialPost:
    """A draft post made from a news item, a podcast episode or an event (or an event's
    reminder a week or a day before, with its time set). One draft per source: asking again
    returns it. A news item or episode published for a later time gives the draft that time.
    Raises ValidationError for a reminder whose time has passed."""
    _require(user, "outreach.add_socialpost")
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
