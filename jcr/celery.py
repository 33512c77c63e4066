"""The Celery application. Settings come from Django settings under the CELERY_ prefix."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")

from jcr.core import logs

app = Celery("jcr")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Every package whose `tasks` module the worker and beat import: each installed app and
    each of its feature packages (`outreach.social` for outreach/social/tasks.py)."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        found.append(config.name)
        for sub in sorted(Path(config.path).iterdir()):
            if (sub / "__init__.py").is_file() and (sub / "tasks.py").is_file():
                found.append(f"{config.name}.{sub.name}")
    return found


app.autodiscover_tasks(task_packages)


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs) -> None:
    """kombu's filesystem transport (the embedded default) needs its folders to exist."""
    if str(sender.conf.broker_url).startswith("filesystem:"):
        options = sender.conf.broker_transport_options or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)


@setup_logging.connect
def _logging_from_django(**kwargs) -> None:
    """The worker and beat log through Django's LOGGING (JSON or plain, request id on every
    line) instead of Celery's own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


before_task_publish.connect(logs.on_before_task_publish, dispatch_uid="jcr.logs.publish", weak=False)
task_prerun.connect(logs.on_task_prerun, dispatch_uid="jcr.logs.prerun", weak=False)
task_postrun.connect(logs.on_task_postrun, dispatch_uid="jcr.logs.postrun", weak=False)
