"""Beat rows name tasks by their pinned names, and a rename carries deployed rows along."""

from __future__ import annotations

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_schedule_created_by_the_migrations_names_a_registered_task():
    """(serialized_rollback: the rows the data migrations wrote are restored even when a
    transactional test ran first on this worker and emptied the tables.)"""
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


def test_unknown_task_name_fails_inside_the_service_not_after_commit():
    with pytest.raises(KeyError):
        work.delay_on_commit("jcr.core.no_such_task", email_id=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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
