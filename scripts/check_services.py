"""Stop `make test` at once, with instructions, when PostgreSQL or Redis is not reachable."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlparse

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jcr"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def check_postgres(url: str) -> str | None:
    import psycopg2

    parts = urlparse(url)
    try:
        conn = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        )
        # The suite builds its own test_<name> database; <name> itself is only opened by
        # `makemigrations --check`, so make sure it exists.
        name = (parts.path or "/").lstrip("/")
        if name:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
    except psycopg2.OperationalError as exc:
        return (
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({str(exc).strip()}).\n"
            "  Start it:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
            "  or point DATABASE_URL at a running server."
        )
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return (
            f"Redis is not reachable at {url} ({exc}).\n"
            '  Start it:  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
            "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log\n"
            "  or point REDIS_URL at a running server."
        )
    return None


def main() -> int:
    problems = [
        p
        for p in (
            check_postgres(os.environ.get("DATABASE_URL", DEFAULT_DB)),
            check_redis(os.environ.get("REDIS_URL", DEFAULT_REDIS)),
        )
        if p
    ]
    for problem in problems:
        print(f"make test: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
