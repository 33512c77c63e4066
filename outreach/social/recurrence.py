"""The rules of repeating posts: which repeat settings stand, and when each occurrence of a
series is due. Pure computations on a post's own fields (no queries, no writes), shared by the
services and the calendar's selectors."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.social.models import SocialPost

S = SocialPost.Status

REPEAT_DAYS = {SocialPost.Repeat.DAILY: 1, SocialPost.Repeat.WEEKLY: 7, SocialPost.Repeat.BIWEEKLY: 14}
REPEAT_COUNT_MAX = 500
# An occurrence in one of these states has fallen due (cancelled ends the series).
OCCURRENCE_DUE = [S.SCHEDULED, S.PUBLISHING, S.PUBLISHED, S.FAILED]


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
