"""Thin Celery tasks of concerns: photo thumbnails and the daily overdue digest."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from jcr.core.uploads import image_thumbnail
from prosecution.concerns.models import THUMBNAIL_SIZE, ConcernPhoto
from prosecution.concerns.services_desk import concern_overdue_digests_send as overdue_digests_send


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
