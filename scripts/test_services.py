"""PostgreSQL and Redis for `make test` and `make bench`, then the given command with their URLs.

    python scripts/test_services.py COMMAND [ARG ...]

For each of the two services, in this order:

1. DATABASE_URL / REDIS_URL set: used as given. When it does not answer within a few seconds
   the run stops with one line saying which URL and why.
2. Otherwise, what answers on 127.0.0.1:5432 (user postgres, trust; database jcr) /
   127.0.0.1:6379 (database 0). JCR_TEST_PG_PORT / JCR_TEST_REDIS_PORT change the port looked
   at (a port where nothing listens makes the run start its own); JCR_TEST_DB_NAME /
   JCR_TEST_REDIS_DB the database used there, so that runs sharing one server keep apart.
3. Otherwise a throwaway one, started here from the system's binaries (installed with apt-get
   when missing and running as root): a PostgreSQL cluster (initdb + pg_ctl, trust auth, fsync
   off, unix socket beside the data) and a redis-server without persistence, each on a free
   port on 127.0.0.1, with data, pid and log under var/test-services/<pid>/. Both are stopped
   and removed when the command ends, whatever its outcome (success, failure, Ctrl-C, SIGTERM);
   one left over by a run that was killed outright is stopped by the next run.

The command runs with DATABASE_URL and REDIS_URL exported; its exit status is returned.
"""

# ruff: noqa: S603, S607  (fixed argument lists of system binaries, never a shell)

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
STATE_ROOT = ROOT / "var" / "test-services"
TIMEOUT = 3  # seconds a given or default service has to answer
PREFIX = "test services:"


def say(message: str) -> None:
    print(f"{PREFIX} {message}", file=sys.stderr, flush=True)


class Refused(Exception):
    """A service cannot be used; the message is the one line shown."""


def shown(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- probes ---------------------------------------------------------------------------------


def postgres_answers(url: str) -> None:
    """Connect within TIMEOUT seconds and make sure the URL's database exists (the suite builds
    test_<name> itself; <name> is opened by `makemigrations --check`). Raises Refused."""
    import psycopg2

    parts = urlsplit(url)
    try:
        conn = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=TIMEOUT,
        )
    except psycopg2.Error as exc:
        raise Refused(first_line(exc)) from exc
    try:
        name = (parts.path or "/").lstrip("/")
        if name:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
    except psycopg2.Error as exc:
        raise Refused(f"cannot create database {name}: {first_line(exc)}") from exc
    finally:
        conn.close()


