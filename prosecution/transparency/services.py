"""Transparency: the figures of the public concern dashboard and the open data, precomputed.

`concern_stats_rebuild()` (a Celery beat task every 15 minutes, and `manage.py
concern_stats_rebuild`) replaces every `ConcernStat` row in one transaction and writes the
concern-level open-data files to storage. The dashboard and the downloads only read those rows
and files, so their cost does not grow with the number of concerns.

Privacy rules (the same on every public surface):
- Sensitive concerns (their own flag or their category's) count in the county-wide figures and
  in their category's row, with counts only (no medians); they are left out of every figure
  by area and out of the concern-level open data entirely.
- The open data carries no text, address, contact, note or photo: a pseudonymous id, the
  category code, status, dates, durations, area slugs and the blurred position only.

Medians cannot be added up across rows, so they are computed for each grouping shown: per
month, per period, per category and per area (and each category within each area), in the portal's time zone.
On PostgreSQL one INSERT … SELECT does it (`percentile_cont` over GROUPING SETS); elsewhere
(SQLite under `make run`) a Python pass computes the same rows (it holds every duration in
memory: meant for development databases, not for a million concerns).

Measured on the bench data (one PostgreSQL, two busy cores): at 100k concerns a rebuild takes
about 15 s; at 1M concerns 170 s (aggregates 52 s, the open-data files 92 s for 727k public
concerns: 76 MB of CSV, 205 MB of JSON) in 115 MB of memory. The figure rows do not grow with
the concerns (1,914 rows at 100k and at 1M: months x categories x areas), so the dashboard
reads the same few rows at any scale.
"""

from __future__ import annotations

import json
import logging
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jcr.core.exports import csv_lines, csv_rows
from jcr.core.models import Area
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.transparency.models import ConcernStat, ConcernStatsBuild

logger = logging.getLogger(__name__)

# Rolling windows of whole calendar months, the current month included.
PERIOD_MONTHS = {ConcernStat.Period.LAST_3: 3, ConcernStat.Period.LAST_12: 12, ConcernStat.Period.LAST_24: 24}
WINDOWS = (*PERIOD_MONTHS, ConcernStat.Period.ALL)
DEFAULT_PERIOD = ConcernStat.Period.LAST_12
# Areas that appear in the figures: the kinds with a public page.
AREA_KINDS = ("police_district", "neighborhood", "cpu_beat")
OPEN_DATA_DIR = "open-data"
BUILDS_KEPT = 2
LOCK_KEY = 0x4A435253  # pg_advisory_lock key of the rebuild ("JCRS")
CHUNK = 5000
# Salt of the open data's pseudonymous ids (keyed with SECRET_KEY: stable between rebuilds,
# not reversible, not the tracking code).
ID_SALT = "prosecution.transparency.open_data_id"

CONCERN_FIELDS = [
    "id",
    "category",
    "status",
    "is_open",
    "created_month",
    "created_date",
    "first_response_days",
    "resolution_days",
    "areas",
    "latitude",
    "longitude",
]
FIGURE_FIELDS = [
    "period",
    "month",
    "category",
    "category_name",
    "category_sensitive",
    "area_kind",
    "area",
    "area_name",
    "received",
    "open",
    "resolved",
    "closed",
    "responded",
    "median_days_to_first_response",
    "median_days_to_resolution",
]


# --- Periods -----------------------------------------------------------------------------------


