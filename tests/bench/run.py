"""`make bench`: seed PostgreSQL at scale, serve the portal with gunicorn on 127.0.0.1, measure
each key page with wrk against two yardsticks measured in the same run, and measure page
weight, LCP and CLS of the public pages in Chromium.

The yardsticks, both served by gunicorn with the same options:
    minimal view   a Django app of its own (tests/bench/minimal_settings.py) with only
                   SecurityMiddleware and CommonMiddleware, answering a short response
    stack view     the same short response through the portal's whole middleware
                   (tests/bench/urls.py)
Every page is printed as a ratio to both. Goals: the stack view >= 0.5x the minimal view;
cached public pages (anonymous) >= 0.5x the minimal view; staff pages >= 0.3x the stack view.

Timings are reported, never asserted. Results go to var/bench/ (ignored by git).

Pages come from the sitemap (public), from the declared staff routes without parameters, and
from each unit app's optional `<app>/bench.py` and its features' `<app>/<feature>/bench.py`:
    seed(cursor, scale: float) -> dict[str, int]       bulk rows of its own (SQL, not ORM saves)
    pages() -> list[dict]                              extra pages: {"name", "path", "persona"}
    drills(env, log_dir) -> list[dict]                 measurements of their own, run after the
                                                       pages with the bench database and broker;
                                                       each dict has "name" and "exactly_once"
where persona is None (anonymous) or a demo e-mail address, and an optional "kind" names the
goal the page is held to: "public" (cached public page), "staff" (staff list),
"keyset_first" / "keyset_last" (first and last page of a keyset-paginated list),
"concern_dashboard" (the public concern dashboard, compared with the home page).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import importlib.util
import json
import os
import pkgutil
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
UNIT_APPS = ["prosecution", "outreach", "govrelations", "integrity"]
STAFF_PERSONA = "chief@demo.jcr.example"

GOALS = {
    "stack_vs_minimal": 0.5,
    "public_cached_vs_minimal": 0.5,
    "staff_vs_stack": 0.3,
    "last_keyset_p50_vs_first": 1.5,
    "dashboard_cost_vs_home": 2.0,
    "critical_path_kb": 170,
    "all_js_kb": 100,
    "lcp_s": 2.5,
    "cls": 0.1,
}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- database --------------------------------------------------------------------------------
def server_dsn(database_url: str, dbname: str) -> dict:
    parts = urlparse(database_url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "dbname": dbname,
    }


def recreate_database(database_url: str, name: str) -> None:
    conn = psycopg2.connect(**server_dsn(database_url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def seed_platform(cur, scale: float) -> dict[str, int]:
    """Rows of the shared platform: audit entries, e-mails, residents."""
    audit = int(1_000_000 * scale)
    emails = int(50_000 * scale)
    residents = int(5_000 * scale)
    cur.execute(
        """
        INSERT INTO core_auditentry (at, actor_id, actor_label, action, object_type, object_id,
                                     object_repr, before, after, ip, request_id)
        SELECT now() - make_interval(secs => g), NULL, 'system', 'bench.seed', 'core.area', g::text,
               'row ' || g, NULL, jsonb_build_object('n', g), '127.0.0.1', md5(g::text)
        FROM generate_series(1, %s) AS g
        """,
        [audit],
    )
    cur.execute(
        """
        INSERT INTO core_outboundemail (created_at, updated_at, status, due_at, attempts, enqueued_at,
            claimed_at, finished_at, last_error, "to", subject, body_text, body_html, language, template,
            related_type, related_id, sent_at, headers, confidential, attachments)
        SELECT now(), now(), 'done', now(), 1, now(), now(), now(), '', 'r' || g || '@example.org',
               'Subject ' || g, 'Body', '', 'en', 'bench', '', '', now(), '{}'::jsonb, false, '[]'::jsonb
        FROM generate_series(1, %s) AS g
        """,
        [emails],
    )
    cur.execute(
        """
        INSERT INTO accounts_user (password, last_login, is_superuser, public_id, email, full_name, title,
            phone, preferred_language, is_staff, is_active, date_joined, invited_at)
        SELECT '!', NULL, false, md5('u' || g)::uuid, 'resident' || g || '@bench.example', 'Resident ' || g,
               '', '', 'en', false, true, now(), NULL
        FROM generate_series(1, %s) AS g
        """,
        [residents],
    )
    return {"audit entries": audit, "e-mails": emails, "residents": residents}


# --- processes -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SESSION_SCRIPT = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from jcr.accounts.models import User
user = User.objects.get(email={email!r})
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store["jcr_login_at"] = timezone.now().timestamp() + 3600
store["jcr_last_seen"] = timezone.now().timestamp() + 3600
store.create()
print(settings.SESSION_COOKIE_NAME + "=" + store.session_key)
"""


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def run_wrk(url: str, *, seconds: int, connections: int, cookie: str | None) -> dict:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {p: float(v) * factor[u] for p, v, u in WRK_LATENCY.findall(out)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


# --- pages -----------------------------------------------------------------------------------
def sitemap_paths(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=10) as response:  # noqa: S310
        tree = ElementTree.fromstring(response.read())  # noqa: S314 - our own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [urlparse(loc.text).path for loc in tree.findall("s:url/s:loc", ns)]


def bench_modules(app: str) -> list[str]:
    """`<app>.bench` and the `<app>.<feature>.bench` modules that exist."""
    package = importlib.import_module(app)
    names = [f"{app}.bench"] + [
        f"{app}.{info.name}.bench" for info in pkgutil.iter_modules(package.__path__) if info.ispkg
    ]
    return [name for name in names if importlib.util.find_spec(name) is not None]


def unit_hooks(name: str):
    for app in UNIT_APPS:
        for module_name in bench_modules(app):
            hook = getattr(importlib.import_module(module_name), name, None)
            if hook:
                yield app, hook


def pages_to_measure(base: str) -> list[dict]:
    pages = [{"name": "stack view (portal middleware)", "path": "/bench/stack", "persona": None, "kind": "stack"}]
    for path in sitemap_paths(base):
        pages.append({"name": f"public {path}", "path": path, "persona": None, "kind": "public"})
    pages.append({"name": "staff dashboard", "path": "/staff/", "persona": STAFF_PERSONA, "kind": "staff"})
    for app in ("prosecution", "outreach", "govrelations"):
        pages.append(
            {
                "name": f"staff {app} landing",
                "path": f"/staff/{app_slug(app)}/",
                "persona": STAFF_PERSONA,
                "kind": "staff",
            }
        )
    for _app, hook in unit_hooks("pages"):
        pages.extend({"kind": "unit", **page} for page in hook())
    return pages


def app_slug(app: str) -> str:
    return {"prosecution": "community-prosecution", "outreach": "outreach", "govrelations": "government-relations"}[app]


# --- browser ---------------------------------------------------------------------------------
PERF_SCRIPT = """
() => new Promise((resolve) => {
  let lcp = 0, cls = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = e.startTime; })
    .observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({lcp_s: lcp / 1000, cls}), 1500);
})
"""


def browser_metrics(base: str, paths: list[str]) -> list[dict]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        log("Playwright is not installed: page weight skipped")
        return []
    if not shutil.which("chromium"):
        log("chromium is not installed: page weight skipped")
        return []
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for path in paths:
            context = browser.new_context(viewport={"width": 412, "height": 823})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            responses: list = []

            def collect(response, bucket=responses):
                bucket.append(response)

            page.on("response", collect)
            page.goto(base + path, wait_until="load")
            perf = page.evaluate(PERF_SCRIPT)
            sync_scripts = set(
                page.eval_on_selector_all(
                    "script[src]:not([async]):not([defer]):not([type=module])", "els => els.map(e => e.src)"
                )
            )
            critical = all_js = 0
            for response in responses:
                kind = response.request.resource_type
                # Playwright hands back the decoded body: measure it gzipped (level 6, what a
                # front proxy or WhiteNoise's pre-compressed files send).
                try:
                    body = response.body() if response.ok else b""
                except PlaywrightError:  # a response the page navigated away from (a redirect)
                    continue
                size = len(gzip.compress(body, 6))
                if kind == "document" or kind == "stylesheet" or response.url in sync_scripts:
                    critical += size
                if kind == "script":
                    all_js += size
            results.append(
                {"path": path, "critical_kb": round(critical / 1024, 1), "js_kb": round(all_js / 1024, 1), **perf}
            )
            context.close()
        browser.close()
    return results


# --- main ------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of the last run")
    parser.add_argument("--only", default="", help="measure only the pages whose name matches this regex")
    parser.add_argument("--no-extras", action="store_true", help="skip page weight (Chromium) and the drills")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk); `make bench` installs it.")
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jcr")
    parts = urlparse(base_url)
    bench_db = (parts.path.lstrip("/") or "jcr") + "_bench"
    database_url = parts._replace(path="/" + bench_db).geturl()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "JCR_SECURE_COOKIES": "false",
        "JCR_TESTING": "false",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "JCR_LOG_LEVEL": "WARNING",
    }

    seeded: dict[str, int] = {}
    if not args.reuse:
        t0 = time.monotonic()
        recreate_database(base_url, bench_db)
        manage(env, "migrate", "--noinput")
        manage({**env, "DJANGO_DEBUG": "true"}, "seed_demo", "--quiet-logins")
        conn = psycopg2.connect(**server_dsn(base_url, bench_db))
        with conn, conn.cursor() as cur:
            seeded.update(seed_platform(cur, args.scale))
            for _app, hook in unit_hooks("seed"):
                seeded.update(hook(cur, args.scale))
            cur.execute("ANALYZE")
        conn.close()
        log(f"seeded {seeded} in {time.monotonic() - t0:.1f} s")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compile_translations")
    # A session for the staff persona and for every persona the units' pages name.
    personas = {STAFF_PERSONA} | {p["persona"] for _app, hook in unit_hooks("pages") for p in hook() if p["persona"]}
    cookies = {
        email: manage(env, "shell", "--no-imports", "-c", SESSION_SCRIPT.format(email=email)).strip().splitlines()[-1]
        for email in sorted(personas)
    }

    base, server = start_gunicorn("jcr.wsgi:application", env, args.workers)
    minimal_base, minimal_server = start_gunicorn("tests.bench.minimal_wsgi:application", env, args.workers)
    only = re.compile(args.only) if args.only else None
    results, browser = [], []
    try:
        wait_for(base + "/bench/stack")
        wait_for(minimal_base + "/bench/minimal")
        minimal = {"name": "minimal view (separate app)", "path": "/bench/minimal", "persona": None, "kind": "minimal"}
        pages = [(minimal_base, minimal)] + [
            (base, page)
            for page in pages_to_measure(base)
            if page["kind"] == "stack" or only is None or only.search(page["name"])
        ]
        for server_base, page in pages:
            url = server_base + page["path"]
            cookie = cookies.get(page["persona"]) if page["persona"] else None
            run_wrk(url, seconds=1, connections=args.connections, cookie=cookie)  # warm-up
            measured = run_wrk(url, seconds=args.seconds, connections=args.connections, cookie=cookie)
            results.append({**page, **measured})
            log(
                f"{page['name']:<45} {measured['rps']:>8.1f} req/s  "
                f"p50 {measured['p50_ms']:.1f} ms  p99 {measured['p99_ms']:.1f} ms"
            )
        if not args.no_extras:
            browser = browser_metrics(base, [p["path"] for p in results if p["kind"] == "public"])
    finally:
        for process in (server, minimal_server):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    drills = []
    for app, hook in unit_hooks("drills") if not args.no_extras else ():
        log(f"{app}: drills")
        drills.extend(hook(env, OUT))

    minimal_rps = next(r["rps"] for r in results if r["kind"] == "minimal")
    stack_rps = next(r["rps"] for r in results if r["kind"] == "stack")
    for r in results:
        r["ratio_to_minimal"] = round(r["rps"] / minimal_rps, 3)
        r["ratio_to_stack"] = round(r["rps"] / stack_rps, 3)
        r.update(page_goal(r))
    report = {
        "when": datetime.now(UTC).isoformat(),
        "scale": args.scale,
        "seconds": args.seconds,
        "connections": args.connections,
        "gunicorn_workers": args.workers,
        "seeded": seeded,
        "pages": results,
        "browser": browser,
        "drills": drills,
        "goals": GOALS,
        "verdicts": verdicts(results, browser, drills),
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (OUT / f"results-{stamp}.json").write_text(json.dumps(report, indent=2))
    (OUT / "latest.json").write_text(json.dumps(report, indent=2))
    print_report(report)
    return 0


LOG = ("--log-level", "warning")


def start_gunicorn(app: str, env: dict, workers: int) -> tuple[str, subprocess.Popen]:
    """gunicorn serving `app` on a free port of 127.0.0.1: the same options for every app."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *LOG],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    return f"http://127.0.0.1:{port}", process


# The ratio each kind of page is held to: (goal name, "minimal" or "stack").
PAGE_GOALS = {
    "stack": ("stack_vs_minimal", "minimal"),
    "public": ("public_cached_vs_minimal", "minimal"),
    "staff": ("staff_vs_stack", "stack"),
    "keyset_first": ("staff_vs_stack", "stack"),
}


def page_goal(r: dict) -> dict:
    """The page's goal and whether it is met ({} for a page without one)."""
    if r["kind"] not in PAGE_GOALS:
        return {}
    goal_name, yardstick = PAGE_GOALS[r["kind"]]
    ratio, goal = r[f"ratio_to_{yardstick}"], GOALS[goal_name]
    return {"goal": f">= {goal}x {yardstick}", "met": ratio >= goal}


def verdicts(results: list[dict], browser: list[dict], drills: list[dict] = ()) -> list[dict]:
    out = []
    by_kind = {}
    for r in results:
        by_kind.setdefault(r["kind"], []).append(r)
        if "goal" in r:
            goal_name, yardstick = PAGE_GOALS[r["kind"]]
            out.append(_verdict(f"{r['name']} vs {yardstick}", r[f"ratio_to_{yardstick}"], ">=", GOALS[goal_name]))
    for first, last in zip(by_kind.get("keyset_first", []), by_kind.get("keyset_last", []), strict=False):
        ratio = round(last["p50_ms"] / first["p50_ms"], 2)
        out.append(_verdict(f"{last['name']} p50 / first page p50", ratio, "<=", GOALS["last_keyset_p50_vs_first"]))
    home = next((r for r in by_kind.get("public", []) if r["path"] == "/"), None)
    # The public concern dashboard (prosecution's bench hook gives it kind "concern_dashboard").
    for r in by_kind.get("concern_dashboard", []):
        if home:
            out.append(
                _verdict(
                    "dashboard cost / home cost",
                    round(home["rps"] / r["rps"], 2),
                    "<=",
                    GOALS["dashboard_cost_vs_home"],
                )
            )
    for b in browser:
        out.append(_verdict(f"{b['path']} critical path KB", b["critical_kb"], "<=", GOALS["critical_path_kb"]))
        out.append(_verdict(f"{b['path']} all JS KB", b["js_kb"], "<=", GOALS["all_js_kb"]))
        out.append(_verdict(f"{b['path']} LCP s (4x CPU)", round(b["lcp_s"], 2), "<=", GOALS["lcp_s"]))
        out.append(_verdict(f"{b['path']} CLS", round(b["cls"], 3), "<=", GOALS["cls"]))
    for d in drills:
        out.append(_verdict(f"{d['name']}: every delivery exactly once", int(bool(d.get("exactly_once"))), ">=", 1))
    return out


def _verdict(name: str, value: float, op: str, goal: float) -> dict:
    met = value >= goal if op == ">=" else value <= goal
    return {"measure": name, "value": value, "goal": f"{op} {goal}", "met": met}


def print_report(report: dict) -> None:
    print()
    print(
        f"{'page':<44}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'x minimal':>10}{'x stack':>8}{'non-2xx':>8}  {'goal':<18}"
    )
    for r in report["pages"]:
        verdict = ("pass" if r["met"] else "FAIL") if "goal" in r else ""
        print(
            f"{r['name'][:43]:<44}{r['rps']:>9.1f}{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{r['ratio_to_minimal']:>10.2f}"
            f"{r['ratio_to_stack']:>8.2f}{r['non_2xx']:>8}  {r.get('goal', ''):<18}{verdict}"
        )
    if report["browser"]:
        print()
        print(f"{'public page (phone, 4x CPU)':<40}{'critical KB':>12}{'JS KB':>8}{'LCP s':>8}{'CLS':>8}")
        for b in report["browser"]:
            print(f"{b['path']:<40}{b['critical_kb']:>12}{b['js_kb']:>8}{b['lcp_s']:>8.2f}{b['cls']:>8.3f}")
    for d in report.get("drills", []):
        print()
        if "error" in d:
            print(f"{d['name']}: did not run\n{d['error']}")
            continue
        print(
            f"{d['name']}: {d['deliveries']} deliveries due at once on {', '.join(d['platforms'])}, "
            f"{d['workers']} Celery workers: {d['statuses']} in {d['seconds']} s = "
            f"{d['deliveries_per_second']} deliveries/s; the fake platform's raw rate "
            f"{d['fake_platform_raw_requests_per_second']} requests/s (ratio {d['ratio_to_raw']}); "
            f"posts received {d['platform_posts']}, duplicates {d['duplicate_posts']}"
        )
    print()
    for v in report["verdicts"]:
        print(f"{'met ' if v['met'] else 'MISS'}  {v['measure']:<50} {v['value']} (goal {v['goal']})")
    print(f"\nwritten to {OUT / 'latest.json'}")


if __name__ == "__main__":
    sys.exit(main())
