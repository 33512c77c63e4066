"""Beat rows name tasks by their pinned names, and a rename carries deployed rows along."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import pytest
from celery import current_app
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import PeriodicTask

from jcr.celery import task_packages
from jcr.core import work

pytestmark = pytest.mark.django_db


def _registered() -> set[str]:
    current_app.loader.import_default_modules()
    return {name for name in current_app.tasks if not name.startswith("celery.")}


def test_every_schedule_created_by_the_migrations_names_a_registered_task():
    """(pytest-django runs transactional tests last, so the rows the data migrations wrote
    are still here.)"""
    assert PeriodicTask.objects.exists()
    missing = sorted(set(PeriodicTask.objects.values_list("task", flat=True)) - _registered())
    assert missing == [], f"beat rows name tasks no worker has: {missing}"


def test_every_task_name_follows_its_package_so_services_can_enqueue_it_by_name():
    wrong = [
        name
        for name in _registered()
        if name.rsplit(".", 1)[0] not in task_packages() or work.task_named(name).name != name
    ]
    assert wrong == []


def test_a_fresh_worker_registers_every_task_of_every_feature():
    """A worker (or beat) process finds the tasks by autodiscovery alone (jcr.celery): run it
    in a fresh interpreter and compare with every `tasks` module of the apps and features."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'jcr.settings'); django.setup();"
        "from jcr.celery import app; app.loader.import_default_modules();"
        "print(' '.join(sorted(n for n in app.tasks if not n.startswith('celery.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout  # noqa: S603
    for package in task_packages():
        try:
            import_module(f"{package}.tasks")
        except ModuleNotFoundError:
            continue
    assert set(out.split()) == _registered()
    assert {"jcr.core.outbound_email_send", "govrelations.hearings.hearing_reminder_send"} <= set(out.split())


def test_unknown_task_name_fails_inside_the_service_not_after_commit():
    with pytest.raises(KeyError):
        work.delay_on_commit("jcr.core.no_such_task", email_id=1)


@pytest.mark.django_db(transaction=True)
def test_task_name_migration_moves_deployed_beat_rows_forward_and_back():
    """A beat row written under the old name (as a deployment before the rename has it) is
    renamed by jcr.core's migration, and restored when the migration is reversed."""
    executor = MigrationExecutor(connection)
    before, after = [("core", "0005_outboundemail_confidential")], [("core", "0006_task_names")]
    try:
        executor.migrate(before)
        PeriodicTask.objects.filter(name="E-mail: send due and lost e-mails").update(
            task="jcr.core.tasks.outbound_email_dispatch"
        )
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        row = PeriodicTask.objects.get(name="E-mail: send due and lost e-mails")
        assert row.task == "jcr.core.outbound_email_dispatch"
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert PeriodicTask.objects.get(pk=row.pk).task == "jcr.core.tasks.outbound_email_dispatch"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
