"""The embedded default of `make run`, end to end: a fresh SQLite database and the server-less
(filesystem) broker; migrate, seed, a real Celery worker process sends a real e-mail queued by
the portal, and the real web server renders the home page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.smoke


def _env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "JCR_", "CELERY_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update({"DJANGO_DEBUG": "true", "JCR_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"})
    return env


def _manage(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


QUEUE_EMAIL = """
from django.db import transaction
from jcr.accounts.models import User
from jcr.core.services import email_queue
user = User.objects.get(email="admin@demo.jcr.example")
with transaction.atomic():
    email = email_queue(to="smoke@example.org", template="accounts/invitation",
                        context={"user": user, "link": "http://127.0.0.1/x"}, language="es")
print(email.pk)
"""

EMAIL_STATUS = "from jcr.core.models import OutboundEmail; print(OutboundEmail.objects.get(pk={pk}).status)"


def test_smoke_embedded_default_runs_worker_and_renders_home(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput")
    _manage(env, "compile_translations")
    out = _manage(env, "seed_demo")
    assert "prosecutor@demo.jcr.example" in out
    assert "demo_otp" in out
    _manage(env, "seed_demo", "--quiet-logins")  # idempotent
    assert (tmp_path / "jcr.sqlite3").is_file()

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jcr", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    port = _free_port()
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pk = _manage(env, "shell", "--no-imports", "-c", QUEUE_EMAIL).strip().splitlines()[-1]
        status = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = _manage(env, "shell", "--no-imports", "-c", EMAIL_STATUS.format(pk=pk)).strip()
            if status == "done":
                break
            time.sleep(1)
        assert status == "done", f"the worker did not send the e-mail (status {status!r})"
        sent = list((tmp_path / "mail").glob("*.log"))
        assert sent, "no message written by the file e-mail backend"
        message = sent[0].read_text()
        assert "smoke@example.org" in message
        assert "Le invitamos a la" in message  # rendered in the row's language (Spanish)

        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "Community Relations Bureau</h1>" in body
        assert "Downtown/Midtown" in body  # demo data reached the page
        assert "Prosecutor to be assigned" not in body  # every demo district has its prosecutor
        # The site search on SQLite: a public project found by its title links to its page.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search/?q=Stockton+motel", timeout=10) as response:
            assert response.status == 200
            found = response.read().decode()
        assert "Motel on Stockton Boulevard" in found
        assert re.search(r'href="/community-prosecution/projects/[0-9a-f]{8}-[0-9a-f-]{27}/"', found), found[-3000:]
    finally:
        web.terminate()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        web.wait(timeout=20)
