"""The unit's Celery task names are pinned, and migration 0008 points the beat rows of a deployed
database at them: every name the tasks were registered under before is renamed, and going back
restores the name the code used last."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from jcr.core.work import task_named

pytestmark = pytest.mark.django_db

migration = importlib.import_module("integrity.migrations.0008_task_names")

PINNED = {
    "integrity.training.mcle_reminders_send",
    "integrity.policies.bulletin_reminders_send",
    "integrity.records.record_deadline_reminders_send",
}


# Tasks added after the rename, scheduled by their own migrations.
LATER = {"integrity.publicrecords.reminders_send", "integrity.records.disposition_run_create"}


def test_integrity_task_names_are_registered_and_scheduled():
    for name in PINNED | LATER:
        assert task_named(name).name == name
    scheduled = set(PeriodicTask.objects.filter(task__startswith="integrity.").values_list("task", flat=True))
    assert scheduled == PINNED | LATER


def test_integrity_task_rename_migration_moves_old_rows_and_back():
    PeriodicTask.objects.filter(task__startswith="integrity.").delete()
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    for old in migration.RENAMES:
        PeriodicTask.objects.create(name=f"old {old}", task=old, interval=every)
    operation = migration.Migration.operations[0]

    operation.code(apps, None)
    mine = PeriodicTask.objects.filter(name__startswith="old integrity.")
    assert set(mine.values_list("task", flat=True)) == PINNED

    operation.reverse_code(apps, None)
    assert sorted(mine.values_list("task", flat=True)) == sorted(
        [
            "integrity.tasks_training.mcle_reminders_send",
            "integrity.tasks_training.mcle_reminders_send",
            "integrity.tasks_policies.bulletin_reminders_send",
            "integrity.tasks_policies.bulletin_reminders_send",
            "integrity.tasks.record_deadline_reminders_send",
        ]
    )
