"""Liveness, readiness with the worker's and beat's heartbeats, and the administrators' panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from jcr.core import health, logs, tasks
from jcr.core import views as core_views
from jcr.core.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def dependencies_up(monkeypatch):
    """The cache and the broker answer (the database is the test database)."""
    monkeypatch.setattr(core_views, "_check_cache", lambda: None)
    monkeypatch.setattr(core_views, "_check_broker", lambda: None)
    monkeypatch.setattr(health, "check_cache", lambda: None)
    monkeypatch.setattr(health, "check_broker", lambda: None)


def _beat(worker_age: int | None, beat_age: int | None) -> None:
    now = timezone.now()
    for name, age in (("worker", worker_age), ("beat", beat_age)):
        if age is not None:
            Heartbeat.objects.create(name=name, at=now - timedelta(seconds=age))


def test_live_answers_without_asking_any_dependency(resident, monkeypatch, django_assert_num_queries):
    def broken():
        raise ConnectionError("down")

    for name in ("_check_database", "_check_cache", "_check_broker"):
        monkeypatch.setattr(core_views, name, broken)
    with django_assert_num_queries(0):
        response = resident.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_dependencies_answer_and_heartbeats_are_fresh(resident, dependencies_up):
    _beat(30, 30)
    response = resident.get("/healthz/ready")
    assert response.status_code == 200
    assert {name: check["up"] for name, check in response.json()["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
        "worker": True,
        "beat": True,
    }


@pytest.mark.parametrize(
    ("worker_age", "beat_age", "down"),
    [(None, None, {"worker", "beat"}), (600, 30, {"worker"}), (30, 600, {"beat"})],
    ids=["never-seen", "worker-stale", "beat-stale"],
)
def test_not_ready_when_a_heartbeat_is_missing_or_old(resident, dependencies_up, settings, worker_age, beat_age, down):
    settings.JCR_HEARTBEAT_MAX_AGE_SECONDS = 180
    _beat(worker_age, beat_age)
    response = resident.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert {name for name, check in body["checks"].items() if not check["up"]} == down


def test_beat_is_alive_by_its_schedule_row_when_the_worker_is_not(resident, dependencies_up):
    PeriodicTask.objects.filter(task=health.HEARTBEAT_TASK).update(last_run_at=timezone.now() - timedelta(seconds=20))
    checks = resident.get("/healthz/ready").json()["checks"]
    assert (checks["worker"]["up"], checks["beat"]["up"]) == (False, True)


def test_the_heartbeat_task_records_the_worker_now_and_beat_at_its_send_time():
    sent = timezone.now() - timedelta(seconds=5)
    tasks.heartbeat.apply(headers={logs.SENT_AT_HEADER: sent.isoformat()})
    seen = dict(Heartbeat.objects.values_list("name", "at"))
    assert seen["beat"] == sent
    assert timezone.now() - seen["worker"] < timedelta(minutes=1)
    assert PeriodicTask.objects.filter(task="jcr.core.heartbeat", enabled=True).exists()  # beat runs it


@pytest.mark.parametrize(("persona", "shown"), [("administrator", True), ("bureau_chief", False)])
def test_the_dashboard_shows_background_health_to_administrators(request, client_for, dependencies_up, persona, shown):
    _beat(600, 30)
    page = client_for(request.getfixturevalue(persona)).get(reverse("core:dashboard")).content.decode()
    assert ("Background processing" in page) is shown
    if shown:
        assert "Not working" in page  # the stale worker
