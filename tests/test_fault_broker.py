"""Fault drill: the broker is unreachable while a resident submits.

Real: a private redis-server process (stopped and started again on the same port), the
sign-up view with its transaction and on_commit hooks, the publish that fails against a
closed port, the sweep task, and a Celery worker subprocess that sends the e-mail through
Django's file backend. Nothing is simulated.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client

from jcr.accounts.models import User
from jcr.core.abuse import TIMESTAMP_FIELD, form_timestamp
from jcr.core.models import OutboundEmail
from jcr.core.tasks import outbound_email_dispatch
from tests.fault_helpers import (  # noqa: F401 - fixtures
    celery_on_private_redis,
    private_redis,
    sent_messages,
    start_worker,
    subprocess_env,
    wait_for,
)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills run on PostgreSQL")

SIGNUP = {
    "email": "outage@example.org",
    "password1": "a long resident password 9",
    "password2": "a long resident password 9",
    TIMESTAMP_FIELD: form_timestamp(scope="signup", seconds_ago=30),
}


@pytest.mark.django_db(transaction=True)
def test_signup_while_the_broker_is_down_is_saved_fast_and_sent_once_later(
    celery_on_private_redis,  # noqa: F811
    start_worker,  # noqa: F811
    tmp_path,
):
    """The resident's sign-up succeeds at once although Redis is down; the verification
    e-mail waits as a PENDING row, and once Redis is back the sweep and a real worker send it
    exactly once; a second sweep sends nothing."""
    redis_server = celery_on_private_redis
    redis_server.stop()

    client = Client()
    started = time.monotonic()
    response = client.post("/accounts/signup/", SIGNUP)
    elapsed = time.monotonic() - started

    assert response.status_code == 302, response.content[:500]
    assert elapsed < 3, f"sign-up took {elapsed:.2f}s with the broker down: the publish must give up quickly"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Verify Your Email Address" in page.content.decode()

    user = User.objects.get(email=SIGNUP["email"])
    assert not user.is_staff
    email = OutboundEmail.objects.get(to=SIGNUP["email"])
    assert email.status == OutboundEmail.Status.PENDING
    assert email.enqueued_at is None, "a row whose publish failed must stay visible to the sweep"
    assert email.attempts == 0

    # Redis comes back on the same port; the minute sweep hands the row over.
    redis_server.start()
    counts = outbound_email_dispatch()
    assert counts["enqueued"] == 1, counts
    email.refresh_from_db()
    assert email.enqueued_at is not None
    assert redis_server.client().llen("celery") == 1

    mail_dir = tmp_path / "var" / "mail"
    worker = start_worker(subprocess_env(var_dir=tmp_path / "var", redis_url=redis_server.url))

    def sent() -> bool:
        email.refresh_from_db()
        return email.status == OutboundEmail.Status.DONE

    wait_for(sent, timeout=30, what="the worker to send the e-mail")
    assert email.attempts == 1
    messages = sent_messages(mail_dir)
    assert len(messages) == 1
    assert SIGNUP["email"] in messages[0]

    # The sweep again: nothing due, nothing handed over, nothing sent.
    assert outbound_email_dispatch() == {"enqueued": 0, "due": 0, "reset": 0, "flagged": 0}
    assert redis_server.client().llen("celery") == 0
    worker.stop()
    assert "succeeded" in worker.log()
    assert len(sent_messages(mail_dir)) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.DONE
