"""The beat rows of events and dialogues follow their tasks' pinned names (migration 0008)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import PeriodicTask

from jcr.core import work

pytestmark = pytest.mark.django_db

NEW_NAMES = {
    "Outreach: send due event and presentation reminders": "outreach.events.reminders_dispatch",
    "Dialogues: lapse unanswered offers, promote the wait list": "outreach.dialogues.offers_lapse",
    "Dialogues: draw series whose window closed": "outreach.dialogues.draws_due",
}
OLD_NAMES = {
    "outreach.events.reminders_dispatch": "outreach.tasks.reminders_dispatch",
    "outreach.dialogues.offers_lapse": "outreach.tasks_dialogues.dialogue_offers_lapse",
    "outreach.dialogues.draws_due": "outreach.tasks_dialogues.dialogue_draws_due",
}


def test_the_schedules_name_the_pinned_tasks():
    rows = dict(PeriodicTask.objects.filter(task__in=NEW_NAMES.values()).values_list("task", "name"))
    assert sorted(rows) == sorted(NEW_NAMES.values())
    for name in NEW_NAMES.values():
        assert work.task_named(name).name == name


def test_task_name_migration_moves_deployed_beat_rows_forward_and_back():
    """Migration 0008 only rewrites rows (no schema change), so it runs back and forth inside
    the test's transaction, which is rolled back afterwards."""
    before, after = [("outreach", "0007_newsletter_sending")], [("outreach", "0008_task_names_events")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        for new, old in OLD_NAMES.items():
            PeriodicTask.objects.filter(task=new).update(task=old)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        assert set(PeriodicTask.objects.filter(task__startswith="outreach.").values_list("task", flat=True)) >= set(
            OLD_NAMES
        )
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        tasks = set(PeriodicTask.objects.values_list("task", flat=True))
        assert tasks >= set(OLD_NAMES.values())
        assert not tasks & set(OLD_NAMES)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
