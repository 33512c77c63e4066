"""Operations the units' data migrations share."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def periodic_task_rename(renames: dict[str, str]) -> migrations.RunPython:
    """A RunPython that points beat rows (django-celery-beat) at a task's new name.

    Task names are pinned strings (`@shared_task(name=...)`); when one changes, a deployed beat
    keeps calling the old name until its rows follow. Reversible: going back restores the old
    names. The change counter is bumped so a running beat reloads its schedule.
    """

    def rename(apps, mapping: dict[str, str]) -> None:
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        changed = 0
        for old, new in mapping.items():
            changed += PeriodicTask.objects.filter(task=old).update(task=new)
        if changed:
            PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})

    def forward(apps, schema_editor):
        rename(apps, renames)

    def backward(apps, schema_editor):
        rename(apps, {new: old for old, new in renames.items()})

    return migrations.RunPython(forward, backward)
