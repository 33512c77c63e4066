"""Social publishing services: repeating posts (the next occurrence of a series, stopping a
series).

A repeating post is a chain of occurrences, each a post of its own. Its approval covers the
occurrences while their text is unchanged: when an occurrence falls due, the beat task
`outreach.social.occurrences_create` makes the next one as a copy (text, link, channel variants,
images pointing at the same files, the same approver), already scheduled with its
deliveries, so a series always has exactly one upcoming occurrence. Times follow the first
occurrence's rhythm in local time (a monthly post on the 31st goes out on the last day of
shorter months); slots that passed while nothing could be made are skipped, never sent late.
Editing an occurrence sends it back for approval like any post; cancelling an occurrence
ends the series there; "stop repeating" lets the upcoming occurrence go out and makes no
more. While publishing is paused no occurrence is made: after the pause the held one goes
out and the next is planned from then, so a long pause never releases a backlog.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record
from outreach.social.models import PostMedia, PostVariant, SocialPost
from outreach.social.recurrence import OCCURRENCE_DUE, occurrence_slot
from outreach.social.selectors import pause_get_active, series_post_list
from outreach.social.services import perm_require, post_deliveries_create

S = SocialPost.Status
OCCURRENCES_LIMIT = 500


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
    return post_deliveries_create(post=successor, user=None)


def occurrences_create(*, now=None, limit: int = OCCURRENCES_LIMIT) -> dict[str, int]:
    """The beat pass: the next occurrence of every repeating post that has fallen due
    (nothing while publishing is paused)."""
    if pause_get_active() is not None:
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


@transaction.atomic
def post_repeat_stop(*, post: SocialPost, user) -> int:
    """Stop a series: the occurrence already made still goes out (cancel it to stop it too),
    none follows it. Returns how many occurrences stopped repeating (0 or 1)."""
    perm_require(user, "outreach.change_socialpost")
    tails = list(
        series_post_list(post).select_for_update(of=("self",)).exclude(repeat="").filter(next_occurrence__isnull=True)
    )
    if not tails:
        raise ValidationError(_("This post does not repeat."))
    SocialPost.objects.filter(pk__in=[t.pk for t in tails]).update(repeat="", updated_at=timezone.now())
    for tail in tails:
        audit_record(
            action="social_post.repeat_stop", obj=tail, actor=user, before={"repeat": tail.repeat}, after={"repeat": ""}
        )
    return len(tails)
