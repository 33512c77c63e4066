"""Celery's autodiscovery (jcr/celery.py) imports `<app>.tasks` only: this module makes a
worker register the tasks of the feature packages. The tasks themselves live in
govrelations/bills/tasks.py and govrelations/hearings/tasks.py."""

from govrelations.bills import tasks as bills_tasks
from govrelations.hearings import tasks as hearings_tasks

__all__ = ["bills_tasks", "hearings_tasks"]
