"""Fault drill: a worker is killed with SIGKILL in the middle of a task.

Real in both tests: a private redis-server, Celery worker subprocesses (prefork,
concurrency 1) configured like production (acks_late, reject_on_worker_lost), the claim by
conditional UPDATE in PostgreSQL, and SIGKILL. The e-mail backend of the first worker is
tests/fault_email_backend.py (set through DJANGO_EMAIL_BACKEND for that subprocess only): it
writes a marker file, standing for the message leaving to the mail server, then blocks, so
the kill lands while the row is IN_FLIGHT.

Simulated: the passing of STUCK_AFTER (time_machine moves the clock of the in-process
sweep; the workers keep the real clock), and, for the "flag" policy, both the policy itself
(OutboundEmail.STUCK_POLICY monkeypatched: no model uses "flag" yet) and the broker's
redelivery after the visibility timeout (kombu's own restore code run with a zero window
instead of waiting an hour, plus a direct call of the task function).
"""

from __future__ import annotations

import json
import os
import signal
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu import Connection

from jcr.core import work
from jcr.core.models import OutboundEmail
from jcr.core.services import email_message_queue
from jcr.core.tasks import outbound_email_dispatch, outbound_email_send
from tests.fault_helpers import (  # noqa: F401 - fixtures
    celery_on_private_redis,
    private_redis,
    sent_messages,
    start_worker,
    subprocess_env,
    wait_for,
)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills run on PostgreSQL")

BLOCKING_BACKEND = "tests.fault_email_backend.BlockingEmailBackend"
TASK = "jcr.core.outbound_email_send"


def _queue_email(to: str) -> OutboundEmail:
    with transaction.atomic():
        email = email_message_queue(to=to, subject="Drill", body_text="Body of the drill message.")
    email.refresh_from_db()
    assert email.enqueued_at is not None, "the row should have been handed to the (private) broker on commit"
    return email


def _markers(marker_dir) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(marker_dir.glob("sent-*.json"))]


def _run_until_blocked(redis_server, start_worker, tmp_path, email: OutboundEmail):  # noqa: F811
    """Start a worker whose e-mail backend blocks; return it and the pid of the pool child
    that is sending, once the row is IN_FLIGHT."""
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    env = subprocess_env(
        var_dir=tmp_path / "var",
        redis_url=redis_server.url,
        DJANGO_EMAIL_BACKEND=BLOCKING_BACKEND,
        FAULT_MARKER_DIR=str(marker_dir),
    )
    worker = start_worker(env, name="blocking")
    markers = wait_for(lambda: _markers(marker_dir), timeout=30, what="the blocking backend to be called")
    assert len(markers) == 1
    child = markers[0]["pid"]
    assert child != worker.process.pid, "prefork: the task runs in a pool child"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.IN_FLIGHT
    assert email.attempts == 1
    return worker, child, marker_dir


def _sweep_after_stuck_window():
    with time_machine.travel(timezone.now() + OutboundEmail.STUCK_AFTER + timedelta(minutes=1), tick=True):
        return work.dispatch_due(OutboundEmail, TASK, id_kwarg="email_id")