def month_add(month: date, months: int) -> date:
    """The first day of the month `months` after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def current_month(now: datetime) -> date:
    return timezone.localtime(now).date().replace(day=1)


def period_first_month(period: str, now: datetime) -> date | None:
    """The first calendar month of a rolling window ending with the month of `now` (None: all)."""
    months = PERIOD_MONTHS.get(period)
    return None if months is None else month_add(current_month(now), -(months - 1))


def _local_midnight(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- The rebuild -------------------------------------------------------------------------------


def concern_stats_rebuild(*, method: str | None = None, now: datetime | None = None) -> ConcernStatsBuild:
    """Recompute every dashboard figure and write the open-data files; returns the new build.

    Idempotent: the rows are replaced in one transaction (readers see the old figures until it
    commits), and two rebuilds at once run one after the other. Files of builds older than the
    last BUILDS_KEPT are deleted after commit. Not an audit event: nobody's record changes, and
    the build row records each run. `method` forces "sql" or "python" (tests compare them); by
    default PostgreSQL uses SQL.
    """
    now = now or timezone.now()
    method = method or ("sql" if connection.vendor == "postgresql" else "python")
    if method == "sql" and connection.vendor != "postgresql":
        raise ValueError("The SQL rebuild needs PostgreSQL.")
    with _one_rebuild_at_a_time():
        return _rebuild(method=method, now=now)


@contextmanager
def _one_rebuild_at_a_time() -> Iterator[None]:
    """A PostgreSQL advisory lock around the whole rebuild: a second run (beat and the command
    at once, or a run slower than the schedule) waits, so no run deletes the files another is
    still writing. SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _rebuild(*, method: str, now: datetime) -> ConcernStatsBuild:
    started = time.monotonic()
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    csv_name, json_name, published = open_data_write(stamp=stamp, now=now)
    with transaction.atomic():
        ConcernStat.objects.all().delete()
        if method == "sql":
            _rebuild_sql(now)
        else:
            ConcernStat.objects.bulk_create(_rows_python(now), batch_size=2000)
        # Sensitive categories are published as counts only.
        ConcernStat.objects.filter(category__is_sensitive=True).update(
            median_response_days=None, median_resolution_days=None
        )
        build = ConcernStatsBuild.objects.create(
            computed_at=now,
            method=method,
            concerns=Concern.objects.count(),
            rows=ConcernStat.objects.count(),
            open_data_rows=published,
            concerns_csv=csv_name,
            concerns_json=json_name,
            duration_ms=0,
        )
        old = list(ConcernStatsBuild.objects.order_by("-computed_at", "-id")[BUILDS_KEPT:])
        ConcernStatsBuild.objects.filter(pk__in=[b.pk for b in old]).delete()
        transaction.on_commit(_files_prune)
    duration = round((time.monotonic() - started) * 1000)
    ConcernStatsBuild.objects.filter(pk=build.pk).update(duration_ms=duration)
    build.duration_ms = duration
    logger.info("concern figures rebuilt: %s rows, %s open-data rows, %s ms", build.rows, published, duration)
    return build


def _files_prune() -> None:
    """Delete open-data files no kept build names (older builds, or a run that failed)."""
    kept = set()
    for build in ConcernStatsBuild.objects.all():
        kept.update({build.concerns_csv, build.concerns_json})
    try:
        _dirs, files = default_storage.listdir(OPEN_DATA_DIR)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{OPEN_DATA_DIR}/{name}"
        if path not in kept:
            default_storage.delete(path)


AGGREGATES_SQL = """
    count(*),
    count(*) FILTER (WHERE status NOT IN ('resolved', 'closed')),
    count(*) FILTER (WHERE status = 'resolved'),
    count(*) FILTER (WHERE status = 'closed'),
    count(response_days),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY response_days),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_days)
"""

REBUILD_SQL = f"""
WITH base AS (
    SELECT c.id, c.category_id, (c.is_sensitive OR cat.is_sensitive) AS sensitive, c.created_at, c.status,
           date_trunc('month', c.created_at AT TIME ZONE %(tz)s)::date AS month,
           CASE WHEN c.acknowledged_at IS NOT NULL
                THEN GREATEST(EXTRACT(EPOCH FROM c.acknowledged_at - c.created_at), 0)::float8 / 86400 END
               AS response_days,
           CASE WHEN c.status = 'resolved' AND c.resolved_at IS NOT NULL
                THEN GREATEST(EXTRACT(EPOCH FROM c.resolved_at - c.created_at), 0)::float8 / 86400 END
               AS resolution_days
    FROM prosecution_concern c JOIN prosecution_category cat ON cat.id = c.category_id
), placed AS (
    SELECT b.*, ca.area_id FROM base b
    JOIN prosecution_concern_areas ca ON ca.concern_id = b.id
    JOIN core_area a ON a.id = ca.area_id AND a.kind IN %(kinds)s
    WHERE NOT b.sensitive
), windows (key, start) AS (
    VALUES ('3m', %(start_3m)s::timestamptz), ('12m', %(start_12m)s::timestamptz),
           ('24m', %(start_24m)s::timestamptz), ('all', '-infinity'::timestamptz)
)
INSERT INTO prosecution_concernstat (period, month, category_id, area_id, received, open, resolved, closed,
                                     responded, median_response_days, median_resolution_days)
SELECT 'month', month, category_id, NULL, {AGGREGATES_SQL}
FROM base GROUP BY GROUPING SETS ((month), (month, category_id))
UNION ALL
SELECT 'month', month, category_id, area_id, {AGGREGATES_SQL}
FROM placed GROUP BY GROUPING SETS ((month, area_id), (month, area_id, category_id))
UNION ALL
SELECT w.key, NULL, category_id, NULL, {AGGREGATES_SQL}
FROM base JOIN windows w ON base.created_at >= w.start GROUP BY GROUPING SETS ((w.key), (w.key, category_id))
UNION ALL
SELECT w.key, NULL, category_id, area_id, {AGGREGATES_SQL}
FROM placed JOIN windows w ON placed.created_at >= w.start
GROUP BY GROUPING SETS ((w.key, area_id), (w.key, area_id, category_id))
"""  # noqa: S608  # nosec B608 - only constants are formatted in; values are parameters


