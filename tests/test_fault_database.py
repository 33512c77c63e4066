"""Fault drill: the database connection is lost for a moment.

jcr.core.middleware.DatabaseUnavailableMiddleware turns OperationalError / InterfaceError into
a 503 page with Retry-After, rendered without the database; CONN_HEALTH_CHECKS replaces a
dead persistent connection at the start of the next request.

Real in the drills: PostgreSQL, pg_terminate_backend from another connection, and (for the
web server) a gunicorn process with persistent connections (JCR_DB_CONN_MAX_AGE=600) and the
settings as they are. In the in-process drills the Django test client stands in for the WSGI
server, so the close_old_connections() a real server runs around each request (through
request_started / request_finished, which the test client leaves out) is called by the test.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import psycopg2
import pytest
from django.core.cache import caches
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.http import HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory

from jcr.accounts.tests.factories import UserFactory
from jcr.core import middleware
from jcr.core.middleware import DatabaseUnavailableMiddleware
from tests.fault_helpers import ROOT, database_url, free_port, subprocess_env, wait_for

H1 = "The portal is briefly unavailable</h1>"


def _assert_503_page(status: int, headers, body: str) -> None:
    assert status == 503
    assert headers["Retry-After"] == str(middleware.RETRY_AFTER_SECONDS)
    assert H1 in body
    assert body.count("<h1") == 1


# --- The middleware alone (no database: any query would fail these tests) ----------------


def _raising(exc):
    def get_response(request):
        raise exc

    return get_response


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_middleware_answers_503_for_a_database_error_in_the_view(error):
    request = RequestFactory().get("/somewhere/")
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse()).process_exception(request, error)
    _assert_503_page(response.status_code, response, response.content.decode())
    assert response["Cache-Control"] == "no-store"
    assert 'href="/somewhere/"' in response.content.decode()  # "try again" goes back to the same page


def test_middleware_leaves_other_exceptions_alone():
    request = RequestFactory().get("/")
    mw = DatabaseUnavailableMiddleware(_raising(ValueError("a bug")))
    assert mw.process_exception(request, ValueError("a bug")) is None
    with pytest.raises(ValueError, match="a bug"):
        mw(request)


def test_middleware_sees_a_database_error_raised_as_the_cause_of_another():
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as exc:
            raise RuntimeError("while loading the page") from exc
    except RuntimeError as wrapped:
        error = wrapped
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponse()).process_exception(
        RequestFactory().get("/"), error
    )
    assert response.status_code == 503


def test_middleware_replaces_the_500_of_an_inner_middleware_that_lost_the_database():
    """An inner middleware's exception becomes a 500 before this middleware sees it; the
    got_request_exception receiver marks the request so the 500 becomes the 503 page, and
    the headers the inner middleware set (here CSP) are kept."""

    def inner(request):
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError:
            got_request_exception.send(sender=None, request=request)
        response = HttpResponseServerError("Server error")
        response["Content-Security-Policy"] = "default-src 'self'"
        return response

    response = DatabaseUnavailableMiddleware(inner)(RequestFactory().get("/"))
    _assert_503_page(response.status_code, response, response.content.decode())
    assert response["Content-Security-Policy"] == "default-src 'self'"
    assert response["Content-Type"].startswith("text/html")


def test_an_ordinary_500_stays_a_500():
    response = DatabaseUnavailableMiddleware(lambda r: HttpResponseServerError("boom"))(RequestFactory().get("/"))
    assert response.status_code == 500


def test_503_page_falls_back_to_plain_text_when_it_cannot_render(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(middleware.loader, "render_to_string", broken)
    response = middleware.database_unavailable_response(RequestFactory().get("/"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response["Retry-After"] == str(middleware.RETRY_AFTER_SECONDS)
    assert response.content.decode() == middleware.PLAIN_503


def test_503_page_is_translated():
    request = RequestFactory().get("/es/")
    request.LANGUAGE_CODE = "es"
    response = middleware.database_unavailable_response(request)
    assert "El portal no está disponible por un momento</h1>" in response.content.decode()


# --- Real connection losses, in process -------------------------------------------------


def _admin_connection():
    """A connection of our own to the server (database "postgres"), for killing backends and
    refusing connections."""
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"] or None, host=s["HOST"], port=s["PORT"] or 5432
    )
    conn.autocommit = True
    return conn


def _terminate(pids) -> None:
    """pg_terminate_backend, then wait until the backends are gone. The admin connection stays
    in autocommit (no `with conn:`, which opens a transaction in psycopg2 2.9 and would freeze
    the pg_stat_activity snapshot)."""
    admin = _admin_connection()
    left: list = []
    try:
        cur = admin.cursor()
        for pid in pids:
            cur.execute("SELECT pg_terminate_backend(%s)", [pid])

        def gone() -> bool:
            cur.execute("SELECT pid, state, wait_event FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
            left[:] = cur.fetchall()
            return not left

        try:
            wait_for(gone, timeout=20, interval=0.05, what="the backends to end")
        except AssertionError as exc:
            raise AssertionError(f"backends still there after pg_terminate_backend: {left}") from exc
    finally:
        admin.close()


def _serve(client: Client, path: str):
    """One request the way a WSGI server runs it: close_old_connections() before (request_
    started) and after (request_finished). The page cache is emptied first: a cached public
    page is served without the database, which would hide the outage from this drill."""
    caches["pages"].clear()
    close_old_connections()
    try:
        return client.get(path)
    finally:
        close_old_connections()


@pytest.fixture
def persistent_connection(monkeypatch):
    """This thread's connection (the one the test client's requests use) kept across
    requests, as with JCR_DB_CONN_MAX_AGE > 0."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    yield connection
    connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous-home", "signed-in-private-page"])
