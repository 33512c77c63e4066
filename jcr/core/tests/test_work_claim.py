"""`work.claim_and_run` and `work.run_each_due`: the claim-then-send shape shared by the
reminder passes (event, presentation and record-deadline reminders). OutboundEmail rows stand
in for any row with a status and a due time."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jcr.core import work
from jcr.core.models import OutboundEmail
from jcr.core.tests.factories import OutboundEmailFactory

Status = OutboundEmail.Status
GRACE = dt.timedelta(minutes=30)


def _send_one(sent: list, *, now=None):
    """A unit's send function: claim a due PENDING row, send it if still timely, else skip it (CANCELLED)."""
    now = now or timezone.now()

    def run(row: OutboundEmail) -> str:
        status = Status.DONE if now <= row.due_at + GRACE else Status.CANCELLED
        if status == Status.DONE:
            sent.append(row.pk)
        OutboundEmail.objects.filter(pk=row.pk).update(status=status, finished_at=now)
        return status

    return lambda pk: work.claim_and_run(
        OutboundEmail.objects.all(),
        pk,
        where={"status": Status.PENDING, "due_at__lte": now},
        claim={"status": Status.IN_FLIGHT, "claimed_at": now, "attempts": 1},
        run=run,
    )


def _due(now):
    return OutboundEmail.objects.filter(status=Status.PENDING, due_at__lte=now).order_by("due_at")


@pytest.mark.django_db
def test_a_row_is_claimed_and_sent_once_however_often_it_is_offered():
    row = OutboundEmailFactory(due_at=timezone.now() - dt.timedelta(minutes=1))
    sent = []
    send_one = _send_one(sent)
    assert send_one(row.pk) == Status.DONE
    assert send_one(row.pk) is None  # a redelivery, or a second pass
    assert sent == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.DONE, 1)


@pytest.mark.django_db
def test_a_row_claimed_by_another_worker_after_the_pass_read_it_is_left_alone():
    now = timezone.now()
    rows = OutboundEmailFactory.create_batch(2, due_at=now - dt.timedelta(minutes=1))
    sent = []
    send_one = _send_one(sent, now=now)

    def racing(pk):
        if pk == rows[0].pk:  # the other worker got there between the read and the claim
            OutboundEmail.objects.filter(pk=pk).update(status=Status.IN_FLIGHT, claimed_at=now)
        return send_one(pk)

    outcomes = work.run_each_due(_due(now), racing)
    assert outcomes == {None: 1, Status.DONE: 1}
    assert sent == [rows[1].pk]
    assert OutboundEmail.objects.get(pk=rows[0].pk).status == Status.IN_FLIGHT


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_row_once():
    """A real race: the first worker holds its claim open while the second tries the same row;
    the second waits on the row lock, then finds the row no longer PENDING."""
    row = OutboundEmailFactory(due_at=timezone.now() - dt.timedelta(minutes=1))
    second_started = threading.Event()
    runs, results = [], {}

    def run(claimed):
        runs.append(claimed.pk)
        second_started.wait(5)
        second_started.wait(0.3)  # the second worker is now blocked on the row's lock
        OutboundEmail.objects.filter(pk=claimed.pk).update(status=Status.DONE)
        return Status.DONE

    def worker(name):
        try:
            if name == "second":
                second_started.set()
            results[name] = work.claim_and_run(
                OutboundEmail.objects.all(),
                row.pk,
                where={"status": Status.PENDING},
                claim={"status": Status.IN_FLIGHT, "claimed_at": timezone.now()},
                run=run,
            )
        finally:
            connection.close()

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    while not runs and first.is_alive():
        first.join(0.01)
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    first.join(10)
    second.join(10)
    assert results == {"first": Status.DONE, "second": None}
    assert runs == [row.pk]
    assert OutboundEmail.objects.get(pk=row.pk).status == Status.DONE


@pytest.mark.django_db
def test_late_rows_are_skipped_not_sent_and_rows_not_due_are_not_touched():
    now = timezone.now()
    timely = OutboundEmailFactory(due_at=now - dt.timedelta(minutes=5))
    late = OutboundEmailFactory(due_at=now - dt.timedelta(hours=3))
    future = OutboundEmailFactory(due_at=now + dt.timedelta(hours=1))
    sent = []
    outcomes = work.run_each_due(_due(now), _send_one(sent, now=now))
    assert outcomes == {Status.DONE: 1, Status.CANCELLED: 1}
    assert sent == [timely.pk]
    assert OutboundEmail.objects.get(pk=late.pk).status == Status.CANCELLED
    future.refresh_from_db()
    assert (future.status, future.attempts, future.claimed_at) == (Status.PENDING, 0, None)
    # Offered directly, a row not yet due is not claimed either.
    assert _send_one(sent, now=now)(future.pk) is None


@pytest.mark.django_db
def test_a_failing_send_rolls_back_the_claim_so_the_next_pass_retries_the_row():
    now = timezone.now()
    row = OutboundEmailFactory(due_at=now - dt.timedelta(minutes=1))

    def broken(claimed):
        OutboundEmail.objects.filter(pk=claimed.pk).update(status=Status.DONE)
        raise RuntimeError("template missing")

    with pytest.raises(RuntimeError):
        work.run_each_due(
            _due(now),
            lambda pk: work.claim_and_run(
                OutboundEmail.objects.all(),
                pk,
                where={"status": Status.PENDING, "due_at__lte": now},
                claim={"status": Status.IN_FLIGHT, "claimed_at": now, "attempts": 1},
                run=broken,
            ),
        )
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == (Status.PENDING, 0, None)
    sent = []
    assert work.run_each_due(_due(now), _send_one(sent, now=now)) == {Status.DONE: 1}
    assert sent == [row.pk]


@pytest.mark.django_db
def test_a_pass_takes_at_most_limit_rows_in_the_order_given():
    now = timezone.now()
    rows = [OutboundEmailFactory(due_at=now - dt.timedelta(minutes=m)) for m in (1, 3, 2)]
    offered = []
    work.run_each_due(_due(now), offered.append, limit=2)
    assert offered == [rows[1].pk, rows[2].pk]
