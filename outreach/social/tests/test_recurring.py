"""Recurring social posts: the next occurrence is made once when the current one falls due,
already approved and scheduled (text, variants, images, approver copied); the series keeps
its rhythm, ends at its date or count, holds while publishing is paused, ends when an
occurrence is cancelled or when someone stops it; editing an occurrence needs approval again
and nobody approves their own."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry
from outreach.social import recurrence, services, services_recurring
from outreach.social.forms import PostComposeForm
from outreach.social.models import Delivery, PostMedia, SocialPost
from outreach.social.tests import factories as f
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db
S = SocialPost.Status
R = SocialPost.Repeat


@pytest.fixture
def channels(db):
    return [f.channel("development"), f.channel("mastodon", base_url="https://m.example")]


def _repeating(author, approver, channels, *, first_at=None, repeat=R.WEEKLY, image=True, **repeat_fields):
    """A repeating post composed by `author`, approved by `approver` and scheduled for `first_at`."""
    first_at = first_at or timezone.now() - timedelta(minutes=5)
    post = services.post_create(
        user=author,
        title="Office hours",
        body="Community office hours today https://da.example.gov/hours",
        channel_ids=[c.pk for c in channels],
        variants={channels[-1].pk: "Office hours today #community"} if len(channels) > 1 else None,
        publish_at=first_at,
        repeat=repeat,
        **repeat_fields,
    )
    if image:
        f.image(post)
    services.post_submit(post=post, user=author)
    services.post_approve(post=post, user=approver)
    post.refresh_from_db()
    assert post.status == S.SCHEDULED
    return post


def _second_supervisor():
    return StaffFactory(email="second.supervisor@da.example.gov", roles=[roles.OUTREACH_SUPERVISOR])


def test_due_occurrence_makes_exactly_one_scheduled_successor(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    assert services_recurring.occurrences_create() == {"created": 1, "paused": 0}
    assert services_recurring.occurrences_create() == {"created": 0, "paused": 0}  # idempotent
    assert services_recurring.occurrence_next(post_id=first.pk) is None
    successor = SocialPost.objects.get(previous=first)
    assert SocialPost.objects.count() == 2
    assert successor.status == S.SCHEDULED
    assert successor.series_id == first.pk
    assert successor.occurrence == 2
    assert successor.publish_at == recurrence.occurrence_time(first.publish_at, R.WEEKLY, 2)
    assert timezone.localtime(successor.publish_at).time() == timezone.localtime(first.publish_at).time()
    assert (successor.author, successor.approver) == (outreach_staff, outreach_supervisor)
    assert (successor.title, successor.body, successor.link) == (first.title, first.body, first.link)
    assert successor.repeat == R.WEEKLY
    deliveries = {d.channel_id: d for d in successor.deliveries.all()}
    assert set(deliveries) == {c.pk for c in channels}
    assert deliveries[channels[1].pk].text == "Office hours today #community"
    assert deliveries[channels[0].pk].text == first.body
    assert all(
        d.status == Delivery.Status.SCHEDULED and d.next_attempt_at == successor.publish_at for d in deliveries.values()
    )
    original, copy = first.media.get(), successor.media.get()
    assert copy.image.name == original.image.name
    assert copy.alt_text == original.alt_text
    assert AuditEntry.objects.filter(action="social_post.repeat", object_id=str(successor.public_id)).exists()
    # the one-to-one admits no second successor, whatever makes it
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialPost.objects.create(author=outreach_staff, title="x", body="x", previous=first)


def test_an_occurrence_not_yet_due_makes_nothing(outreach_staff, outreach_supervisor, channels):
    _repeating(outreach_staff, outreach_supervisor, channels, first_at=timezone.now() + timedelta(hours=1))
    assert services_recurring.occurrences_create()["created"] == 0
    assert SocialPost.objects.count() == 1


def test_an_unapproved_repeating_post_makes_nothing(outreach_staff, channels):
    post = services.post_create(
        user=outreach_staff,
        title="Draft",
        body="Draft",
        channel_ids=[channels[0].pk],
        publish_at=timezone.now() - timedelta(hours=1),
        repeat=R.DAILY,
    )
    SocialPost.objects.filter(pk=post.pk).update(status=S.SCHEDULED)  # even scheduled: no approver
    assert services_recurring.occurrences_create()["created"] == 0


def test_missed_slots_are_skipped_not_sent_late(outreach_staff, outreach_supervisor, channels):
    first = _repeating(
        outreach_staff,
        outreach_supervisor,
        channels,
        first_at=timezone.now() - timedelta(days=3, hours=1),
        repeat=R.DAILY,
    )
    services_recurring.occurrences_create()
    successor = SocialPost.objects.get(previous=first)
    assert successor.occurrence == 5
    assert successor.publish_at == recurrence.occurrence_time(first.publish_at, R.DAILY, 5)
    assert successor.publish_at > timezone.now()


def test_monthly_keeps_the_day_or_the_last_day_of_shorter_months(settings):
    tz = timezone.get_current_timezone()
    first = datetime(2027, 1, 31, 10, 0, tzinfo=tz)
    assert recurrence.occurrence_time(first, R.MONTHLY, 2) == datetime(2027, 2, 28, 10, 0, tzinfo=tz)
    assert recurrence.occurrence_time(first, R.MONTHLY, 3) == datetime(2027, 3, 31, 10, 0, tzinfo=tz)
    assert recurrence.occurrence_time(first, R.MONTHLY, 13) == datetime(2028, 1, 31, 10, 0, tzinfo=tz)
    assert recurrence.occurrence_time(first, R.BIWEEKLY, 2) == datetime(2027, 2, 14, 10, 0, tzinfo=tz)
    # across the change to summer time the wall-clock time stays
    march = datetime(2027, 3, 10, 9, 0, tzinfo=tz)
    assert recurrence.occurrence_time(march, R.WEEKLY, 2).hour == 9


def test_the_series_ends_at_its_count(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels, repeat_count=2)
    services_recurring.occurrences_create()
    second = SocialPost.objects.get(previous=first)
    assert second.repeat_count == 2
    SocialPost.objects.filter(pk=second.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services_recurring.occurrences_create()["created"] == 0
    second.refresh_from_db()
    assert second.repeat == ""
    assert SocialPost.objects.count() == 2
    assert AuditEntry.objects.filter(action="social_post.repeat_end", object_id=str(second.public_id)).exists()
    assert services_recurring.occurrences_create()["created"] == 0  # no longer a candidate


def test_the_series_ends_at_its_date(outreach_staff, outreach_supervisor, channels):
    first_at = timezone.now() - timedelta(minutes=5)
    until = timezone.localtime(first_at).date() + timedelta(days=6)
    first = _repeating(outreach_staff, outreach_supervisor, channels, first_at=first_at, repeat_until=until)
    assert services_recurring.occurrences_create()["created"] == 0
    first.refresh_from_db()
    assert first.repeat == ""
    until = timezone.localtime(first_at).date() + timedelta(days=7)
    other = _repeating(outreach_staff, outreach_supervisor, channels, first_at=first_at, repeat_until=until)
    assert services_recurring.occurrences_create()["created"] == 1
    assert SocialPost.objects.filter(previous=other).exists()


def test_nothing_is_made_while_publishing_is_paused(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    services.publishing_pause(user=outreach_supervisor, reason="Incident")
    assert services_recurring.occurrences_create() == {"created": 0, "paused": 1}
    assert not SocialPost.objects.filter(previous=first).exists()
    services.publishing_resume(user=outreach_supervisor)
    assert services_recurring.occurrences_create()["created"] == 1


def test_a_cancelled_occurrence_ends_the_series(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels, first_at=timezone.now() + timedelta(minutes=1))
    services.post_cancel(post=first, user=outreach_staff)
    SocialPost.objects.filter(pk=first.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services_recurring.occurrences_create()["created"] == 0
    assert SocialPost.objects.count() == 1


def test_inactive_channels_are_left_out_and_none_left_ends_the_series(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    channels[1].is_active = False
    channels[1].save()
    services_recurring.occurrences_create()
    second = SocialPost.objects.get(previous=first)
    assert list(second.deliveries.values_list("channel_id", flat=True)) == [channels[0].pk]
    channels[0].is_active = False
    channels[0].save()
    SocialPost.objects.filter(pk=second.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services_recurring.occurrences_create()["created"] == 0
    second.refresh_from_db()
    assert second.repeat == ""


def test_stop_repeating_keeps_the_scheduled_occurrence_and_makes_no_more(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    services_recurring.occurrences_create()
    second = SocialPost.objects.get(previous=first)
    assert services_recurring.post_repeat_stop(post=first, user=outreach_staff) == 1  # from any occurrence
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.repeat == ""
    assert second.status == S.SCHEDULED
    assert first.repeat == R.WEEKLY  # the history keeps its rule
    entry = AuditEntry.objects.get(action="social_post.repeat_stop")
    assert entry.object_id == str(second.public_id)
    assert entry.actor_id == outreach_staff.pk
    SocialPost.objects.filter(pk=second.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services_recurring.occurrences_create()["created"] == 0
    with pytest.raises(ValidationError):
        services_recurring.post_repeat_stop(post=second, user=outreach_staff)


def test_stop_repeating_from_the_page(client_for, outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    services_recurring.occurrences_create()
    second = SocialPost.objects.get(previous=first)
    client = client_for(outreach_staff)
    page = client.get(reverse("outreach:staff_social_detail", kwargs={"public_id": second.public_id}))
    assert b"Stop repeating" in page.content
    assert b"Occurrences" in page.content
    url = reverse("outreach:staff_social_action", kwargs={"public_id": second.public_id, "action": "stop-repeating"})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    second.refresh_from_db()
    assert second.repeat == ""
    page = client.get(reverse("outreach:staff_social_detail", kwargs={"public_id": second.public_id}))
    assert b"Stop repeating" not in page.content
    assert b"No further occurrences" in page.content


def test_stop_repeating_needs_the_change_permission(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    outsider = StaffFactory(email="outsider@da.example.gov", roles=[roles.BUREAU_CHIEF])
    with pytest.raises(PermissionDenied):
        services_recurring.post_repeat_stop(post=first, user=outsider)
    first.refresh_from_db()
    assert first.repeat == R.WEEKLY


def test_editing_an_occurrence_needs_approval_again_and_never_from_its_author(outreach_supervisor, channels):
    author = outreach_supervisor
    other = _second_supervisor()
    first = _repeating(author, other, channels)
    with pytest.raises(PermissionDenied):  # still nobody approves their own post
        services.post_approve(
            post=SocialPost.objects.create(author=author, title="t", body="b", status=S.SUBMITTED), user=author
        )
    services_recurring.occurrences_create()
    second = SocialPost.objects.get(previous=first)
    services.post_update(post=second, user=author, body="New text for this week")
    second.refresh_from_db()
    assert second.status == S.SUBMITTED
    assert second.approver is None
    assert not second.deliveries.exists()
    # an unapproved occurrence makes no successor, even once its time has passed
    SocialPost.objects.filter(pk=second.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services_recurring.occurrences_create()["created"] == 0
    with pytest.raises(PermissionDenied):
        services.post_approve(post=second, user=author)
    services.post_approve(post=second, user=other)
    second.refresh_from_db()
    assert second.status == S.SCHEDULED
    assert second.approver == other
    services_recurring.occurrences_create()
    third = SocialPost.objects.get(previous=second)
    assert third.body == "New text for this week"
    assert third.occurrence == 3
    assert third.series_id == first.pk


def test_repeat_settings_are_validated(outreach_staff, channels):
    now = timezone.localtime() + timedelta(days=1)
    base = {"title": "T", "body": "B", "channels": [channels[0].pk]}
    form = PostComposeForm({**base, "repeat": "weekly"})
    assert not form.is_valid()
    assert "publish_at" in form.errors
    when = now.strftime("%Y-%m-%dT%H:%M")
    form = PostComposeForm({**base, "repeat": "weekly", "publish_at": when, "repeat_until": now.date().isoformat()})
    assert not form.is_valid()
    assert "repeat_until" in form.errors
    form = PostComposeForm({**base, "repeat": "weekly", "publish_at": when, "repeat_count": "1"})
    assert not form.is_valid()
    assert "repeat_count" in form.errors
    form = PostComposeForm({**base, "repeat": "yearly", "publish_at": when})
    assert not form.is_valid()
    assert "repeat" in form.errors
    form = PostComposeForm({**base, "repeat": "", "repeat_count": "4", "publish_at": when})
    assert form.is_valid()
    assert form.cleaned_data["repeat_count"] is None
    with pytest.raises(ValidationError):
        services.post_create(
            user=outreach_staff,
            title="T",
            body="B",
            channel_ids=[channels[0].pk],
            publish_at=now,
            repeat=R.WEEKLY,
            repeat_until=now.date() - timedelta(days=1),
        )
    post = services.post_create(user=outreach_staff, title="T", body="B", channel_ids=[channels[0].pk], repeat=R.DAILY)
    with pytest.raises(ValidationError):
        services.post_submit(post=post, user=outreach_staff)  # a repeating post needs its first time


def test_compose_and_edit_a_repeating_post(client_for, outreach_staff, channels):
    client = client_for(outreach_staff)
    when = timezone.localtime() + timedelta(days=1)
    page = client.get(reverse("outreach:staff_social_compose"))
    assert b'name="repeat"' in page.content
    assert b'name="repeat_until"' in page.content
    response = client.post(
        reverse("outreach:staff_social_compose"),
        {
            "title": "Weekly tip",
            "body": "A safety tip",
            "channels": [channels[0].pk],
            "publish_at": when.strftime("%Y-%m-%dT%H:%M"),
            "repeat": "biweekly",
            "repeat_count": "6",
        },
    )
    assert response.status_code == 302
    post = SocialPost.objects.get()
    assert (post.repeat, post.repeat_count, post.repeat_until) == (R.BIWEEKLY, 6, None)
    edit = reverse("outreach:staff_social_edit", kwargs={"public_id": post.public_id})
    assert b'<option value="biweekly" selected>' in client.get(edit).content
    response = client.post(
        edit,
        {
            "title": "Weekly tip",
            "body": "A safety tip",
            "channels": [channels[0].pk],
            "publish_at": when.strftime("%Y-%m-%dT%H:%M"),
            "repeat": "",
            "repeat_count": "6",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.repeat, post.repeat_count) == ("", None)


def test_calendar_marks_repeating_posts_and_shows_planned_repetitions(
    client_for, outreach_staff, outreach_supervisor, channels
):
    first_at = timezone.now() + timedelta(hours=1)
    _repeating(outreach_staff, outreach_supervisor, channels[:1], first_at=first_at, repeat=R.DAILY, repeat_count=3)
    client = client_for(outreach_staff)
    start = timezone.localtime(first_at).date()
    week = client.get(reverse("outreach:staff_social_calendar"), {"start": start.isoformat()}).content.decode()
    month = client.get(
        reverse("outreach:staff_social_calendar"), {"view": "month", "start": start.isoformat()}
    ).content.decode()
    for page in (week, month):
        assert "Repeats" in page
    # the first occurrence plus two planned repetitions, the count being 3
    assert month.count("(Planned repetition)") == 2
    second_day = timezone.localtime(recurrence.occurrence_time(first_at, R.DAILY, 2))
    assert second_day.isoformat() in month


def test_calendar_queries_do_not_grow_with_repeating_posts(client_for, outreach_staff, outreach_supervisor, channels):
    client = client_for(outreach_staff)
    url = reverse("outreach:staff_social_calendar")

    def make(n):
        for _i in range(n):
            _repeating(outreach_staff, outreach_supervisor, channels, first_at=timezone.now() + timedelta(hours=1))

    make(1)
    client.get(url, {"view": "month"})
    with assert_max_queries(12) as few:
        assert client.get(url, {"view": "month"}).status_code == 200
    make(5)
    with assert_max_queries(12) as many:
        assert client.get(url, {"view": "month"}).status_code == 200
    assert len(many) == len(few)


def test_successor_media_points_at_the_same_file(outreach_staff, outreach_supervisor, channels):
    first = _repeating(outreach_staff, outreach_supervisor, channels)
    services_recurring.occurrences_create()
    assert PostMedia.objects.values("image").distinct().count() == 1
    assert PostMedia.objects.count() == 2
    successor = SocialPost.objects.get(previous=first)
    with successor.media.get().image.open("rb") as handle:
        assert handle.read() == f.png_bytes()


def test_beat_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="outreach.social.occurrences_create")
    assert task.enabled
    assert task.interval.every == 5


def test_the_post_list_marks_repeating_posts(client_for, outreach_staff, outreach_supervisor, channels):
    _repeating(outreach_staff, outreach_supervisor, channels, first_at=timezone.now() + timedelta(hours=1))
    f.post(outreach_staff, channels=channels, title="Once only")
    page = client_for(outreach_staff).get(reverse("outreach:staff_social_list")).content.decode()
    assert page.count("Repeats</span>") == 1
    assert 'title="Every week"' in page
