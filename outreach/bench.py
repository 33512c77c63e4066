"""`make bench` hook of social publishing, and a drill of its own:

    DATABASE_URL=... python -m outreach.bench [--deliveries 10000] [--workers 2]

makes N deliveries due at once across Mastodon, X and Bluesky channel accounts pointed at a
local fake platform (a threaded HTTP server answering like each API), publishes them with
`--workers` processes that each run the real claim-and-publish service over the whole due
list (so they race for every row), and reports the throughput, the ratio to the fake
platform's own raw request rate (one plain HTTP client, no database), and whether every
delivery went out exactly once. Timings are reported, never asserted."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def pages() -> list[dict]:
    return [
        {"name": "social calendar (month)", "path": "/staff/outreach/social/calendar/?view=month",
         "persona": "outreach.supervisor@demo.jcr.example", "kind": "staff"},
        {"name": "social records archive", "path": "/staff/outreach/social/records/",
         "persona": "outreach.supervisor@demo.jcr.example", "kind": "staff"},
    ]  # fmt: skip


class FakePlatform:
    """Counts posts per path and answers like Mastodon, X and Bluesky (session, record)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts: dict[str, int] = {}
        self.n = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    fake.n += 1
                    n = fake.n
                    if self.path != "/xrpc/com.atproto.server.createSession":
                        key = body.decode(errors="replace")
                        fake.posts[key] = fake.posts.get(key, 0) + 1
                if self.path == "/api/v1/statuses":
                    answer = {"id": str(n), "url": f"https://fake.example/@da/{n}"}
                elif self.path == "/2/tweets":
                    answer = {"data": {"id": str(n), "text": ""}}
                elif self.path == "/xrpc/com.atproto.server.createSession":
                    answer = {"accessJwt": "jwt", "did": "did:plc:bench", "handle": "bench.bsky"}
                else:
                    answer = {"uri": f"at://did:plc:bench/app.bsky.feed.post/{n}", "cid": "c"}
                data = json.dumps(answer).encode()
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


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jcr.settings")
    import django

    django.setup()


def _worker(ids: list[int]) -> int:
    _setup()
    from outreach.services_social import delivery_publish

    return sum(1 for pk in ids if delivery_publish(delivery_id=pk) == "published")


def _raw_rate(url: str, n: int) -> float:
    import httpx

    with httpx.Client() as client:
        start = time.monotonic()
        for i in range(n):
            client.post(f"{url}/api/v1/statuses", json={"status": f"raw {i}"})
        return n / (time.monotonic() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.utils import timezone

    from jcr.accounts.models import User
    from outreach.models_social import Delivery, SocialPost
    from outreach.tests import factories_social as f

    fake = FakePlatform()
    raw = _raw_rate(fake.url, 500)
    fake.posts.clear()
    author = User.objects.filter(is_staff=True).order_by("pk").first()
    channels = [
        f.channel("mastodon", name="bench mastodon", base_url=fake.url, credentials={"access_token": "t"}),
        f.channel("x", name="bench x", base_url=fake.url, credentials={"access_token": "t"}),
        f.channel(
            "bluesky", name="bench bluesky", base_url=fake.url, credentials={"identifier": "b", "app_password": "p"}
        ),
    ]
    now = timezone.now()
    per_post = len(channels)
    posts = SocialPost.objects.bulk_create(
        [
            SocialPost(title=f"Bench {i}", body=f"Bench post {i}", author=author, approver=author, status="scheduled")
            for i in range(args.deliveries // per_post + 1)
        ]
    )
    rows = [
        Delivery(post=p, channel=c, text=f"Bench post {p.pk} on {c.platform}", publish_at=now, next_attempt_at=now)
        for p in posts
        for c in channels
    ][: args.deliveries]
    Delivery.objects.bulk_create(rows, batch_size=2000)
    ids = list(
        Delivery.objects.filter(channel__in=channels, status="scheduled").order_by("pk").values_list("pk", flat=True)
    )
    connection.close()
    start = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        published = sum(pool.map(_worker, [ids] * args.workers))  # every worker races for every row
    elapsed = time.monotonic() - start
    done = Delivery.objects.filter(pk__in=ids, status="published").count()
    duplicates = sum(1 for count in fake.posts.values() if count > 1)
    rate = published / elapsed if elapsed else 0.0
    report = {
        "deliveries": len(ids),
        "workers": args.workers,
        "published": done,
        "published_by_workers": published,
        "platform_posts": sum(fake.posts.values()),
        "duplicate_posts": duplicates,
        "exactly_once": done == len(ids) == published and duplicates == 0,
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(rate, 1),
        "fake_platform_raw_requests_per_second": round(raw, 1),
        "ratio_to_raw": round(rate / raw, 3) if raw else None,
    }
    print(json.dumps(report, indent=1))
    Delivery.objects.filter(channel__in=channels).delete()
    SocialPost.objects.filter(pk__in=[p.pk for p in posts]).delete()
    for c in channels:
        c.delete()
    return 0 if report["exactly_once"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
