"""Fault drill for social publishing: the worker is killed with SIGKILL while the platform
call is in progress. Real: a private redis-server, a Celery worker subprocess (prefork,
acks_late, reject_on_worker_lost), the claim by conditional UPDATE in PostgreSQL, a local
HTTP server standing for Mastodon that records each request and then hangs, and SIGKILL of
the pool child. The message comes back to the new child and is a no-op; the row stays in
"publishing" and, after the stuck window (the clock of the in-process sweep is moved), goes
to the "check on the platform" queue. The platform received exactly one request."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.db import connection
from django.utils import timezone

from outreach.social import services_delivery
from outreach.social.models import Delivery
from outreach.social.tests import factories as f
from tests.fault_helpers import (  # noqa: F401 - fixtures
    celery_on_private_redis,
    private_redis,
    start_worker,
    subprocess_env,
    wait_for,
)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills run on PostgreSQL")
TASK = "outreach.social.delivery_publish"
KEY = Fernet.generate_key().decode()


class HangingPlatform:
    """Answers nothing: records the request, then holds the connection."""

    def __init__(self):
        self.requests: list[str] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                platform.requests.append(self.path)
                time.sleep(60)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_publish_never_posts_twice(celery_on_private_redis, start_worker, tmp_path, settings):  # noqa: F811
    from jcr.accounts.tests.factories import StaffFactory

    settings.JCR_SOCIAL_CREDENTIALS_KEY = KEY
    platform = HangingPlatform()
    try:
        author = StaffFactory(email="drill-author@da.example.gov")
        approver = StaffFactory(email="drill-approver@da.example.gov")
        channel = f.channel("mastodon", base_url=platform.url, credentials={"access_token": "drill-token"})
        post = f.scheduled_post(author, approver, [channel], body="Drill post")
        row = post.deliveries.get()

        env = subprocess_env(
            var_dir=tmp_path / "var", redis_url=celery_on_private_redis.url, JCR_SOCIAL_CREDENTIALS_KEY=KEY
        )
        worker = start_worker(env, name="social")
        assert services_delivery.deliveries_dispatch()["enqueued"] == 1
        wait_for(lambda: platform.requests, timeout=30, what="the worker to call the platform")
        row.refresh_from_db()
        assert row.status == Delivery.Status.PUBLISHING
        assert row.attempts == 1

        children = [
            int(p)
            for p in os.popen(f"pgrep -P {worker.process.pid}").read().split()  # noqa: S605
        ]
        assert children, "prefork: the task runs in a pool child"
        for child in children:
            os.kill(child, signal.SIGKILL)
        worker.wait_log(r"WorkerLostError|exited with 'signal 9", timeout=20)
        worker.wait_log(rf"{TASK}\[[0-9a-f-]+\] succeeded in [0-9.]+s: None", timeout=30)
        row.refresh_from_db()
        assert row.status == Delivery.Status.PUBLISHING
        assert row.attempts == 1
        assert platform.requests == ["/api/v1/statuses"], "the redelivered message must not post again"

        # Lost messages are not re-sent either: the dispatcher only looks at scheduled rows.
        assert services_delivery.deliveries_dispatch()["enqueued"] == 0
        with time_machine.travel(timezone.now() + timedelta(minutes=settings.JCR_SOCIAL_STUCK_MINUTES + 1), tick=True):
            assert services_delivery.deliveries_sweep_stuck() == 1
        row.refresh_from_db()
        assert row.status == Delivery.Status.CHECK
        assert services_delivery.deliveries_dispatch()["enqueued"] == 0
        time.sleep(1)
        assert platform.requests == ["/api/v1/statuses"]
        worker.stop()
    finally:
        platform.close()


@pytest.mark.django_db(transaction=True)
def test_publishing_drill_two_workers_publish_every_delivery_exactly_once(celery_on_private_redis, tmp_path, settings):  # noqa: F811
    """The `make bench` drill at a small size: deliveries due at once on five platforms, two
    real Celery workers racing for them, each text received by the fake platform once."""
    from jcr.accounts.tests.factories import StaffFactory
    from outreach.social.bench import DRILL_PLATFORMS, run_drill
    from outreach.social.models import ChannelAccount, SocialPost

    settings.JCR_SOCIAL_CREDENTIALS_KEY = KEY
    StaffFactory(email="drill-author@da.example.gov")
    env = subprocess_env(
        var_dir=tmp_path / "var", redis_url=celery_on_private_redis.url, JCR_SOCIAL_CREDENTIALS_KEY=KEY
    )
    report = run_drill(deliveries=40, workers=2, timeout=120, log_dir=tmp_path, env=env)
    assert report["statuses"] == {"published": 40}, report
    assert report["platform_posts"] == 40
    assert report["duplicate_posts"] == 0
    assert set(report["platform_posts_by_path"]) == {
        "/api/v1/statuses",
        "/2/tweets",
        "/drill/feed",
        "/post/create",
        "/xrpc/com.atproto.repo.createRecord",
    }
    assert report["exactly_once"] is True
    assert len(DRILL_PLATFORMS) == 5
    assert not Delivery.objects.exists()
    assert not SocialPost.objects.exists()
    assert not ChannelAccount.objects.exists()
