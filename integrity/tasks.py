"""Celery tasks of the Justice, Training & Integrity Unit (each part keeps its own module,
imported here so that the worker discovers it)."""

from integrity.tasks_policies import bulletin_reminders_send  # noqa: F401
from integrity.tasks_records import record_deadline_reminders_send  # noqa: F401
from integrity.tasks_training import mcle_reminders_send  # noqa: F401
