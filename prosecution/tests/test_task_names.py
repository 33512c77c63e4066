"""Task names are pinned strings; beat rows follow a rename (migration 0011)."""

from importlib import import_module

import pytest
from django.apps import apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from jcr.core.work import task_named

pytestmark = pytest.mark.django_db

RENAMES = import_module("prosecution.migrations.0011_task_names").Migration.operations[0]


def test_every_beat_row_of_the_unit_names_a_registered_task():
    rows = PeriodicTask.objects.filter(task__startswith="prosecution.")
    assert rows.count() == 6  # four renamed by 0011, two added with follows and area alerts (0013)
    for row in rows:
        assert task_named(row.task).name == row.task


def test_the_migration_moves_old_task_names_to_new_and_back():
    every = IntervalSchedule.objects.create(every=7, period=IntervalSchedule.MINUTES)
    old = PeriodicTask.objects.create(name="old row", task="prosecution.tasks.followup_send_due", interval=every)
    RENAMES.code(apps, None)
    old.refresh_from_db()
    assert old.task == "prosecution.partners.followup_send_due"
    task_named(old.task)
    RENAMES.reverse_code(apps, None)
    old.refresh_from_db()
    assert old.task == "prosecution.tasks.followup_send_due"