def _rebuild_sql(now: datetime) -> None:
    params = {"tz": settings.TIME_ZONE, "kinds": AREA_KINDS}
    for period in PERIOD_MONTHS:
        params[f"start_{period}"] = _local_midnight(period_first_month(period, now))
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL, params)


@dataclass
class _Tally:
    received: int = 0
    open: int = 0
    resolved: int = 0
    closed: int = 0
    response: list[float] = field(default_factory=list)
    resolution: list[float] = field(default_factory=list)

    def add(self, status: str, response: float | None, resolution: float | None) -> None:
        self.received += 1
        if status == Concern.Status.RESOLVED:
            self.resolved += 1
        elif status == Concern.Status.CLOSED:
            self.closed += 1
        else:
            self.open += 1
        if response is not None:
            self.response.append(response)
        if resolution is not None:
            self.resolution.append(resolution)


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max((end - start).total_seconds(), 0) / 86400


def _rows_python(now: datetime) -> Iterator[ConcernStat]:
    """The same rows as REBUILD_SQL, computed in Python (SQLite; and the reference in tests)."""
    starts = {period: _local_midnight(period_first_month(period, now)) for period in PERIOD_MONTHS}
    through = Concern.areas.through.objects.filter(area__kind__in=AREA_KINDS)
    areas_of: dict[int, list[int]] = defaultdict(list)
    for concern_id, area_id in through.values_list("concern_id", "area_id").iterator(chunk_size=CHUNK):
        areas_of[concern_id].append(area_id)
    tallies: dict[tuple, _Tally] = defaultdict(_Tally)
    rows = Concern.objects.values_list(
        "pk",
        "category_id",
        "is_sensitive",
        "category__is_sensitive",
        "created_at",
        "status",
        "acknowledged_at",
        "resolved_at",
    )
    for pk, category_id, sensitive, category_sensitive, created, status, acknowledged, resolved in rows.iterator(
        chunk_size=CHUNK
    ):
        response = _days(created, acknowledged)
        resolution = _days(created, resolved) if status == Concern.Status.RESOLVED else None
        month = timezone.localtime(created).date().replace(day=1)
        periods = [("month", month)] + [(p, None) for p, start in starts.items() if created >= start]
        periods.append((ConcernStat.Period.ALL, None))
        areas = [] if (sensitive or category_sensitive) else areas_of.get(pk, [])
        for period, at in periods:
            for category in (None, category_id):
                tallies[(str(period), at, category, None)].add(status, response, resolution)
                for area in areas:
                    tallies[(str(period), at, category, area)].add(status, response, resolution)
    for (period, month, category_id, area_id), t in tallies.items():
        yield ConcernStat(
            period=period,
            month=month,
            category_id=category_id,
            area_id=area_id,
            received=t.received,
            open=t.open,
            resolved=t.resolved,
            closed=t.closed,
            responded=len(t.response),
            median_response_days=statistics.median(t.response) if t.response else None,
            median_resolution_days=statistics.median(t.resolution) if t.resolution else None,
        )


# --- The concern-level open data --------------------------------------------------------------


