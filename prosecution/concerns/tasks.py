"""Thin Celery tasks of the Community Prosecution Unit."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

THUMBNAIL_SIZE = 320


@shared_task(acks_late=True)
def concern_photo_thumbnail(*, photo_id: int) -> str | None:
    """Make the thumbnail of one photo. Idempotent: a photo that has one is left alone."""
    from jcr.core.uploads import image_thumbnail
    from prosecution.models import ConcernPhoto

    photo = ConcernPhoto.objects.filter(pk=photo_id, thumbnail="").first()
    if photo is None:
        return None
    name = image_thumbnail(name=photo.image, size=THUMBNAIL_SIZE)
    ConcernPhoto.objects.filter(pk=photo_id, thumbnail="").update(thumbnail=name)
    return name


@shared_task(acks_late=True)
def concern_photo_thumbnails_sweep() -> int:
    """Every few minutes: thumbnails that were never made (the broker was down) are queued."""
    from prosecution.models import ConcernPhoto

    due = ConcernPhoto.objects.filter(thumbnail="", created_at__lt=timezone.now() - timedelta(minutes=2))
    ids = list(due.values_list("pk", flat=True)[:500])
    for pk in ids:
        concern_photo_thumbnail.apply_async(kwargs={"photo_id": pk}, retry=False)
    return len(ids)


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1500)
def concern_stats_rebuild() -> int:
    """Every 15 minutes: recompute the public dashboard's figures and the open-data files.

    A redelivered or overlapping run is harmless: each run replaces every row in one
    transaction, one run at a time. Returns the id of the new build."""
    from prosecution.transparency import concern_stats_rebuild as rebuild

    return rebuild().pk


@shared_task(acks_late=True)
def concern_overdue_digests_send() -> int:
    """Weekdays at 07:00 (beat, created by migration 0004): each owner's digest of their overdue
    concerns, the unowned ones to the CPU supervisors. Safe to run again the same day: a person
    who has today's digest gets nothing more (see services.concern_overdue_digests_send)."""
    from prosecution.services import concern_overdue_digests_send as send

    return send()


@shared_task(acks_late=True)
def followup_send_due() -> int:
    """Hourly: create and e-mail the "is it fixed?" follow-ups that are due. Safe to run twice
    or at once on two workers: the service sends each one exactly once (unique per resolution)."""
    from prosecution.services import followup_send_due as send_due

    return send_due()
