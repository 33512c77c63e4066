"""The database connection handling read from the environment (jcr.envparse.database_from_env)."""

import pytest

from jcr.envparse import database_from_env

POSTGRES = "postgres://postgres@127.0.0.1:5432/jcr"
SQLITE = "sqlite:////tmp/jcr.sqlite3"


@pytest.mark.parametrize(
    ("url", "conn_max_age", "expected"),
    [(POSTGRES, None, 60), (POSTGRES, "0", 0), (POSTGRES, "300", 300), (SQLITE, None, 0)],
)
def test_persistent_connections_with_health_checks(monkeypatch, url, conn_max_age, expected):
    monkeypatch.setenv("DATABASE_URL", url)
    if conn_max_age is None:
        monkeypatch.delenv("JCR_DB_CONN_MAX_AGE", raising=False)
    else:
        monkeypatch.setenv("JCR_DB_CONN_MAX_AGE", conn_max_age)
    database = database_from_env(SQLITE)
    assert database["CONN_MAX_AGE"] == expected
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["ATOMIC_REQUESTS"] is True


@pytest.mark.parametrize(("pgbouncer", "disabled"), [("true", True), ("false", False)])
def test_pgbouncer_turns_off_server_side_cursors(monkeypatch, pgbouncer, disabled):
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.setenv("JCR_PGBOUNCER", pgbouncer)
    assert database_from_env(SQLITE).get("DISABLE_SERVER_SIDE_CURSORS", False) is disabled