def open_data_id(pk: int) -> str:
    """A concern's pseudonymous id in the open data: stable between rebuilds, not its tracking
    code (which opens the resident's tracking page) and not its internal ids."""
    return salted_hmac(ID_SALT, str(pk)).hexdigest()[:16]


def open_data_rows() -> Iterator[dict]:
    """Every non-sensitive concern as a dict of public values (CONCERN_FIELDS), oldest first.

    Read in keyset chunks of CHUNK concerns (two queries a chunk: the concerns, their areas),
    so memory stays flat at a million rows on any database. Categories and areas are read
    once up front, so each chunk is a walk of the primary key with no join.
    """
    codes = dict(Category.objects.filter(is_sensitive=False).values_list("pk", "code"))
    rows = Area.objects.filter(kind__in=AREA_KINDS).values_list("pk", "kind", "slug")
    areas = {pk: (kind, slug) for pk, kind, slug in rows}
    public = Concern.objects.filter(is_sensitive=False, category_id__in=list(codes))
    last = 0
    while True:
        chunk = list(
            public.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk",
                "category_id",
                "status",
                "created_at",
                "acknowledged_at",
                "resolved_at",
                "public_latitude",
                "public_longitude",
            )[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1][0]
        placed: dict[int, list[tuple[str, str]]] = defaultdict(list)
        ids = [row[0] for row in chunk]
        through = Concern.areas.through.objects.filter(concern_id__in=ids, area_id__in=list(areas))
        for concern_id, area_id in through.values_list("concern_id", "area_id"):
            placed[concern_id].append(areas[area_id])
        for pk, category_id, status, created, acknowledged, resolved, lat, lon in chunk:
            local = timezone.localtime(created).date()
            response = _days(created, acknowledged)
            resolution = _days(created, resolved) if status == Concern.Status.RESOLVED else None
            yield {
                "id": open_data_id(pk),
                "category": codes[category_id],
                "status": status,
                "is_open": status not in Concern.CLOSED_STATUSES,
                "created_month": local.strftime("%Y-%m"),
                "created_date": local.isoformat(),
                "first_response_days": None if response is None else round(response, 2),
                "resolution_days": None if resolution is None else round(resolution, 2),
                "areas": [slug for _kind, slug in sorted(placed.get(pk, []))],
                "latitude": lat,
                "longitude": lon,
            }


def json_chunks(meta: dict, key: str, rows: Iterable[dict]) -> Iterator[str]:
    """A JSON object `{**meta, key: [rows...]}`, one row at a time."""
    head = json.dumps(meta, ensure_ascii=False)[:-1]
    yield f'{head}, "{key}": [' if meta else f'{{"{key}": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def concern_csv_row(row: dict) -> list:
    values = {**row, "areas": " ".join(row["areas"])}
    return [values[name] for name in CONCERN_FIELDS]


def open_data_meta(*, computed_at: datetime) -> dict:
    return {
        "title": "Community Prosecution Unit: neighborhood concerns (open data)",
        "computed_at": computed_at.isoformat(),
        "time_zone": settings.TIME_ZONE,
        "notes": (
            "Sensitive categories are excluded; locations are blurred to about a block; no text, address, "
            "contact details or photos. Days are calendar days (fractions included)."
        ),
    }


def open_data_write(*, stamp: str, now: datetime) -> tuple[str, str, int]:
    """Write the concern-level open data (CSV and JSON) to storage; returns both names and the
    number of concerns. One pass over the concerns feeds both files (temporary files on disk,
    then saved to storage, local or S3-style)."""
    count = 0

    def counted() -> Iterator[dict]:
        nonlocal count
        for row in open_data_rows():
            count += 1
            yield row

    with tempfile.TemporaryFile() as csv_file, tempfile.TemporaryFile() as json_file:
        csv_file.write("".join(csv_lines(CONCERN_FIELDS, [])).encode())
        for piece in json_chunks(open_data_meta(computed_at=now), "concerns", _tee(counted(), csv_file)):
            json_file.write(piece.encode())
        csv_file.seek(0)
        json_file.seek(0)
        csv_name = default_storage.save(f"{OPEN_DATA_DIR}/concerns-{stamp}.csv", File(csv_file))
        json_name = default_storage.save(f"{OPEN_DATA_DIR}/concerns-{stamp}.json", File(json_file))
    return csv_name, json_name, count


