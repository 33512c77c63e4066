"""Social publishing services: the publishing engine (dispatch, claim, publish once, record,
stuck rows) and the channel tokens.

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

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.accounts import roles
from jcr.core import work
from jcr.core.audit import audit_record
from jcr.core.services import email_message_queue
from outreach.social import validation
from outreach.social.models import ChannelAccount, Delivery, PublishingPause, SocialPost
from outreach.social.platforms import PlatformRejected, PlatformUnavailable, TokenExpired, client_for
from outreach.social.platforms.base import Image
from outreach.social.selectors import pause_get_active, post_get_for_checks
from outreach.social.services import perm_require

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 1800
DISPATCH_LIMIT = 2000
DELIVERY_PUBLISH = "outreach.social.delivery_publish"

S = SocialPost.Status
D = Delivery.Status


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
    if not _claim(delivery_id):
        return None
    SocialPost.objects.filter(deliveries__pk=delivery_id, status=S.SCHEDULED).update(status=S.PUBLISHING)
    delivery = Delivery.objects.select_related("post", "channel").get(pk=delivery_id)
    mine = Delivery.objects.filter(pk=delivery.pk, status=D.PUBLISHING, claimed_at=delivery.claimed_at)
    try:
        problems = [
            p
            for v, c in validation.post_checks(post_get_for_checks(delivery.post_id))
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
    if pause_get_active() is not None:
        return {"enqueued": 0, "paused": 1}
    if enqueue is None:

        def enqueue(pk):
            work.task_named(DELIVERY_PUBLISH).apply_async(kwargs={"delivery_id": pk}, retry=False)

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
    perm_require(user, "outreach.change_delivery")
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
    perm_require(user, "outreach.change_delivery")
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
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[roles.OUTREACH_STAFF, roles.OUTREACH_SUPERVISOR])
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _token_notice(channel: ChannelAccount, *, reason: str) -> int:
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
