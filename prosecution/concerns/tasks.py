"""Thin Celery tasks of concerns: photo thumbnails, the daily overdue digest, followers' update
e-mails and the daily area alert digest."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from jcr.core.uploads import image_thumbnail
from prosecution.concerns.models import THUMBNAIL_SIZE, ConcernPhoto
from prosecution.concerns.services_desk import concern_overdue_digests_send as overdue_digests_send
from prosecution.concerns.services_follow import area_alert_digests_send as alert_digests_send
from prosecution.concerns.services_follow import concern_followers_notify as followers_notify
from prosecution.concerns.services_follow import concern_followers_sweep as followers_sweep


@shared_task(name="prosecution.concerns.concern_photo_thumbnail", acks_late=True)
def concern_photo_thumbnail(*, photo_id: int) -> str | None:
    """Make the thumbnail of one photo. Idempotent: a photo that has one is left alone."""
    photo = ConcernPhoto.objects.filter(pk=photo_id, thumbnail="").first()
    if photo is None:
        return None
    name = image_thumbnail(name=photo.image, size=THUMBNAIL_SIZE)
    ConcernPhoto.objects.filter(pk=photo_id, thumbnail="").update(thumbnail=name)
    return name


@shared_task(name="prosecution.concerns.concern_photo_thumbnails_sweep", acks_late=True)
def concern_photo_thumbnails_sweep() -> int:
    """Every few minutes: thumbnails that were never made (the broker was down) are queued."""
    due = ConcernPhoto.objects.filter(thumbnail="", created_at__lt=timezone.now() - timedelta(minutes=2))
    ids = list(due.values_list("pk", flat=True)[:500])
    for pk in ids:
        concern_photo_thumbnail.apply_async(kwargs={"photo_id": pk}, retry=False)
    return len(ids)


@shared_task(name="prosecution.concerns.concern_overdue_digests_send", acks_late=True)
def concern_overdue_digests_send() -> int:
    """Weekdays at 07:00 (beat, created by migration 0004): each owner's digest of their overdue
    concerns, the unowned ones to the CPU supervisors. Safe to run again the same day: a person
    who has today's digest gets nothing more (see services_desk.concern_overdue_digests_send)."""
    return overdue_digests_send()


@shared_task(name="prosecution.concerns.concern_followers_notify", acks_late=True)
def concern_followers_notify(*, update_id: int) -> int:
    """E-mail one public update to the concern's confirmed followers (each once)."""
    return followers_notify(update_id=update_id)


@shared_task(name="prosecution.concerns.concern_followers_sweep", acks_late=True)
def concern_followers_sweep() -> int:
    """Every ten minutes (beat, created by a migration): followers' e-mails of status updates
    that were never queued because the broker was down."""
    return followers_sweep()


@shared_task(name="prosecution.concerns.area_alert_digests_send", acks_late=True)
def area_alert_digests_send() -> int:
    """Daily at 07:30 (beat, created by a migration): the digest of new non-sensitive concerns
    of each confirmed area alert. Safe to run again the same day (one digest per alert per day)."""
    return alert_digests_send()
