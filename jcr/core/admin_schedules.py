"""Schedules (django-celery-beat's periodic tasks) edited in the admin are checked on save: the
task must exist, its arguments must be a JSON list and a JSON object, and they must fit the
task's signature. django-celery-beat only checks that they parse, so a typo used to be found
by the beat process, every time the schedule came due, with the work silently not done."""

from __future__ import annotations

import inspect
import json

from celery import current_app
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm
from django_celery_beat.models import PeriodicTask

MESSAGES = {
    "task": _("No task is called %(name)s: choose one of the registered tasks."),
    "args": _('Positional arguments must be a JSON list, like [] or [1, "a"].'),
    "kwargs": _('Keyword arguments must be a JSON object, like {} or {"days": 7}.'),
    "signature": _("These arguments do not fit the task %(name)s: %(error)s."),
}


def _loaded(value: str | None, default):
    try:
        return json.loads(value) if value else default
    except ValueError:
        return None  # django-celery-beat's own check reports it


class CheckedPeriodicTaskForm(PeriodicTaskForm):
    def clean(self):
        data = super().clean()
        name = data.get("task")
        current_app.loader.import_default_modules()  # the tasks of every app, as the beat sees them
        task = current_app.tasks.get(name) if name else None
        if name and task is None:
            self.add_error("regtask" if "regtask" in self.fields else "task", MESSAGES["task"] % {"name": name})
        args, kwargs = _loaded(data.get("args"), []), _loaded(data.get("kwargs"), {})
        if args is not None and not isinstance(args, list):
            self.add_error("args", MESSAGES["args"])
        elif kwargs is not None and not isinstance(kwargs, dict):
            self.add_error("kwargs", MESSAGES["kwargs"])
        elif task is not None and args is not None and kwargs is not None:
            try:
                inspect.signature(task.run).bind(*args, **kwargs)
            except TypeError as exc:
                self.add_error("kwargs", MESSAGES["signature"] % {"name": name, "error": exc})
        return data


class CheckedPeriodicTaskAdmin(PeriodicTaskAdmin):
    form = CheckedPeriodicTaskForm


if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, CheckedPeriodicTaskAdmin)
