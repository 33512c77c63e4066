"""Celery tasks of the Justice, Training & Integrity Unit (found by autodiscovery); each part
keeps its own in a module of its own."""

from integrity.tasks_training import mcle_reminders_send  # noqa: F401