def _tee(rows: Iterable[dict], csv_file) -> Iterator[dict]:
    """Pass rows on to the JSON writer while writing each to the CSV file."""
    for row in rows:
        csv_file.write("".join(csv_rows([concern_csv_row(row)])).encode())
        yield row


# --- Reads for the dashboard and the downloads -------------------------------------------------


def build_latest() -> ConcernStatsBuild | None:
    return ConcernStatsBuild.objects.order_by("-computed_at", "-id").first()


def figure_rows() -> Iterator[list]:
    """Every figure row as a list of FIGURE_FIELDS values (one query, streamed)."""
    rows = (
        ConcernStat.objects.order_by("period", "month", "category__order", "category__code", "area__kind", "area__slug")
        .values_list(
            "period",
            "month",
            "category__code",
            "category__name",
            "category__is_sensitive",
            "area__kind",
            "area__slug",
            "area__name",
            "received",
            "open",
            "resolved",
            "closed",
            "responded",
            "median_response_days",
            "median_resolution_days",
        )
        .iterator(chunk_size=2000)
    )
    for row in rows:
        values = list(row)
        values[1] = values[1].isoformat()[:7] if values[1] else None
        if values[2] is None:
            values[4] = None
        values[13] = None if values[13] is None else round(values[13], 2)
        values[14] = None if values[14] is None else round(values[14], 2)
        yield values


@dataclass
class Filters:
    period: str = DEFAULT_PERIOD
    category: Category | None = None
    area: Area | None = None


def _figures(row: ConcernStat | None) -> dict:
    """The numbers of one row (zeros without a row)."""
    if row is None:
        return {
            "received": 0,
            "open": 0,
            "resolved": 0,
            "closed": 0,
            "responded": 0,
            "median_response_days": None,
            "median_resolution_days": None,
        }
    return {
        "received": row.received,
        "open": row.open,
        "resolved": row.resolved,
        "closed": row.closed,
        "responded": row.responded,
        "median_response_days": row.median_response_days,
        "median_resolution_days": row.median_resolution_days,
    }


def dashboard_figures(*, filters: Filters, build: ConcernStatsBuild) -> dict:
    """Everything the dashboard shows for `filters`, read from the rows of `build` (two
    queries: the window's rows, the month rows). Area breakdowns leave sensitive concerns out,
    and a sensitive category has no figures by area at all."""
    period, category, area = filters.period, filters.category, filters.area
    sensitive_by_area = category is not None and category.is_sensitive and area is not None
    window = ConcernStat.objects.filter(period=period).select_related("category", "area")
    own = {"area": area} if area else {"area__isnull": True}
    cat = {"category": category} if category else {"category__isnull": True}
    rows = list(window.filter(**own) | window.filter(**cat)) if not sensitive_by_area else []
    summary = next((r for r in rows if r.category_id == (category and category.pk) and r.area == area), None)
    by_category = []
    if category is None:
        by_category = [
            {"category": r.category, "label": r.category.label, "sensitive": r.category.is_sensitive, **_figures(r)}
            for r in rows
            if r.category is not None and r.area == area
        ]
        by_category.sort(key=lambda r: (-r["received"], r["label"]))
    by_area = []
    if area is None:
        by_area = [
            {"area": r.area, "label": r.area.name, **_figures(r)}
            for r in rows
            if r.area is not None and r.category_id == (category and category.pk)
        ]
        by_area.sort(key=lambda r: (r["area"].kind != "police_district", r["label"]))
    # Month rows of the window, with empty months shown as zeros.
    last = current_month(build.computed_at)
    first = period_first_month(period, build.computed_at)
    found = {}
    if not sensitive_by_area:
        month_rows = ConcernStat.objects.filter(period=ConcernStat.Period.MONTH, **own, **cat)
        if first is not None:
            month_rows = month_rows.filter(month__gte=first)
        found = {r.month: r for r in month_rows}
    if first is None:
        first = min(found) if found else last
    months = []
    month = first
    while month <= last:
        months.append({"month": month, **_figures(found.get(month))})
        month = month_add(month, 1)
    return {
        "summary": _figures(summary),
        "by_category": by_category,
        "by_area": by_area,
        "months": months,
        "sensitive_by_area": sensitive_by_area,
        "has_data": bool(summary and summary.received),
    }
