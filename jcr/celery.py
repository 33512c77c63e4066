"""The Celery application. Settings come from Django settings under the CELERY_ prefix."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")

app = Celery("jcr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs) -> None:
    """kombu's filesystem transport (the embedded default) needs its folders to exist."""
    if str(sender.conf.broker_url).startswith("filesystem:"):
        options = sender.conf.broker_transport_options or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