def redis_answers(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise Refused(first_line(exc)) from exc


# --- system binaries ------------------------------------------------------------------------


def apt_install(packages: list[str], what: str) -> None:
    if os.geteuid() != 0:
        raise Refused(
            f"{what} needs the system packages {' '.join(packages)} (sudo apt-get install {' '.join(packages)})"
        )
    say(f"installing system packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env, stdout=subprocess.DEVNULL)


def postgres_bin() -> Path:
    def found() -> Path | None:
        dirs = sorted(
            (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
            key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0,
        )
        if dirs:
            return dirs[-1]
        initdb = shutil.which("initdb")
        return Path(initdb).parent if initdb else None

    if (bindir := found()) is None:
        apt_install(["postgresql"], "a throwaway PostgreSQL")
        if (bindir := found()) is None:
            raise Refused("initdb not found after installing postgresql")
    return bindir


def redis_server_bin() -> str:
    if (path := shutil.which("redis-server")) is None:
        apt_install(["redis-server"], "a throwaway Redis")
        if (path := shutil.which("redis-server")) is None:
            raise Refused("redis-server not found after installing it")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- throwaway services ---------------------------------------------------------------------


def unprivileged_user() -> pwd.struct_passwd | None:
    """initdb and postgres refuse to run as root: as root, run them as `postgres`, else `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "nobody"], check=True)
    return pwd.getpwnam("nobody")


class Postgres:
    def __init__(self, state: Path):
        self.bindir = postgres_bin()
        self.user = unprivileged_user()
        self.port = free_port()
        self.home = self._home(state)
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{os.environ.get('JCR_TEST_DB_NAME') or 'jcr'}"
        self.started = False

    def _home(self, state: Path) -> Path:
        """A directory the server's user owns and can reach, with a short enough socket path."""
        home = state / "pg"
        home.mkdir(parents=True)
        if self.user is not None:
            os.chown(home, self.user.pw_uid, self.user.pw_gid)
        reachable = self.user is None or self._as_user(["test", "-w", str(home)], check=False).returncode == 0
        if reachable and len(str(home)) < 80:
            return home
        # var/ lies where that user cannot go (e.g. under /root) or too deep for a socket path.
        home.rmdir()
        home = Path(tempfile.mkdtemp(prefix="jcr-test-pg-"))
        if self.user is not None:
            os.chown(home, self.user.pw_uid, self.user.pw_gid)
        (state / "pg-home").write_text(str(home))
        return home

    def _as_user(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.user is not None:
            argv = ["runuser", "-u", self.user.pw_name, "--", *argv]
        kwargs.setdefault("check", True)
        return subprocess.run(argv, cwd="/", **kwargs)

    def start(self) -> None:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
        try:
            self._as_user(
                [
                    str(self.bindir / "initdb"),
                    *("-D", str(self.data), "-U", "postgres", "--auth=trust"),
                    *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
                ],
                **quiet,
            )
        except subprocess.CalledProcessError as exc:
            raise Refused(f"initdb failed: {(exc.stderr or '').strip() or exc}") from exc
        options = " ".join(
            [
                f"-c port={self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.home}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        self.started = True  # from here on, stop() has something to stop
        try:
            self._as_user(
                [
                    str(self.bindir / "pg_ctl"),
                    *("start", "-w", "-t", "60", "-D", str(self.data)),
                    *("-l", str(self.log), "-o", options),
                ],
                start_new_session=True,  # Ctrl-C in the terminal reaches the tests, not the server
                **quiet,
            )
        except subprocess.CalledProcessError as exc:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-1:] if self.log.exists() else []
            raise Refused(f"PostgreSQL did not start: {(tail or [exc.stderr.strip()])[0]}") from exc
        postgres_answers(self.url)

    def stop(self) -> None:
        if self.started and (self.data / "postmaster.pid").exists():
            self._as_user(
                [str(self.bindir / "pg_ctl"), "stop", "-w", "-t", "30", "-m", "fast", "-D", str(self.data)],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(self.home, ignore_errors=True)


class Redis:
    def __init__(self, state: Path):
        self.binary = redis_server_bin()
        self.port = free_port()
        self.home = state / "redis"
        self.home.mkdir(parents=True)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                *("--dir", str(self.home), "--pidfile", str(self.home / "redis.pid")),
                *("--logfile", str(self.home / "redis.log"), "--daemonize", "no"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                raise Refused(f"redis-server exited at start (see {self.home / 'redis.log'})")
            try:
                redis_answers(self.url)
                return
            except Refused:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_leftovers() -> None:
    """Stop what a run killed outright (SIGKILL, power loss) left behind under var/test-services/."""
    if not STATE_ROOT.is_dir():
        return
    for state in STATE_ROOT.iterdir():
        if not state.name.isdigit() or alive(int(state.name)):
            continue
        pg_home = Path(pf.read_text()) if (pf := state / "pg-home").exists() else state / "pg"
        pidfile = pg_home / "data" / "postmaster.pid"
        redis_pidfile = state / "redis" / "redis.pid"
        for pidfile_, name in ((pidfile, "postgres"), (redis_pidfile, "redis-server")):
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int(pidfile_.read_text().split()[0])
                if name in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    os.kill(pid, signal.SIGQUIT if name == "postgres" else signal.SIGTERM)
                    say(f"stopped a {name} left over by an earlier run (pid {pid})")
        if pg_home != state / "pg":
            shutil.rmtree(pg_home, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)


# --- the run --------------------------------------------------------------------------------


def env_number(name: str, default: int) -> int:
    """A number from the environment (a port, a Redis database)."""
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise Refused(f"{name} must be a number, not {value!r}") from None


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2

    child: subprocess.Popen | None = None
    own: list[Postgres | Redis] = []

    def on_signal(signum, frame):
        if child is not None and child.poll() is None:
            if signum != signal.SIGINT:  # the terminal already sent SIGINT to the whole group
                child.send_signal(signum)
            return
        raise SystemExit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    state = STATE_ROOT / str(os.getpid())
    try:
        clear_leftovers()
        env = dict(os.environ)

        db_url = os.environ.get("DATABASE_URL", "")
        if db_url:
            try:
                postgres_answers(db_url)
            except Refused as exc:
                raise Refused(f"DATABASE_URL={shown(db_url)} does not answer: {exc}") from exc
            say(f"PostgreSQL: DATABASE_URL ({shown(db_url)})")
        else:
            port = env_number("JCR_TEST_PG_PORT", 5432)
            db_url = f"postgres://postgres@127.0.0.1:{port}/{os.environ.get('JCR_TEST_DB_NAME') or 'jcr'}"
            try:
                postgres_answers(db_url)
                say(f"PostgreSQL: the one answering on 127.0.0.1:{port} ({db_url})")
            except Refused as exc:
                say(f"PostgreSQL: nothing usable on 127.0.0.1:{port} ({exc}); starting a throwaway cluster")
                pg = Postgres(state)
                own.append(pg)
                pg.start()
                db_url = pg.url
                say(f"PostgreSQL: throwaway cluster, {db_url} (data in {pg.home})")
        env["DATABASE_URL"] = db_url

        redis_url = os.environ.get("REDIS_URL", "")
        if redis_url:
            try:
                redis_answers(redis_url)
            except Refused as exc:
                raise Refused(f"REDIS_URL={shown(redis_url)} does not answer: {exc}") from exc
            say(f"Redis: REDIS_URL ({shown(redis_url)})")
        else:
            port = env_number("JCR_TEST_REDIS_PORT", 6379)
            redis_url = f"redis://127.0.0.1:{port}/{env_number('JCR_TEST_REDIS_DB', 0)}"
            try:
                redis_answers(redis_url)
                say(f"Redis: the one answering on 127.0.0.1:{port} ({redis_url})")
            except Refused as exc:
                say(f"Redis: nothing on 127.0.0.1:{port} ({exc}); starting a throwaway redis-server")
                rd = Redis(state)
                own.append(rd)
                rd.start()
                redis_url = rd.url
                say(f"Redis: throwaway redis-server, {redis_url} (log in {rd.home})")
        env["REDIS_URL"] = redis_url

        child = subprocess.Popen(argv, env=env)
        status = child.wait()
        return 128 - status if status < 0 else status  # killed by a signal: 128 + its number, as a shell says
    except Refused as exc:
        say(str(exc))
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # let the cleanup finish
        for service in reversed(own):
            try:
                service.stop()
            except Exception as exc:  # keep stopping the others
                say(f"could not stop {type(service).__name__}: {first_line(exc)}")
        if own:
            say(
                "stopped the throwaway " + " and ".join(type(s).__name__.replace("Postgres", "PostgreSQL") for s in own)
            )
        shutil.rmtree(state, ignore_errors=True)
        with contextlib.suppress(OSError):
            STATE_ROOT.rmdir()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
