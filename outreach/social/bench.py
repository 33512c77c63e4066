"""`make bench` hook of social publishing, and its publishing drill:

    DATABASE_URL=... REDIS_URL=... python -m outreach.social.bench [--deliveries 10000] [--workers 2]

makes N deliveries due at once across Facebook, X, Nextdoor, Mastodon and Bluesky channel
accounts pointed at a local fake platform (a threaded HTTP server answering like each API),
starts `--workers` real Celery workers (`celery -A jcr worker`, one process each) on the
Redis broker, enqueues every due delivery with the real dispatcher, and waits until none is
left. It reports the throughput, the ratio to the fake platform's own raw request rate (one
plain HTTP client, no database, no broker), and whether every delivery went out exactly once
(the platform received each text once, and every row is published). `make bench` runs it
through `drills()`. Timings are reported, never asserted. Instagram and YouTube are left out:
each of their posts needs an image or a video file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRILL_PLATFORMS = ("facebook", "x", "nextdoor", "mastodon", "bluesky")


def pages() -> list[dict]:
    return [
        {"name": "social calendar (month)", "path": "/staff/outreach/social/calendar/?view=month",
         "persona": "outreach.supervisor@demo.jcr.example", "kind": "staff"},
        {"name": "social records archive", "path": "/staff/outreach/social/records/",
         "persona": "outreach.supervisor@demo.jcr.example", "kind": "staff"},
    ]  # fmt: skip


class FakePlatform:
    """Counts the posts it receives by their body and answers like Facebook (Page feed), X,
    Nextdoor, Mastodon and Bluesky (session, then record)."""

    SESSION = "/xrpc/com.atproto.server.createSession"

    def __init__(self):
        self.lock = threading.Lock()
        self.posts: dict[bytes, int] = {}
        self.by_path: dict[str, int] = {}
        self.n = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as two writes

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?", 1)[0]
                with fake.lock:
                    fake.n += 1
                    n = fake.n
                    if path != fake.SESSION:
                        fake.posts[body] = fake.posts.get(body, 0) + 1
                        fake.by_path[path] = fake.by_path.get(path, 0) + 1
                self.answer(fake.reply(path, n))

            def answer(self, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def reply(self, path: str, n: int) -> dict:
        if path == "/api/v1/statuses":
            return {"id": str(n), "url": f"https://mastodon.example/@da/{n}"}
        if path == "/2/tweets":
            return {"data": {"id": str(n), "text": ""}}
        if path.endswith("/feed"):
            return {"id": f"page_{n}"}
        if path == "/post/create":
            return {"id": str(n), "share_link": f"https://nextdoor.example/p/{n}"}
        if path == self.SESSION:
            return {"accessJwt": "jwt", "did": "did:plc:bench", "handle": "bench.bsky"}
        return {"uri": f"at://did:plc:bench/app.bsky.feed.post/{n}", "cid": "c"}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")
    import django

    django.setup()


def _raw_rate(url: str, n: int) -> float:
    import httpx

    with httpx.Client() as client:
        start = time.monotonic()
        for i in range(n):
            client.post(f"{url}/api/v1/statuses", json={"status": f"raw {i}"})
        return n / (time.monotonic() - start)


def _start_workers(count: int, log_dir: Path, env: dict | None) -> list[tuple[subprocess.Popen, Path]]:
    workers = []
    for i in range(count):
        log_path = log_dir / f"social-drill-worker-{i}.log"
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jcr",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"social-drill-{i}-{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=ROOT,
            env=env if env is not None else os.environ.copy(),
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append((process, log_path))
    return workers


def _wait_ready(workers, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for process, log_path in workers:
        while " ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"a drill worker did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)


def _stop_workers(workers) -> None:
    import signal

    for process, _log in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process, _log in workers:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _queue_length() -> int:
    from jcr.celery import app

    with app.connection_for_write() as conn:
        try:
            return conn.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=True).message_count
        except conn.channel_errors:  # no queue yet: nothing waiting
            return 0


def run_drill(*, deliveries: int, workers: int, timeout: float, log_dir: Path, env: dict | None = None) -> dict:
    """The drill itself (Django is set up; the workers get `env`, by default this process's
    environment). Leaves no rows behind."""
    from django.db.models import Count
    from django.utils import timezone

    from jcr.accounts.models import User
    from jcr.celery import app
    from outreach.social.models import ChannelAccount, Delivery, SocialPost
    from outreach.social.services_delivery import deliveries_dispatch

    D = Delivery.Status
    fake = FakePlatform()
    raw = _raw_rate(fake.url, 1000)
    fake.posts.clear()
    fake.by_path.clear()
    author = User.objects.filter(is_staff=True).order_by("pk").first()
    channels = []
    for platform in DRILL_PLATFORMS:
        channel = ChannelAccount(platform=platform, name=f"drill {platform}", base_url=fake.url, account_id="drill")
        channel.credentials_set({"access_token": "t", "identifier": "drill", "app_password": "p"})
        channel.save()
        channels.append(channel)
    now = timezone.now()
    posts = SocialPost.objects.bulk_create(
        [
            SocialPost(title=f"Drill {i}", body=f"Drill post {i}", author=author, approver=author, status="scheduled")
            for i in range(deliveries // len(channels) + 1)
        ]
    )
    rows = [
        Delivery(post=p, channel=c, text=f"Drill post {p.pk} on {c.platform}", publish_at=now, next_attempt_at=now)
        for p in posts
        for c in channels
    ][:deliveries]
    Delivery.objects.bulk_create(rows, batch_size=2000)
    mine = Delivery.objects.filter(channel__in=channels)
    app.control.purge()
    started = _start_workers(workers, log_dir, env)
    try:
        _wait_ready(started)
        start = time.monotonic()
        passes = 0
        while time.monotonic() - start < timeout:
            left = mine.filter(status__in=[D.SCHEDULED, D.PUBLISHING]).count()
            if not left:
                break
            if _queue_length() == 0:  # the beat's minute pass, when the queue has drained
                deliveries_dispatch(limit=deliveries)
                passes += 1
            time.sleep(0.5)
        elapsed = time.monotonic() - start
    finally:
        _stop_workers(started)
        fake.stop()
    statuses = dict(mine.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    published = statuses.get(D.PUBLISHED, 0)
    duplicates = sum(1 for count in fake.posts.values() if count > 1)
    rate = published / elapsed if elapsed else 0.0
    report = {
        "name": "social publishing drill",
        "deliveries": len(rows),
        "workers": workers,
        "platforms": list(DRILL_PLATFORMS),
        "statuses": statuses,
        "platform_posts": sum(fake.posts.values()),
        "platform_posts_by_path": fake.by_path,
        "duplicate_posts": duplicates,
        "exactly_once": published == len(rows) == sum(fake.posts.values()) and duplicates == 0,
        "dispatch_passes": passes,
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(rate, 1),
        "fake_platform_raw_requests_per_second": round(raw, 1),
        "ratio_to_raw": round(rate / raw, 3) if raw else None,
    }
    mine.delete()
    SocialPost.objects.filter(pk__in=[p.pk for p in posts]).delete()
    ChannelAccount.objects.filter(pk__in=[c.pk for c in channels]).delete()
    return report


def drills(env: dict, log_dir: Path) -> list[dict]:
    """`make bench`: the drill in its own process, on the bench database and broker."""
    count = os.environ.get("BENCH_SOCIAL_DELIVERIES", "10000")
    out = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "outreach.social.bench", "--deliveries", count, "--workers", "2", "--json"],
        cwd=ROOT,
        env={**env, "JCR_BENCH_LOG_DIR": str(log_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        report = {"name": "social publishing drill", "exactly_once": False, "error": out.stderr[-2000:]}
    return [report]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--json", action="store_true", help="print the report on one line")
    args = parser.parse_args()
    _setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    log_dir = Path(os.environ.get("JCR_BENCH_LOG_DIR") or ROOT / "var" / "bench")
    log_dir.mkdir(parents=True, exist_ok=True)
    report = run_drill(deliveries=args.deliveries, workers=args.workers, timeout=args.timeout, log_dir=log_dir)
    print(json.dumps(report) if args.json else json.dumps(report, indent=1))
    return 0 if report["exactly_once"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
