"""E-mail as rows with a status: written in the caller's transaction, handed to the broker on
commit, sent once, retried on a schedule, and found again by the minute sweep."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from jcr.accounts.tests.factories import StaffFactory
from jcr.core import services, tasks
from jcr.core.models import OutboundEmail
from jcr.core.tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


@pytest.fixture
def broker():
    """The broker, replaced: records what would be handed over."""
    with mock.patch.object(tasks.outbound_email_send, "apply_async") as apply_async:
        yield apply_async


@pytest.fixture
def broker_down():
    with mock.patch.object(
        tasks.outbound_email_send, "apply_async", side_effect=OperationalError("connection refused")
    ) as apply_async:
        yield apply_async


def _fake_render(template_name, context=None, *args, **kwargs):
    """Rendering that shows the language it ran in."""
    return f"[{translation.get_language()}] {template_name}"


def test_email_queue_writes_a_row_and_enqueues_only_on_commit(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        email = services.email_queue(
            to="someone@example.org",
            template="accounts/invitation",
            context={"user": StaffFactory.build(), "link": "https://portal.example/x", "invited_by": None},
        )
        assert OutboundEmail.objects.get(pk=email.pk).status == Status.PENDING
        broker.assert_not_called()  # not while the transaction is open

    assert len(callbacks) == 1
    broker.assert_called_once_with(kwargs={"email_id": email.pk}, retry=False)
    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert email.enqueued_at is not None
    assert email.subject == "You are invited to the JCR Portal"
    assert "https://portal.example/x" in email.body_text


def test_nothing_is_enqueued_when_the_transaction_rolls_back(broker, django_capture_on_commit_callbacks):
    def caller_that_fails():
        with transaction.atomic():
            services.email_message_queue(to="a@example.org", subject="S", body_text="B")
            raise RuntimeError("the caller failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        caller_that_fails()
    assert callbacks == []
    broker.assert_not_called()
    assert not OutboundEmail.objects.exists()


def test_send_delivers_in_the_rows_language_and_marks_done(broker, mailoutbox, django_capture_on_commit_callbacks):
    with mock.patch("jcr.core.services.render_to_string", side_effect=_fake_render):
        email = services.email_queue(to="vecina@example.org", template="accounts/invitation", language="es")
    assert email.language == "es"

    assert tasks.outbound_email_send(email_id=email.pk) == Status.DONE

    email.refresh_from_db()
    assert email.status == Status.DONE
    assert email.attempts == 1
    assert email.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["vecina@example.org"]
    assert message.subject == "[es] email/accounts/invitation.subject.txt"
    assert message.body == "[es] email/accounts/invitation.txt"
    assert message.alternatives[0].content == "[es] email/accounts/invitation.html"


def test_a_second_delivery_is_a_no_op(mailoutbox):
    email = OutboundEmailFactory()
    assert tasks.outbound_email_send(email_id=email.pk) == Status.DONE
    assert tasks.outbound_email_send(email_id=email.pk) is None
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_attachments_of_the_row_are_sent_with_the_message(mailoutbox):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    email = OutboundEmailFactory(attachments=[{"filename": "e.ics", "content": ics, "mimetype": "text/calendar"}])
    assert tasks.outbound_email_send(email_id=email.pk) == Status.DONE
    [(filename, content, mimetype)] = mailoutbox[0].attachments
    assert (filename, content, mimetype) == ("e.ics", ics, "text/calendar")


def test_a_row_not_yet_due_is_not_sent(mailoutbox):
    email = OutboundEmailFactory(due_at=timezone.now() + dt.timedelta(minutes=5))
    assert tasks.outbound_email_send(email_id=email.pk) is None
    assert mailoutbox == []


def test_smtp_failure_goes_back_to_pending_later(mailoutbox):
    email = OutboundEmailFactory()
    now = timezone.now()
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=smtplib.SMTPServerDisconnected("gone")):
        assert tasks.outbound_email_send(email_id=email.pk) == Status.PENDING

    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert email.attempts == 1
    assert email.due_at >= now + dt.timedelta(seconds=OutboundEmail.RETRY_SCHEDULE[0])
    assert email.enqueued_at is None
    assert "SMTPServerDisconnected" in email.last_error
    assert mailoutbox == []


def test_smtp_failures_stop_after_the_last_attempt(time_machine):
    email = OutboundEmailFactory()
    time_machine.move_to(timezone.now(), tick=False)
    statuses = []
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=smtplib.SMTPServerDisconnected("gone")):
        for _ in range(OutboundEmail.max_attempts()):
            email.refresh_from_db()
            time_machine.move_to(email.due_at + dt.timedelta(seconds=1), tick=False)
            statuses.append(tasks.outbound_email_send(email_id=email.pk))
        email.refresh_from_db()
        time_machine.move_to(email.due_at + dt.timedelta(days=1), tick=False)
        assert tasks.outbound_email_send(email_id=email.pk) is None  # failed rows are not retried

    assert statuses == [Status.PENDING] * (OutboundEmail.max_attempts() - 1) + [Status.FAILED]
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == OutboundEmail.max_attempts()
    assert email.finished_at is not None


def test_recipient_refused_fails_at_once(mailoutbox):
    email = OutboundEmailFactory()
    refused = smtplib.SMTPRecipientsRefused({email.to: (550, b"no such user")})
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused):
        assert tasks.outbound_email_send(email_id=email.pk) == Status.FAILED
    email.refresh_from_db()
    assert email.attempts == 1


def test_broker_down_at_enqueue_leaves_the_row_for_the_sweep(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.email_message_queue(to="a@example.org", subject="S", body_text="B")

    broker_down.assert_called_once()
    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert email.enqueued_at is None

    with mock.patch.object(tasks.outbound_email_send, "apply_async") as apply_async:
        result = tasks.outbound_email_dispatch()

    assert result == {"enqueued": 1, "due": 1, "reset": 0, "flagged": 0}
    apply_async.assert_called_once_with(kwargs={"email_id": email.pk}, retry=False)
    email.refresh_from_db()
    assert email.enqueued_at is not None


def test_sweep_leaves_recently_enqueued_rows_alone_then_enqueues_lost_ones(broker, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    email = OutboundEmailFactory(enqueued_at=now)
    assert tasks.outbound_email_dispatch()["enqueued"] == 0
    broker.assert_not_called()

    time_machine.move_to(now + OutboundEmail.REENQUEUE_AFTER + dt.timedelta(seconds=1), tick=False)
    assert tasks.outbound_email_dispatch()["enqueued"] == 1
    broker.assert_called_once_with(kwargs={"email_id": email.pk}, retry=False)


def test_sweep_resets_rows_stuck_in_flight(broker):
    now = timezone.now()
    stuck = OutboundEmailFactory(
        status=Status.IN_FLIGHT, attempts=1, claimed_at=now - OutboundEmail.STUCK_AFTER - dt.timedelta(minutes=1)
    )
    busy = OutboundEmailFactory(status=Status.IN_FLIGHT, attempts=1, claimed_at=now - dt.timedelta(minutes=2))

    result = tasks.outbound_email_dispatch()

    assert result["reset"] == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == Status.PENDING
    assert stuck.last_error == "worker did not finish"
    assert busy.status == Status.IN_FLIGHT
    broker.assert_called_once_with(kwargs={"email_id": stuck.pk}, retry=False)


def test_the_sweep_is_scheduled_every_minute():
    task = PeriodicTask.objects.get(task="jcr.core.outbound_email_dispatch")
    assert task.enabled is True
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_admin_retry_puts_a_failed_email_back(broker, administrator, django_capture_on_commit_callbacks):
    email = OutboundEmailFactory(status=Status.FAILED, attempts=OutboundEmail.max_attempts())
    with django_capture_on_commit_callbacks(execute=True):
        services.outbound_email_retry(email=email, actor=administrator)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.PENDING, 0)
    broker.assert_called_once_with(kwargs={"email_id": email.pk}, retry=False)
