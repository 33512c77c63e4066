"""Backup drill: a seeded database survives pg_dump / pg_restore into an empty database.

Real: two throwaway databases on the PostgreSQL server of DATABASE_URL (random names,
dropped at the end), `manage.py migrate` and `seed_demo --force` as subprocesses, e-mail rows
and audit entries written through the services, /usr/bin/pg_dump (custom format) and
pg_restore. Every model's row count (all apps, third-party included, with the automatic
many-to-many tables) is compared, and the append-only audit trigger is checked in the copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from urllib.parse import quote

import psycopg2
import pytest
from django.apps import apps
from django.db import connection
from psycopg2 import sql

from tests.fault_helpers import ROOT, subprocess_env

PG_DUMP = shutil.which("pg_dump", path="/usr/bin") or shutil.which("pg_dump")
PG_RESTORE = shutil.which("pg_restore", path="/usr/bin") or shutil.which("pg_restore")

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backup drill runs on PostgreSQL"),
    pytest.mark.skipif(not (PG_DUMP and PG_RESTORE), reason="pg_dump/pg_restore are not installed (postgresql-client)"),
]

ADD_ROWS = """
from django.db import transaction
from jcr.accounts.models import User
from jcr.core.audit import audit_record
from jcr.core.models import OutboundEmail
from jcr.core.services import email_message_queue
actor = User.objects.filter(is_superuser=True).first()
with transaction.atomic():
    for n in range(5):
        email = email_message_queue(to=f"backup{n}@example.org", subject=f"Backup {n}", body_text="Body")
        audit_record(action="drill.backup", obj=email, actor=actor, after={"n": n})
OutboundEmail.objects.filter(to="backup0@example.org").update(status=OutboundEmail.Status.DONE)
print(OutboundEmail.objects.count())
"""


def _server_params() -> dict:
    s = connection.settings_dict
    return {"user": s["USER"], "password": s["PASSWORD"] or None, "host": s["HOST"], "port": s["PORT"] or 5432}


def _url(dbname: str) -> str:
    p = _server_params()
    auth = quote(p["user"] or "", safe="") + (":" + quote(p["password"], safe="") if p["password"] else "")
    return f"postgres://{auth}@{p['host']}:{p['port']}/{dbname}"


def _admin(sql_text: sql.Composable) -> None:
    conn = psycopg2.connect(dbname="postgres", **_server_params())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql_text)
    finally:
        conn.close()


@pytest.fixture
def scratch_databases():
    """Two empty databases with random names, dropped at the end whatever happens."""
    suffix = uuid.uuid4().hex[:10]
    names = (f"jcr_backup_src_{suffix}", f"jcr_backup_dst_{suffix}")
    created = []
    try:
        for name in names:
            _admin(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
            created.append(name)
        yield names
    finally:
        for name in created:
            _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _run(args: list[str], env: dict[str, str] | None = None, timeout: int = 300) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args[:4])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _row_counts(dbname: str) -> dict[str, int]:
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if not m._meta.proxy})
    conn = psycopg2.connect(dbname=dbname, **_server_params())
    try:
        with conn.cursor() as cur:
            counts = {}
            for table in tables:
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cur.fetchone()[0]
            return counts
    finally:
        conn.close()


def test_backup_restores_every_row_and_the_audit_trigger(scratch_databases, tmp_path):
    source, target = scratch_databases
    env = subprocess_env(var_dir=tmp_path / "var", redis_url=None, DATABASE_URL=_url(source))
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "--noinput"], env)
    _run([*manage, "seed_demo", "--force", "--quiet-logins"], env)
    assert int(_run([*manage, "shell", "--no-imports", "-c", ADD_ROWS], env).strip().splitlines()[-1]) >= 5

    dump = tmp_path / "jcr.dump"
    _run([PG_DUMP, "--format=custom", "--no-owner", f"--file={dump}", _url(source)])
    assert dump.stat().st_size > 0
    _run([PG_RESTORE, "--no-owner", "--exit-on-error", f"--dbname={_url(target)}", str(dump)])

    before, after = _row_counts(source), _row_counts(target)
    assert after == before
    for table in ("accounts_user", "auth_group", "core_outboundemail", "core_auditentry", "core_area"):
        assert before[table] > 0, f"the seeded database should have rows in {table}"
    assert len(before) == len(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if not m._meta.proxy}
    )

    conn = psycopg2.connect(dbname=target, **_server_params())
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditentry_append_only' "
                "AND tgrelid = 'core_auditentry'::regclass"
            )
            assert cur.fetchone()[0] == 1
            # And it still works in the copy: history cannot be rewritten.
            with pytest.raises(psycopg2.Error):
                cur.execute("UPDATE core_auditentry SET action = 'rewritten'")
        conn.rollback()
    finally:
        conn.close()
