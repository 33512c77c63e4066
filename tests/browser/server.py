"""The portal as the browser tests see it: gunicorn on 127.0.0.1 over its own database.

The browser tests do not use pytest-django's `live_server`: that serves from a thread of the
test process and forces `transactional_db`, whose flush after each test runs the ORM on the
main thread while Playwright's sync API keeps an asyncio loop marked as running there
(Django refuses: SynchronousOnlyOperation). Instead each pytest(-xdist) worker clones its test
database (CREATE DATABASE ... TEMPLATE, a file copy), seeds the clone in a subprocess and
serves it with gunicorn on a free loopback port. What the browser does (sign-ins, form
submits, sessions) stays in the clone, which is dropped at the end, so the other tests never
see it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Portal:
    url: str  # http://127.0.0.1:PORT (no trailing slash)
    seed: dict  # what seed.py printed

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, content type, body) of a plain anonymous GET, without a browser; redirects
        are not followed (a 302 is answered as such)."""
        try:
            with _OPENER.open(self.url + path, timeout=30) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _admin_connection(settings_dict: dict):
    import psycopg2

    params = {"dbname": "postgres", "user": settings_dict.get("USER") or None}
    for key, name in (("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if settings_dict.get(key):
            params[name] = settings_dict[key]
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    conn.autocommit = True
    return conn


def _drop(cursor, name: str) -> None:
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(settings_dict: dict, name: str) -> str:
    base = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((base.scheme, base.netloc, "/" + name, base.query, base.fragment))


def portal_start(env_extra: dict[str, str] | None = None):
    """Clone the test database, seed it, start gunicorn. Returns (Portal, stop)."""
    connection = connections["default"]
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("The browser tests need PostgreSQL (DATABASE_URL), as `make test` uses.")
    if settings_dict["NAME"] != connection.creation._get_test_db_name():
        # pytest-django sets up the test database only when a collected test asks for `db`;
        # when only browser tests run, make (or reuse) it here, migrated, the same way.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    source = settings_dict["NAME"]
    clone = f"{source}_browser"
    connections.close_all()  # a template must have no other connections
    admin = _admin_connection(settings_dict)
    with admin.cursor() as cursor:
        _drop(cursor, clone)
        cursor.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{source}"')
    workdir = Path(tempfile.mkdtemp(prefix="jcr-browser-"))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(settings_dict, clone),
        "DJANGO_SETTINGS_MODULE": "jcr.settings",
        "DJANGO_DEBUG": "false",
        "JCR_TESTING": "true",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # No Redis: a private in-memory cache (so rate limits and cached pages are this
        # server's alone) and a broker in a throw-away folder (no task reaches a real worker).
        "REDIS_URL": "",
        "JCR_VAR_DIR": str(workdir),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **(env_extra or {}),
    }
    stop_callbacks = []

    def stop():
        for callback in reversed(stop_callbacks):
            callback()

    def drop_clone():
        with admin.cursor() as cursor:
            _drop(cursor, clone)
        admin.close()

    stop_callbacks.append(drop_clone)
    try:
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.browser.seed"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        if seeded.returncode != 0:
            raise RuntimeError(f"Seeding the browser tests' database failed:\n{seeded.stdout}\n{seeded.stderr}")
        seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = _free_port()
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed by stop()
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "jcr.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def stop_server():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()

        stop_callbacks.append(stop_server)
        portal = Portal(f"http://127.0.0.1:{port}", seed)
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{(workdir / 'gunicorn.log').read_text()}")
            try:
                portal.get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s") from None
                time.sleep(0.2)
        portal.log_path = workdir / "gunicorn.log"
        portal.env = env  # what a helper process needs to reach the same database (tests.browser.backstage)
        return portal, stop
    except BaseException:
        stop()
        raise
