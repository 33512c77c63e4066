"""Real processes for the fault drills: a private redis-server, Celery workers, and the
environment a subprocess needs to reach the test database. Everything listens on 127.0.0.1
on a free port, so drills run side by side under pytest-xdist."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = Path("/usr/bin/redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.2, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server of our own, without persistence, stopped and started on one port."""

    def __init__(self, port: int, workdir: Path):
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def start(self) -> None:
        assert self.process is None, "already running"
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--save", "", "--appendonly", "no", "--port", str(self.port), "--bind", "127.0.0.1"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                return bool(self.client().ping())
            except redis.RedisError:
                assert self.process.poll() is None, "redis-server exited at start"
                return False

        wait_for(answers, timeout=10, interval=0.05, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def reset_celery_connections(app) -> None:
    """Forget the pooled broker connections, so the next publish uses app.conf as it is now."""
    if app._pool is not None:
        # A pool of connections to a broker that was stopped may fail to close.
        with contextlib.suppress(Exception):
            app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path):
    """A running private redis-server; stopped at the end whatever happens."""
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def celery_on_private_redis(private_redis):
    """The in-process Celery app (the one views and the sweep publish with) points at the
    private redis for the test, then back."""
    from jcr.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = private_redis.url
    reset_celery_connections(app)
    try:
        yield private_redis
    finally:
        reset_celery_connections(app)
        app.conf.broker_url = previous


def database_url() -> str:
    """The URL of the database this test uses (the test database, not DATABASE_URL's)."""
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def subprocess_env(*, var_dir: Path, redis_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a portal process in a drill: the test database, our broker, mail
    written as files under var_dir/mail (unless DJANGO_EMAIL_BACKEND is given)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "JCR_", "CELERY_", "FAULT_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DATABASE_URL": database_url(),
            "DJANGO_SECRET_KEY": "fault-drill-secret",
            "DJANGO_DEBUG": "false",
            "JCR_TESTING": "true",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "JCR_VAR_DIR": str(var_dir),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


class Worker:
    """A real `celery -A jcr worker` in its own process group, its log in a file."""

    def __init__(self, env: dict[str, str], log_path: Path, *, pool: str = "prefork", concurrency: int = 1):
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jcr",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"drill-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 40) -> None:
        def ready() -> bool:
            assert self.process.poll() is None, f"worker exited at start:\n{self.log()}"
            return " ready." in self.log()

        wait_for(ready, timeout=timeout, what="the worker to be ready")

    def wait_log(self, pattern: str, *, timeout: float = 30) -> re.Match:
        return wait_for(lambda: re.search(pattern, self.log()), timeout=timeout, what=f"worker log {pattern!r}")

    def kill_all(self) -> None:
        """SIGKILL the whole worker: main process and pool children (a machine that dies)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown, then SIGKILL for whatever is left of the group."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def start_worker(tmp_path):
    """Start real workers; every one is stopped at the end of the test."""
    workers: list[Worker] = []

    def start(env: dict[str, str], *, name: str = "worker", **kwargs) -> Worker:
        worker = Worker(env, tmp_path / f"{name}-{len(workers)}.log", **kwargs)
        workers.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()


def sent_messages(mail_dir: Path) -> list[str]:
    """Messages written by Django's file e-mail backend (one file per connection, messages
    separated by a line of dashes)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.is_dir() else []:
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "Message-ID:" in chunk:
                messages.append(chunk)
    return messages
