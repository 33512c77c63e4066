"""The publishing engine: exactly once per channel (redelivery, two workers racing on
PostgreSQL), transient errors back off honouring Retry-After, permanent errors fail at once,
pause holds everything, stuck rows go to a person, bulk retry."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from jcr.core.models import AuditEntry, OutboundEmail
from outreach.social import services, services_delivery
from outreach.social.models import ChannelAccount, Delivery, DevelopmentOutboxEntry, SocialPost
from outreach.social.platforms import PlatformRejected, PlatformUnavailable, PublishResult, TokenExpired
from outreach.social.tests import factories as f

D = Delivery.Status


class FakeClient:
    """Counts calls; behaves as told."""

    calls: list = []

    def __init__(self, behaviour=None):
        self.behaviour = behaviour

    def __call__(self, channel):
        return self

    def publish(self, *, text, images, post, delivery=None):
        FakeClient.calls.append(delivery.pk)
        if self.behaviour is not None:
            return self.behaviour(delivery)
        return PublishResult(remote_id=f"r-{delivery.pk}", url=f"https://social.example/p/{delivery.pk}")


@pytest.fixture(autouse=True)
def _reset_calls():
    FakeClient.calls = []


@pytest.fixture
def row(db, outreach_staff, outreach_supervisor):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("mastodon")])
    return post.deliveries.get()


@pytest.mark.django_db
def test_publish_records_remote_id_and_url_and_redelivery_is_a_noop(row):
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) == D.PUBLISHED
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) is None  # redelivered
    row.refresh_from_db()
    assert row.status == D.PUBLISHED
    assert row.attempts == 1
    assert row.remote_id == f"r-{row.pk}"
    assert row.remote_url == f"https://social.example/p/{row.pk}"
    assert FakeClient.calls == [row.pk]
    assert row.post.__class__.objects.get(pk=row.post_id).status == SocialPost.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="social_delivery.publish").count() == 1


@pytest.mark.django_db
def test_not_due_is_not_claimed(row):
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) is None
    assert FakeClient.calls == []


@pytest.mark.django_db
def test_transient_error_backs_off_honouring_retry_after(row):
    def busy(delivery):
        raise PlatformUnavailable("HTTP 429: slow down", retry_after=3600)

    before = timezone.now()
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(busy)) == D.SCHEDULED
    row.refresh_from_db()
    assert row.status == D.SCHEDULED
    assert row.attempts == 1
    assert "429" in row.error
    assert row.next_attempt_at >= before + timedelta(seconds=3600)


def test_backoff_is_capped_exponential_with_jitter():
    rng = random.Random(1)
    delays = [services_delivery.backoff_seconds(n, rng=rng) for n in range(1, 10)]
    assert 15 <= delays[0] <= 30
    assert 30 <= delays[1] <= 60
    assert 60 <= delays[2] <= 120
    assert all(900 <= d <= 1800 for d in delays[6:])
    assert services_delivery.backoff_seconds(1, retry_after=500, rng=rng) == 500
    assert len({round(services_delivery.backoff_seconds(3, rng=rng), 3) for _ in range(10)}) > 1  # jitter


@pytest.mark.django_db
def test_transient_errors_fail_after_the_attempts_limit(row, settings):
    settings.JCR_SOCIAL_MAX_ATTEMPTS = 2

    def down(delivery):
        raise PlatformUnavailable("HTTP 503: down")

    services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(down))
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(down)) == D.FAILED
    row.refresh_from_db()
    assert row.status == D.FAILED
    assert row.attempts == 2


@pytest.mark.django_db
def test_permanent_error_fails_at_once_with_the_platform_message(row):
    def refuse(delivery):
        raise PlatformRejected("HTTP 422: Text character limit of 500 exceeded")

    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(refuse)) == D.FAILED
    row.refresh_from_db()
    assert row.error == "HTTP 422: Text character limit of 500 exceeded"
    assert row.attempts == 1
    assert SocialPost.objects.get(pk=row.post_id).status == SocialPost.Status.FAILED


@pytest.mark.django_db
def test_expired_token_fails_and_tells_outreach_staff(row, outreach_staff):
    def expired(delivery):
        raise TokenExpired("HTTP 401: The access token is invalid")

    services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(expired))
    row.refresh_from_db()
    assert row.status == D.FAILED
    channel = ChannelAccount.objects.get(pk=row.channel_id)
    assert channel.token_expires_at <= timezone.now()
    assert channel.token_notice_sent_at
    mails = OutboundEmail.objects.filter(to=outreach_staff.email)
    assert mails.count() == 1
    assert "new token" in mails.get().subject


@pytest.mark.django_db
def test_pause_holds_everything(row, outreach_supervisor):
    services.publishing_pause(user=outreach_supervisor, reason="Breaking incident")
    enqueued = []
    assert services_delivery.deliveries_dispatch(enqueue=enqueued.append) == {"enqueued": 0, "paused": 1}
    assert (
        services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) is None
    )  # a message in flight
    row.refresh_from_db()
    assert row.status == D.SCHEDULED
    assert row.attempts == 0
    assert FakeClient.calls == []
    services.publishing_resume(user=outreach_supervisor)
    assert services_delivery.deliveries_dispatch(enqueue=enqueued.append)["enqueued"] == 1
    assert enqueued == [row.pk]


@pytest.mark.django_db
def test_dispatch_enqueues_only_due_scheduled_rows(outreach_staff, outreach_supervisor):
    accounts = [f.channel("development"), f.channel("x")]
    due = f.scheduled_post(outreach_staff, outreach_supervisor, accounts)
    f.scheduled_post(outreach_staff, outreach_supervisor, accounts, due=timezone.now() + timedelta(hours=1))
    enqueued = []
    services_delivery.deliveries_dispatch(enqueue=enqueued.append)
    assert sorted(enqueued) == sorted(due.deliveries.values_list("pk", flat=True))


@pytest.mark.django_db
def test_stuck_rows_go_to_a_person_never_resent(row, outreach_supervisor):
    Delivery.objects.filter(pk=row.pk).update(
        status=D.PUBLISHING, claimed_at=timezone.now() - timedelta(minutes=30), attempts=1
    )
    assert services_delivery.deliveries_sweep_stuck(minutes=15) == 1
    row.refresh_from_db()
    assert row.status == D.CHECK
    enqueued = []
    services_delivery.deliveries_dispatch(enqueue=enqueued.append)
    assert enqueued == []
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) is None
    services_delivery.delivery_mark_published(
        delivery=row, user=outreach_supervisor, url="https://mastodon.example/@da/1"
    )
    row.refresh_from_db()
    assert row.status == D.PUBLISHED
    assert row.remote_url == "https://mastodon.example/@da/1"
    assert row.resolved_by == outreach_supervisor
    assert FakeClient.calls == []


@pytest.mark.django_db
def test_bulk_retry_of_failed(outreach_staff, outreach_supervisor):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("x"), f.channel("bluesky")])
    post.deliveries.update(status=D.FAILED, attempts=3, error="HTTP 503")
    count = services_delivery.deliveries_retry(
        user=outreach_supervisor, ids=post.deliveries.values_list("pk", flat=True)
    )
    assert count == 2
    assert set(post.deliveries.values_list("status", "attempts")) == {(D.SCHEDULED, 0)}
    with pytest.raises(PermissionDenied):
        services_delivery.deliveries_retry(user=outreach_staff, ids=[])


@pytest.mark.django_db
def test_development_channel_writes_to_the_outbox(outreach_staff, outreach_supervisor):
    post = f.scheduled_post(outreach_staff, outreach_supervisor, [f.channel("development")])
    f.image(post, alt="Flyer for the fair")
    row = post.deliveries.get()
    assert services_delivery.delivery_publish(delivery_id=row.pk) == D.PUBLISHED
    entry = DevelopmentOutboxEntry.objects.get()
    assert entry.text == post.body
    assert entry.media[0]["alt"] == "Flyer for the fair"


@pytest.mark.django_db
def test_image_without_alt_text_blocks_publishing(row):
    f.image(row.post, alt="")
    assert services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient()) == D.FAILED
    row.refresh_from_db()
    assert "alternative text" in row.error
    assert FakeClient.calls == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_publish_once(django_user_model):
    from jcr.accounts.tests.factories import StaffFactory

    author, approver = StaffFactory(email="a@da.example.gov"), StaffFactory(email="b@da.example.gov")
    post = f.scheduled_post(author, approver, [f.channel("mastodon")])
    row = post.deliveries.get()
    barrier = threading.Barrier(2)
    results = []
    lock = threading.Lock()

    def slow(delivery):
        import time

        time.sleep(0.2)
        return PublishResult(remote_id="once")

    def worker():
        try:
            barrier.wait()
            outcome = services_delivery.delivery_publish(delivery_id=row.pk, client_factory=FakeClient(slow))
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == sorted([D.PUBLISHED, None], key=str)
    assert FakeClient.calls == [row.pk]
    row.refresh_from_db()
    assert row.status == D.PUBLISHED
    assert row.attempts == 1


@pytest.mark.django_db
def test_beat_rows_name_the_pinned_tasks():
    from django_celery_beat.models import PeriodicTask

    from jcr.core import work

    names = sorted(PeriodicTask.objects.filter(task__startswith="outreach.social.").values_list("task", flat=True))
    assert names == [
        "outreach.social.deliveries_dispatch",
        "outreach.social.deliveries_sweep_stuck",
        "outreach.social.occurrences_create",
        "outreach.social.tokens_check",
    ]
    for name in [*names, "outreach.social.delivery_publish"]:
        assert work.task_named(name).name == name
