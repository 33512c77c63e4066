"""`make bench` hooks of the Community Prosecution Unit (see tests/bench/run.py): bulk
concerns in SQL, the triage queue's first and last keyset pages, the public concern dashboard
and its open-data downloads."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SUPERVISOR = "cpu.supervisor@demo.jcr.example"
# Which demo prosecutor owns which district (as seed_demo assigns them).
OWNERS = {
    "prosecutor@demo.jcr.example": ("downtown-midtown", "natomas", "north-sacramento"),
    "prosecutor2@demo.jcr.example": ("south-sacramento", "land-park-pocket", "east-sacramento-oak-park"),
}
SPAN_DAYS = 730
# The last keyset page starts this many days back: a few hundred rows before the oldest.
LAST_PAGE_DAYS = 725


def seed(cursor, scale: float) -> dict[str, int]:
    """100_000 * scale concerns over two years in the demo police districts, a fixed spread of
    categories and statuses, most assigned to the district's demo prosecutor. Due dates are
    calendar approximations of the default service levels (2 and 30 business days)."""
    n = int(100_000 * scale)
    cursor.execute("SELECT id, slug FROM core_area WHERE kind = 'police_district' ORDER BY id")
    districts = cursor.fetchall()
    cursor.execute("SELECT count(*) FROM prosecution_category")
    (categories,) = cursor.fetchone()
    if not districts or not categories or n < 1:
        return {"concerns": 0}
    owner_of = {}
    for email, slugs in OWNERS.items():
        cursor.execute("SELECT id FROM accounts_user WHERE email = %s", [email])
        row = cursor.fetchone()
        for slug in slugs:
            owner_of[slug] = row[0] if row else None
    cursor.execute("CREATE TEMP TABLE bench_district (i int, area_id bigint, owner_id bigint) ON COMMIT DROP")
    cursor.executemany(
        "INSERT INTO bench_district VALUES (%s, %s, %s)",
        [(i, area_id, owner_of.get(slug)) for i, (area_id, slug) in enumerate(districts)],
    )
    cursor.execute(
        """
        WITH c AS (SELECT id, is_sensitive, row_number() OVER (ORDER BY id) - 1 AS i FROM prosecution_category)
        INSERT INTO prosecution_concern (
            created_at, updated_at, public_id, tracking_code, submission_key, source, category_id, is_sensitive,
            description, public_description, answers, when_happens, address, latitude, longitude,
            public_latitude, public_longitude, contact_name, contact_email, contact_phone, language, status,
            close_reason, priority, assignee_id, expected_by, acknowledged_at, resolved_at, reopened_count,
            acknowledge_by, resolve_by, public_ref, public_text_state)
        SELECT t.at, t.at, md5('concern' || g)::uuid, 'B' || g, NULL, 'web', c.id, c.is_sensitive,
               'Bench concern ' || g, '', '{}'::jsonb, 'daily', g || ' Bench St',
               a.min_lat + (a.max_lat - a.min_lat) * (0.3 + 0.4 * ((g * 13) %% 100) / 100.0),
               a.min_lon + (a.max_lon - a.min_lon) * (0.3 + 0.4 * ((g * 17) %% 100) / 100.0),
               round((a.min_lat + a.max_lat)::numeric / 2, 4), round((a.min_lon + a.max_lon)::numeric / 2, 4),
               '', '', '', 'en', t.status,
               CASE WHEN t.status = 'closed' THEN 'no_further_action'
                    WHEN t.status = 'resolved' THEN 'fixed' ELSE '' END,
               CASE WHEN g %% 10 = 0 THEN 'high' WHEN g %% 10 = 1 THEN 'low' ELSE 'normal' END,
               CASE WHEN g %% 10 < 8 THEN d.owner_id END, NULL,
               CASE WHEN t.status <> 'received' THEN t.at + interval '1 day' END,
               CASE WHEN t.status IN ('resolved', 'closed') THEN t.at + interval '10 days' END, 0,
               t.at + interval '2 days', t.at + interval '42 days', 'bench' || g, 'pending'
        FROM generate_series(1::bigint, %(n)s::bigint) AS g  -- bigint: g * 7919 passes 2^31 above 271k rows
        JOIN bench_district d ON d.i = g %% %(nd)s
        JOIN core_area a ON a.id = d.area_id
        JOIN c ON c.i = (g * 7) %% %(nc)s
        CROSS JOIN LATERAL (
            SELECT now() - make_interval(secs => ((g * 7919) %% %(n)s)::float8 / %(n)s * %(span)s * 86400) AS at,
                   CASE WHEN (g * 31) %% 100 < 12 THEN 'received'
                        WHEN (g * 31) %% 100 < 22 THEN 'under_review'
                        WHEN (g * 31) %% 100 < 30 THEN 'referred'
                        WHEN (g * 31) %% 100 < 42 THEN 'in_progress'
                        WHEN (g * 31) %% 100 < 85 THEN 'resolved'
                        ELSE 'closed' END AS status
        ) AS t
        """,
        {"n": n, "nd": len(districts), "nc": categories, "span": SPAN_DAYS},
    )
    cursor.execute(
        """
        INSERT INTO prosecution_concern_areas (concern_id, area_id)
        SELECT c.id, d.area_id FROM prosecution_concern c
        JOIN bench_district d ON d.i = substring(c.tracking_code FROM 2)::int %% %(nd)s
        WHERE c.tracking_code LIKE 'B%%' AND c.description LIKE 'Bench concern %%'
        """,
        {"nd": len(districts)},
    )
    return {"concerns": n, **_figures_rebuild(cursor)}


def _figures_rebuild(cursor) -> dict[str, int]:
    """The dashboard's figures and open data over the bulk concerns: commit them, then run
    `manage.py concern_stats_rebuild` on the same database (the runner has no Django here).
    Prints how long the rebuild took at this scale."""
    cursor.execute("ANALYZE prosecution_concern, prosecution_concern_areas")  # as production would have
    cursor.connection.commit()
    params = cursor.connection.get_dsn_parameters()
    url = f"postgres://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": f"{url}/{params['dbname']}",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "JCR_TESTING": "false",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "concern_stats_rebuild"],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"[bench] concern figures: {result.stdout.strip()} ({time.monotonic() - started:.1f} s)", flush=True)
    return {"concern figure rebuild ms": round((time.monotonic() - started) * 1000)}


def _cursor(days: int) -> str:
    moment = datetime.now(UTC) - timedelta(days=days)  # run.py has no Django settings
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|0".encode()).decode().rstrip("=")


def pages() -> list[dict]:
    queue = "/staff/community-prosecution/concerns/"
    return [
        {"name": "staff triage queue, first page", "path": queue, "persona": SUPERVISOR, "kind": "keyset_first"},
        {
            "name": "staff triage queue, last pages",
            "path": f"{queue}?after={_cursor(LAST_PAGE_DAYS)}",
            "persona": SUPERVISOR,
            "kind": "keyset_last",
        },
        {
            "name": "public concern dashboard",
            "path": "/community-prosecution/dashboard/",
            "persona": None,
            "kind": "concern_dashboard",
        },
        {
            "name": "concern dashboard, one kind and area, uncached",
            "path": "/community-prosecution/dashboard/?period=all&category=graffiti&area=natomas&_=bench",
            "persona": SUPERVISOR,  # signed in: never served from the page cache
            "kind": "unit",
        },
        {"name": "open data: figures (CSV)", "path": "/community-prosecution/open-data/figures.csv", "persona": None},
        {"name": "open data: concerns (CSV)", "path": "/community-prosecution/open-data/concerns.csv", "persona": None},
        {
            "name": "staff triage queue, overdue only",
            "path": f"{queue}?overdue=on",
            "persona": SUPERVISOR,
            "kind": "overdue",
        },
    ]
