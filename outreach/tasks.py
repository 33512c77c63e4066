"""Tasks of the unit that do not live in a feature package yet: the worker imports this module
(jcr.celery.task_packages) and so registers them. The tasks of programs, events and dialogues
are in their packages' `tasks.py`, which the worker imports directly."""

from outreach import tasks_media, tasks_social

__all__ = ["tasks_media", "tasks_social"]
