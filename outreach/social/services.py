"""Social publishing services: the workflow (compose, submit, approve, return, schedule,
cancel), the publishing pause, channel credentials and images.

Repeating posts are in services_recurring.py, the publishing engine (dispatch, claim, publish
once, stuck rows, tokens) in services_delivery.py, drafts made from published content and
what happens to them when their source changes in services_sources.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record
from outreach.social import validation
from outreach.social.models import ChannelAccount, Delivery, PostMedia, PostVariant, PublishingPause, SocialPost
from outreach.social.recurrence import repeat_problems
from outreach.social.selectors import pause_get_active, post_get_for_checks

S = SocialPost.Status
D = Delivery.Status
EDITABLE = {S.DRAFT, S.SUBMITTED, S.APPROVED, S.SCHEDULED, S.FAILED}


# --- Workflow -----------------------------------------------------------------------------


def perm_require(user, perm: str) -> None:
    """Raise PermissionDenied unless `user` holds `perm`."""
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
    perm_require(user, "outreach.add_socialpost")
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
    perm_require(user, "outreach.change_socialpost")
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


def post_problems(post: SocialPost) -> list[str]:
    """Everything that blocks publishing `post`, channel by channel."""
    post = post_get_for_checks(post.pk)
    problems = []
    if not post.variants.all():
        problems.append(_("Choose at least one channel."))
    for variant, check in validation.post_checks(post):
        problems += [f"{variant.channel}: {p}" for p in check.problems]
    return problems


@transaction.atomic
def post_submit(*, post: SocialPost, user) -> SocialPost:
    perm_require(user, "outreach.change_socialpost")
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
    perm_require(user, "outreach.approve_socialpost")
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
        return post_deliveries_create(post=post, user=user)
    return post


@transaction.atomic
def post_return(*, post: SocialPost, user, note: str = "") -> SocialPost:
    """Send a submitted post back to its author as a draft."""
    perm_require(user, "outreach.approve_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted post can be returned."))
    post.status = S.DRAFT
    post.save(update_fields=["status", "updated_at"])
    audit_record(action="social_post.return", obj=post, actor=user, after={"note": note})
    return post


def post_deliveries_create(*, post: SocialPost, user) -> SocialPost:
    """Schedule an approved post: one delivery per channel at its time. The caller checks the
    permission and holds the transaction."""
    post = post_get_for_checks(post.pk)
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
    perm_require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status != S.APPROVED:
        raise ValidationError(_("Only an approved post can be scheduled."))
    post.publish_at = publish_at
    post.save(update_fields=["publish_at", "updated_at"])
    return post_deliveries_create(post=post, user=user)


@transaction.atomic
def post_cancel(*, post: SocialPost, user) -> SocialPost:
    """Cancel what has not gone out yet. Deliveries already published stay in the record."""
    perm_require(user, "outreach.change_socialpost")
    post = SocialPost.objects.select_for_update().get(pk=post.pk)
    if post.status in (S.PUBLISHED, S.CANCELLED):
        raise ValidationError(_("This post can no longer be cancelled."))
    withdrawn = Delivery.objects.filter(post=post, status__in=[D.SCHEDULED, D.FAILED]).update(status=D.CANCELLED)
    post.status = S.CANCELLED
    post.save(update_fields=["status", "updated_at"])
    audit_record(action="social_post.cancel", obj=post, actor=user, after={"withdrawn": withdrawn})
    return post


# --- Pause -------------------------------------------------------------------------------


@transaction.atomic
def publishing_pause(*, user, reason: str) -> PublishingPause:
    perm_require(user, "outreach.pause_publishing")
    if not reason.strip():
        raise ValidationError(_("Say why publishing is paused."))
    list(PublishingPause.objects.select_for_update().filter(resumed_at__isnull=True))
    current = pause_get_active()
    if current is not None:
        return current
    pause = PublishingPause.objects.create(started_by=user, reason=reason.strip())
    audit_record(action="social_publishing.pause", obj=pause, actor=user, after={"reason": reason})
    return pause


@transaction.atomic
def publishing_resume(*, user, note: str = "") -> PublishingPause | None:
    perm_require(user, "outreach.pause_publishing")
    pause = PublishingPause.objects.select_for_update().filter(resumed_at__isnull=True).first()
    if pause is None:
        return None
    pause.resumed_at, pause.resumed_by, pause.resume_note = timezone.now(), user, note
    pause.save(update_fields=["resumed_at", "resumed_by", "resume_note"])
    audit_record(action="social_publishing.resume", obj=pause, actor=user, after={"note": note})
    return pause


# --- Channels and images --------------------------------------------------------------------


@transaction.atomic
def channel_credentials_set(*, channel: ChannelAccount, user, credentials: dict, expires_at=None) -> None:
    perm_require(user, "outreach.change_channelaccount")
    channel.credentials_set(credentials)
    channel.token_expires_at = expires_at
    channel.token_notice_sent_at = None
    channel.save(update_fields=["credentials_encrypted", "token_expires_at", "token_notice_sent_at", "updated_at"])
    audit_record(action="social_channel.credentials", obj=channel, actor=user, after={"keys": sorted(credentials)})


@transaction.atomic
def post_media_add(*, post: SocialPost, user, image, alt_text: str) -> PostMedia:
    perm_require(user, "outreach.change_socialpost")
    media = PostMedia.objects.create(post=post, image=image, alt_text=alt_text, order=post.media.count())
    audit_record(action="social_post.media_add", obj=post, actor=user, after={"alt_text": alt_text})
    return media