def test_killed_connection_without_health_checks_gives_503_then_recovers(persistent_connection, monkeypatch, signed_in):
    """Without CONN_HEALTH_CHECKS the first request after the kill meets the dead connection:
    503 page (in the view for the anonymous home page, in a middleware loading the session for
    the signed-in page); Django drops the broken connection at the end of that request and the
    next one is served normally."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    client = Client(raise_request_exception=False)
    path = "/"
    if signed_in:
        client.force_login(UserFactory(email="signed-in@example.org"))
        path = "/accounts/submissions/"
    assert _serve(client, path).status_code == 200
    pid = connection.connection.get_backend_pid()
    assert _serve(client, path).status_code == 200
    assert connection.connection.get_backend_pid() == pid, "the connection should persist across requests"

    _terminate([pid])
    response = _serve(client, path)
    _assert_503_page(response.status_code, response, response.content.decode())

    response = _serve(client, path)
    assert response.status_code == 200
    assert connection.connection.get_backend_pid() != pid


@pytest.mark.django_db(transaction=True)
def test_killed_connection_with_health_checks_is_replaced_without_an_error(persistent_connection):
    """With CONN_HEALTH_CHECKS (the setting) the dead connection is found at the start of the
    next request and replaced: the resident never sees the kill."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    client = Client(raise_request_exception=False)
    assert _serve(client, "/").status_code == 200
    pid = connection.connection.get_backend_pid()
    _terminate([pid])
    assert _serve(client, "/").status_code == 200
    assert connection.connection.get_backend_pid() != pid


# --- Real connection losses, real web server --------------------------------------------

APP_NAME = "jcr-fault-drill-web"


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - http://127.0.0.1 built here
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def _web_backends(cur, dbname: str) -> list[int]:
    cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = %s", [dbname, APP_NAME])
    return [row[0] for row in cur.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_web_server_survives_a_killed_connection_and_a_database_that_refuses_connections(tmp_path):
    """A real gunicorn (one sync worker, persistent connections, settings as deployed):
    1. its connection is killed: the next request is served (health check, new connection);
    2. the database refuses new connections for a moment and the connection is killed: the
       request gets the 503 page; once connections are allowed again, the next gets 200."""
    dbname = connection.settings_dict["NAME"]
    port = free_port()
    env = subprocess_env(
        var_dir=tmp_path / "var",
        redis_url=None,
        DATABASE_URL=f"{database_url()}?application_name={APP_NAME}",
        JCR_DB_CONN_MAX_AGE="600",
    )
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jcr.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    admin = _admin_connection()
    refusing = False
    try:
        # A page that is never served from the public page cache: every request uses the database.
        url = f"http://127.0.0.1:{port}/accounts/login/"

        def up():
            assert web.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                return _get(url)[0] == 200
            except OSError:
                return False

        wait_for(up, timeout=30, what="gunicorn to answer")
        cur = admin.cursor()
        first = _web_backends(cur, dbname)
        assert len(first) == 1, "one persistent connection expected"

        # 1. A killed connection is replaced without an error.
        _terminate(first)
        status, _headers, _body = _get(url)
        assert status == 200
        second = _web_backends(cur, dbname)
        assert len(second) == 1
        assert second != first

        # 2. The database refuses connections for a moment.
        cur.execute(f'ALTER DATABASE "{dbname}" WITH ALLOW_CONNECTIONS false')
        refusing = True
        _terminate(second)
        started = time.monotonic()
        status, headers, body = _get(url)
        assert time.monotonic() - started < 5
        _assert_503_page(status, headers, body)

        cur.execute(f'ALTER DATABASE "{dbname}" WITH ALLOW_CONNECTIONS true')
        refusing = False
        status, _headers, body = _get(url)
        assert status == 200
        assert H1 not in body
        assert "database unavailable: GET /accounts/login/ answered 503" in (tmp_path / "gunicorn.log").read_text()
    finally:
        if refusing:
            admin.cursor().execute(f'ALTER DATABASE "{dbname}" WITH ALLOW_CONNECTIONS true')
        admin.close()
        web.terminate()
        try:
            web.wait(timeout=15)
        except subprocess.TimeoutExpired:
            web.kill()
            web.wait(timeout=10)
        log.close()
