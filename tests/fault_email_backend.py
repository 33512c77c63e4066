"""An e-mail backend for the worker-kill drill, used only by worker subprocesses (through
DJANGO_EMAIL_BACKEND): it records each message it is handed in a marker file named after the
process, then blocks, so the test can kill the worker while the row is in flight."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class BlockingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        marker_dir = Path(os.environ["FAULT_MARKER_DIR"])
        for message in email_messages:
            record = {"pid": os.getpid(), "to": message.to, "subject": message.subject}
            (marker_dir / f"sent-{uuid.uuid4().hex}.json").write_text(json.dumps(record))
        time.sleep(float(os.environ.get("FAULT_BLOCK_SECONDS", "120")))
        return len(email_messages)
