"""Celery tasks of the Justice, Training & Integrity Unit (each part in tasks_<part>.py)."""

from integrity.tasks_records import record_deadline_reminders_send  # noqa: F401
