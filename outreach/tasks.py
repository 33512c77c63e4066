"""The unit's task modules, imported here so that the worker registers every task of the
unit (Celery's autodiscovery imports `<app>.tasks` only). Each task lives in its feature's
`tasks.py` under a pinned name (`outreach.<feature>.<function>`)."""

from outreach import tasks_media, tasks_social
from outreach.dialogues import tasks as dialogues_tasks
from outreach.events import tasks as events_tasks

__all__ = ["dialogues_tasks", "events_tasks", "tasks_media", "tasks_social"]
