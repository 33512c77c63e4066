"""The Open States sync within the API's limits, against a local fake server (no network):
budgets, Retry-After and backoff, runs that always end, resuming from the cursor, partial
dates and order-independent change detection."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.template import Context, Template
from django.utils import translation

from govrelations.bills import sync
from govrelations.bills.openstates import (
    OpenStatesBudgetSpent,
    OpenStatesClient,
    budget_left_today,
    budget_take,
)
from govrelations.bills.records import bill_record_parse
from govrelations.bills.tests.fake_openstates import FakeOpenStates, ServedFake, bill
from govrelations.dashboard import SYNC_OVERVIEW_KEY, panel
from govrelations.models import ApiUsage, Bill, SyncCursor, SyncRun
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
START = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
SINCE = datetime(2025, 5, 1, tzinfo=UTC)


def _bills(count: int) -> list[dict]:
    return [bill(n, updated_at=datetime(2025, 6, 1, tzinfo=UTC) + timedelta(minutes=n)) for n in range(1, count + 1)]


def _client(served: ServedFake, traveller, **limits) -> tuple[OpenStatesClient, list[float]]:
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        traveller.shift(timedelta(seconds=seconds))

    client = OpenStatesClient(base_url=served.url, api_key="fake-key", per_page=5, sleep=sleep, **limits)
    return client, sleeps


def _sync(client, **kwargs) -> SyncRun:
    return sync.openstates_sync(client=client, jurisdiction="California", updated_since=SINCE, **kwargs)


@pytest.mark.parametrize(
    ("client_limits", "server_limits"),
    [
        ({"per_minute": 10, "per_day": 4}, {"per_minute": 2, "per_day": 100}),  # our day budget binds
        ({"per_minute": 10, "per_day": 100}, {"per_minute": 2, "per_day": 4}),  # the API's day quota binds
    ],
    ids=["own-budget", "api-quota"],
)
def test_sync_across_days_resumes_from_its_cursor_without_duplicates_or_lost_updates(client_limits, server_limits):
    fake = FakeOpenStates(_bills(30), **server_limits)
    with ServedFake(fake) as served, time_machine.travel(START, tick=False) as traveller:
        client, _sleeps = _client(served, traveller, **client_limits)
        first = _sync(client)
        assert first.status == SyncRun.Status.STOPPED_BUDGET
        cursor = SyncCursor.objects.get()
        assert (cursor.jurisdiction, cursor.run_id, cursor.page) == ("California", first.pk, 1)
        assert cursor.updated_since == max(b.source_updated_at for b in Bill.objects.all()).replace(microsecond=0)
        # Overnight a bill already imported changes (it moves to the end) and a new one appears.
        fake.update(bill(2, updated_at=START + timedelta(hours=3), title="Amended title"))
        fake.update(bill(31, updated_at=START + timedelta(hours=4)))
        runs = [first]
        for day in range(1, 10):
            traveller.move_to(START + timedelta(days=day))
            client, _sleeps = _client(served, traveller, **client_limits)
            runs.append(_sync(client))
            if runs[-1].status != SyncRun.Status.STOPPED_BUDGET:
                break
    assert runs[-1].status == SyncRun.Status.DONE
    assert {r.status for r in runs[:-1]} == {SyncRun.Status.STOPPED_BUDGET}
    assert all(r.parameters["resumed"] for r in runs[1:])
    assert Bill.objects.count() == 31
    assert Bill.objects.get(identifier="AB 2").title == "Amended title"
    assert not SyncCursor.objects.exists()
    assert not SyncRun.objects.filter(status=SyncRun.Status.RUNNING).exists()
    per_day = dict(ApiUsage.objects.values_list("day", "requests"))
    assert max(per_day.values()) <= client_limits["per_day"]
    assert sum(r.throttled for r in SyncRun.objects.all()) == sum(u.throttled for u in ApiUsage.objects.all()) > 0


def test_a_429_is_waited_out_for_its_retry_after():
    fake = FakeOpenStates(_bills(12), per_minute=1)
    with ServedFake(fake) as served, time_machine.travel(START.replace(second=30), tick=False) as traveller:
        client, sleeps = _client(served, traveller)
        run = _sync(client)
    assert run.status == SyncRun.Status.DONE
    assert run.throttled >= 1
    assert [e["status"] for e in fake.log].count(429) == run.throttled
    assert min(sleeps) >= 31  # Retry-After: the seconds to the next minute
    assert Bill.objects.count() == 12


@pytest.mark.parametrize(
    ("failures", "status", "requests"), [(2, SyncRun.Status.DONE, 3), (9, SyncRun.Status.FAILED, 5)]
)
def test_server_errors_are_retried_with_growing_waits_a_bounded_number_of_times(failures, status, requests, settings):
    settings.OPENSTATES_MAX_RETRIES = 4
    fake = FakeOpenStates(_bills(5))
    fake.fail_next = [503] * failures
    with ServedFake(fake) as served, time_machine.travel(START, tick=False) as traveller:
        client, sleeps = _client(served, traveller)
        run = _sync(client)
    assert (run.status, run.requests) == (status, requests)
    waits = sleeps[: min(failures, 4)]
    assert waits == sorted(waits)
    assert len(set(waits)) == len(waits)
    assert all(2 <= w <= 2 ** (i + 1) + 2 for i, w in enumerate(waits))
    if status == SyncRun.Status.FAILED:
        assert "503" in run.error
        assert SyncCursor.objects.get().page == 1  # the next run resumes where this one stopped


def test_the_day_budget_is_shared_through_the_database():
    with time_machine.travel(START, tick=False):
        assert [budget_take(per_minute=10, per_day=3) for _ in range(2)] == [0, 0]
        assert budget_take(per_minute=2, per_day=3) == 60  # this minute's requests are spent: wait
        assert budget_take(per_minute=10, per_day=3) == 0
        with pytest.raises(OpenStatesBudgetSpent):
            budget_take(per_minute=10, per_day=3)
    with time_machine.travel(START + timedelta(days=1), tick=False):
        assert budget_take(per_minute=10, per_day=3) == 0  # a new UTC day, a new budget
    assert dict(ApiUsage.objects.values_list("day", "requests")) == {
        START.date(): 3,
        (START + timedelta(days=1)).date(): 1,
    }


def test_two_syncs_never_overlap():
    other = connections.create_connection("default")  # another process's connection
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [sync.LOCK_KEY])
        with pytest.raises(sync.SyncBusy):
            _sync(OpenStatesClient(base_url="http://127.0.0.1:9", api_key="k"))
    finally:
        other.close()
    assert not SyncRun.objects.exists()


def test_runs_left_running_are_marked_failed(settings):
    settings.OPENSTATES_RUN_TIME_LIMIT_MINUTES = 60
    with time_machine.travel(START - timedelta(hours=2), tick=False):
        stale = SyncRun.objects.create(parameters={})
    with time_machine.travel(START, tick=False):
        recent = SyncRun.objects.create(parameters={})
        assert sync.sync_runs_sweep() == 1
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert (stale.status, recent.status) == (SyncRun.Status.FAILED, SyncRun.Status.RUNNING)
    assert stale.finished_at is not None
    assert "did not finish" in stale.error


def test_a_run_past_its_time_limit_stops_as_failed_and_keeps_its_cursor(settings):
    settings.OPENSTATES_RUN_TIME_LIMIT_MINUTES = 1
    fake = FakeOpenStates(_bills(12), per_minute=1)
    with ServedFake(fake) as served, time_machine.travel(START, tick=False) as traveller:
        client, _sleeps = _client(served, traveller)
        run = _sync(client)
    assert run.status == SyncRun.Status.FAILED
    assert "time limit" in run.error
    assert SyncCursor.objects.get().run == run


@pytest.mark.parametrize(
    ("value", "expected", "precision", "shown"),
    [("2025", date(2025, 1, 1), "year", "2025|2025"), ("2025-03", date(2025, 3, 1), "month", "March 2025|2025-03")],
)
def test_partial_dates_are_kept_and_shown_with_their_precision(value, expected, precision, shown):
    record = bill(1, updated_at=START, first_action_date=value)
    record["actions"][0]["date"] = value
    sync.bill_upsert(parsed=bill_record_parse(record))
    stored = Bill.objects.get()
    assert (stored.first_action_date, stored.first_action_date_precision) == (expected, precision)
    action = stored.actions.get()
    assert (action.date, action.date_precision) == (expected, precision)
    with translation.override("en"):
        rendered = Template(
            "{% load govrelations_dates %}{{ a.date|partial_date:a.date_precision }}|"
            "{{ a.date|partial_date_iso:a.date_precision }}"
        ).render(Context({"a": action}))
    assert rendered == shown


def test_change_detection_ignores_order_and_timestamp_but_not_content():
    record = bill(1, updated_at=START)
    record["sponsorships"].append({"name": "Wiener", "entity_type": "person", "primary": False})
    record["actions"].append({"description": "Referred", "date": "2025-01-20", "classification": [], "order": 2})
    assert sync.bill_upsert(parsed=bill_record_parse(record)) == "created"
    shuffled = {
        **record,
        "sponsorships": record["sponsorships"][::-1],
        "actions": [{k: v for k, v in a.items() if k != "order"} for a in record["actions"][::-1]],
        "updated_at": (START + timedelta(days=1)).isoformat(),
    }
    assert sync.bill_upsert(parsed=bill_record_parse(shuffled)) == "unchanged"
    changed = {**shuffled, "title": "A new title"}
    assert sync.bill_upsert(parsed=bill_record_parse(changed)) == "updated"


def test_dry_run_prints_what_would_change_and_writes_nothing(settings, capsys):
    fake = FakeOpenStates(_bills(3))
    with ServedFake(fake) as served, time_machine.travel(START, tick=False):
        settings.OPENSTATES_API_URL, settings.OPENSTATES_API_KEY = served.url, "fake-key"
        call_command("openstates_sync", "--jurisdiction", "California", "--dry-run")
    out = capsys.readouterr().out
    assert "would create 3" in out
    assert "would create AB 2: Bill number 2" in out
    assert not Bill.objects.exists()
    assert not SyncRun.objects.exists()
    assert not SyncCursor.objects.exists()


def test_staff_dashboard_shows_last_sync_next_run_and_budget_left(settings):
    settings.OPENSTATES_REQUESTS_PER_DAY = 250
    user = StaffFactory(roles=[roles.GR_ANALYST])
    fake = FakeOpenStates(_bills(2))
    with ServedFake(fake) as served, time_machine.travel(START, tick=False) as traveller:
        _sync(_client(served, traveller)[0])
        cache.delete(SYNC_OVERVIEW_KEY)
        labels = [item["label"] for item in panel(user=user)["items"]]
        assert budget_left_today() == 249
    [label] = [text for text in labels if text.startswith("Open States")]
    assert "not yet" not in label
    assert "next run" in label
    assert "not scheduled" not in label
    assert "249 requests left today" in label
