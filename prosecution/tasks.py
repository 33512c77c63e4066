"""The unit's Celery tasks live in its feature packages (names pinned: "prosecution.<feature>.
<function>"). Celery's autodiscovery imports `prosecution.tasks`; importing the features' task
modules here is what registers them in a worker."""

from prosecution.concerns import tasks as concerns_tasks
from prosecution.partners import tasks as partners_tasks
from prosecution.transparency import tasks as transparency_tasks

__all__ = ["concerns_tasks", "partners_tasks", "transparency_tasks"]