@pytest.mark.django_db(transaction=True)
def test_killed_child_row_is_not_lost_and_is_sent_after_the_stuck_window(
    celery_on_private_redis,  # noqa: F811
    start_worker,  # noqa: F811
    tmp_path,
):
    """STUCK_POLICY "retry" (OutboundEmail's own): SIGKILL the pool child mid-send. The
    worker's main process rejects the message (reject_on_worker_lost) and Redis delivers it
    again at once to the new child: a real redelivery, which the claim turns into a no-op.
    The row stays IN_FLIGHT until the sweep, after STUCK_AFTER, puts it back; a restarted
    worker sends it. The e-mail is never lost; the cost is one possible duplicate (the
    marker written before the kill plus the real send)."""
    redis_server = celery_on_private_redis
    email = _queue_email("killed-child@example.org")
    worker, child, marker_dir = _run_until_blocked(redis_server, start_worker, tmp_path, email)

    os.kill(child, signal.SIGKILL)
    worker.wait_log(r"WorkerLostError|exited with 'signal 9", timeout=20)
    # The same message comes back to the new pool child; the claim fails, the task returns None.
    worker.wait_log(rf"{TASK}\[[0-9a-f-]+\] succeeded in [0-9.]+s: None", timeout=30)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.IN_FLIGHT
    assert email.attempts == 1
    assert len(_markers(marker_dir)) == 1, "the redelivered message must not call the backend again"
    worker.stop()

    # Within the stuck window the sweep leaves the row alone.
    assert outbound_email_dispatch() == {"enqueued": 0, "due": 0, "reset": 0, "flagged": 0}

    counts = _sweep_after_stuck_window()
    assert counts["reset"] == 1
    assert counts["enqueued"] == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.last_error == "worker did not finish"

    start_worker(subprocess_env(var_dir=tmp_path / "var", redis_url=redis_server.url), name="restarted")

    def sent() -> bool:
        email.refresh_from_db()
        return email.status == OutboundEmail.Status.DONE

    wait_for(sent, timeout=30, what="the restarted worker to send the e-mail")
    assert email.attempts == 2
    messages = sent_messages(tmp_path / "var" / "mail")
    assert len(messages) == 1
    assert "killed-child@example.org" in messages[0]


@pytest.mark.django_db(transaction=True)
def test_flag_policy_stuck_row_goes_to_a_person_and_is_never_sent_again(
    celery_on_private_redis,  # noqa: F811
    start_worker,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """STUCK_POLICY "flag" (the policy public posts will use; simulated here by patching
    OutboundEmail): SIGKILL the whole worker (main process and child) mid-send, so the
    message stays unacknowledged in Redis. The in-process sweep after STUCK_AFTER moves the
    row to NEEDS_CHECK and enqueues nothing. Then the original message is delivered again,
    twice: once by calling the task function directly with the same id (in-process), and
    once for real through Redis to a fresh worker, after kombu's restore of unacknowledged
    messages (what Redis does after the visibility timeout; run here with a zero window).
    Neither sends anything: the claim fails."""
    redis_server = celery_on_private_redis
    email = _queue_email("flagged@example.org")
    worker, _child, marker_dir = _run_until_blocked(redis_server, start_worker, tmp_path, email)
    task_id = worker.wait_log(rf"{TASK}\[([0-9a-f-]+)\] received").group(1)

    worker.kill_all()
    client = redis_server.client()
    assert client.llen("celery") == 0
    assert client.hlen("unacked") == 1, "the message of the killed task waits, unacknowledged, in Redis"

    monkeypatch.setattr(OutboundEmail, "STUCK_POLICY", "flag")
    flagged = []
    with time_machine.travel(timezone.now() + OutboundEmail.STUCK_AFTER + timedelta(minutes=1), tick=True):
        counts = work.dispatch_due(OutboundEmail, TASK, id_kwarg="email_id", on_flagged=flagged.append)
    assert counts == {"enqueued": 0, "due": 0, "reset": 0, "flagged": 1}
    assert flagged == [email.pk]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.NEEDS_CHECK
    assert "check on the platform" in email.last_error

    # Redelivery 1 (simulated): the task function itself, in this process, same id.
    assert outbound_email_send(email_id=email.pk) is None
    assert mail.outbox == []

    # Redelivery 2 (real message, real worker): restore the unacknowledged message as Redis
    # would once the visibility timeout has passed, and let a fresh worker take it.
    with Connection(redis_server.url, transport_options={"visibility_timeout": 0}) as conn:
        conn.default_channel.qos.restore_visible(num=100)
    assert client.llen("celery") == 1
    assert client.hlen("unacked") == 0
    restarted = start_worker(subprocess_env(var_dir=tmp_path / "var", redis_url=redis_server.url), name="restarted")
    restarted.wait_log(rf"{TASK}\[{task_id}\] succeeded in [0-9.]+s: None", timeout=30)

    # A later sweep leaves the flagged row to the person.
    assert work.dispatch_due(OutboundEmail, TASK, id_kwarg="email_id") == {
        "enqueued": 0,
        "due": 0,
        "reset": 0,
        "flagged": 0,
    }
    restarted.stop()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.NEEDS_CHECK
    assert email.attempts == 1
    assert len(_markers(marker_dir)) == 1
    assert sent_messages(tmp_path / "var" / "mail") == []
