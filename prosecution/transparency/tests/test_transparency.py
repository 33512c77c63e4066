"""The public concern dashboard, its precomputed figures and the open data."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django_celery_beat.models import PeriodicTask

from jcr.core.models import Area
from jcr.core.tests.factories import AreaFactory
from prosecution import demo as unit_demo
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, ConcernUpdateFactory
from prosecution.transparency import services as transparency_services
from prosecution.transparency import tasks as transparency_tasks
from prosecution.transparency.models import ConcernStat, ConcernStatsBuild
from tests.support import assert_max_queries, marker

pytestmark = pytest.mark.django_db

# Mid-June 2026: the 12-month window starts on 1 July 2025 (Pacific time), the 3-month one on
# 1 April 2026.
NOW = datetime(2026, 6, 15, 19, 0, tzinfo=UTC)
DASHBOARD = "/community-prosecution/dashboard/"


def at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


def concern(category, created, *, ack_days=None, resolved_days=None, status=None, areas=(), **extra) -> Concern:
    """A concern received at `created`, first answered `ack_days` later and resolved (or
    closed) `resolved_days` later."""
    if status is None:
        status = Concern.Status.RESOLVED if resolved_days is not None else Concern.Status.RECEIVED
    c = ConcernFactory(
        category=category,
        created_at=created,
        status=status,
        acknowledged_at=None if ack_days is None else created + timedelta(days=ack_days),
        resolved_at=None if resolved_days is None else created + timedelta(days=resolved_days),
        **extra,
    )
    c.areas.set(areas)
    return c


def stat(period, *, category=None, area=None, month=None) -> ConcernStat:
    return ConcernStat.objects.get(period=period, category=category, area=area, month=month)


def snapshot() -> list[tuple]:
    return sorted(
        (
            r.period,
            str(r.month),
            r.category_id or 0,
            r.area_id or 0,
            r.received,
            r.open,
            r.resolved,
            r.closed,
            r.responded,
            None if r.median_response_days is None else round(r.median_response_days, 6),
            None if r.median_resolution_days is None else round(r.median_resolution_days, 6),
        )
        for r in ConcernStat.objects.all()
    )


@pytest.fixture
def world_small():
    """Two districts, a public kind and a private kind, with known durations."""
    graffiti = CategoryFactory(code="t-graffiti", name="Graffiti", name_es="Grafiti")
    dumping = CategoryFactory(code="t-dumping", name="Dumping", name_es="Basura")
    private = CategoryFactory(code="t-private", name="Private kind", name_es="Tipo privado", is_sensitive=True)
    north = AreaFactory(slug="north", name="North")
    south = AreaFactory(slug="south", name="South")
    neighborhood = AreaFactory(slug="oak", name="Oak", kind=Area.Kind.NEIGHBORHOOD)
    council = AreaFactory(slug="council-1", name="Council 1", kind=Area.Kind.COUNCIL_DISTRICT)
    rows = [
        # graffiti in north: response 1, 2, 4 days; one resolved after 10 days, one closed
        concern(graffiti, at(10), ack_days=1, resolved_days=10, areas=[north, neighborhood, council]),
        concern(graffiti, at(20), ack_days=2, status=Concern.Status.IN_PROGRESS, areas=[north]),
        concern(
            graffiti, at(30), ack_days=4, resolved_days=5, status=Concern.Status.CLOSED, areas=[north, neighborhood]
        ),
        # dumping in south: response 3 days, resolved after 6 days; one unanswered
        concern(dumping, at(40), ack_days=3, resolved_days=6, areas=[south]),
        concern(dumping, at(50), areas=[south]),
        # old: outside the 12-month window
        concern(dumping, at(400), ack_days=8, resolved_days=30, areas=[south]),
        # private: counted, never by area
        concern(private, at(15), ack_days=0.5, areas=[north]),
        concern(private, at(25), areas=[south]),
    ]
    return {
        "graffiti": graffiti,
        "dumping": dumping,
        "private": private,
        "north": north,
        "south": south,
        "oak": neighborhood,
        "council": council,
        "rows": rows,
    }


# --- The figures -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["sql", "python"])
def test_rebuild_counts_and_medians(world_small, method):
    w = world_small
    build = transparency_services.concern_stats_rebuild(method=method, now=NOW)
    assert build.method == method
    assert build.concerns == 8
    overall = stat("12m")
    assert (overall.received, overall.open, overall.resolved, overall.closed) == (7, 4, 2, 1)
    assert overall.responded == 5
    # first responses 1, 2, 4, 3, 0.5 days → median 2; resolutions (resolved only) 10, 6 → 8
    assert overall.median_response_days == pytest.approx(2)
    assert overall.median_resolution_days == pytest.approx(8)
    graffiti = stat("12m", category=w["graffiti"])
    assert (graffiti.received, graffiti.open, graffiti.resolved, graffiti.closed) == (3, 1, 1, 1)
    assert graffiti.median_response_days == pytest.approx(2)
    assert graffiti.median_resolution_days == pytest.approx(10)
    # The window of all time includes the old concern; an even count interpolates.
    dumping_all = stat("all", category=w["dumping"])
    assert dumping_all.received == 3
    assert dumping_all.median_response_days == pytest.approx(5.5)  # 3 and 8
    assert dumping_all.median_resolution_days == pytest.approx(18)  # 6 and 30
    assert stat("3m").received == 7  # 10 to 50 days back: April to June
    assert stat("all").received == 8


@pytest.mark.parametrize("method", ["sql", "python"])
def test_private_kinds_are_counted_but_never_by_area_and_without_medians(world_small, method):
    w = world_small
    transparency_services.concern_stats_rebuild(method=method, now=NOW)
    private = stat("12m", category=w["private"])
    assert (private.received, private.open) == (2, 2)
    assert private.median_response_days is None
    assert private.median_resolution_days is None
    assert not ConcernStat.objects.filter(category=w["private"], area__isnull=False).exists()
    # North: three graffiti concerns; the private one placed there is left out.
    north = stat("12m", area=w["north"])
    assert north.received == 3
    assert north.median_response_days == pytest.approx(2)
    assert stat("12m", area=w["south"]).received == 2
    # Only the kinds of area with a public page: no council district rows.
    assert not ConcernStat.objects.filter(area=w["council"]).exists()
    assert stat("12m", area=w["oak"], category=w["graffiti"]).received == 2


@pytest.mark.parametrize("method", ["sql", "python"])
def test_months_are_calendar_months_in_pacific_time(method):
    category = CategoryFactory(code="t-tz")
    # 1 March 2026 07:30 UTC is 28 February 23:30 in Sacramento.
    concern(category, datetime(2026, 3, 1, 7, 30, tzinfo=UTC))
    concern(category, datetime(2026, 3, 1, 8, 30, tzinfo=UTC))  # 00:30 on 1 March
    transparency_services.concern_stats_rebuild(method=method, now=NOW)
    assert stat("month", month=date(2026, 2, 1)).received == 1
    assert stat("month", month=date(2026, 3, 1)).received == 1
    assert stat("month", month=date(2026, 3, 1), category=category).received == 1


def test_windows_start_at_local_midnight_of_the_first_month():
    category = CategoryFactory(code="t-window")
    # The 3-month window of NOW starts on 1 April 2026 00:00 PDT = 07:00 UTC.
    concern(category, datetime(2026, 4, 1, 6, 59, tzinfo=UTC))
    concern(category, datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
    transparency_services.concern_stats_rebuild(method="sql", now=NOW)
    assert stat("3m").received == 1
    transparency_services.concern_stats_rebuild(method="python", now=NOW)
    assert stat("3m").received == 1


def test_sql_and_python_rebuilds_agree():
    rng = random.Random(7)
    categories = [CategoryFactory(code=f"t-agree-{i}", is_sensitive=i == 0) for i in range(4)]
    areas = [AreaFactory() for _ in range(3)] + [AreaFactory(kind=Area.Kind.CPU_BEAT)]
    for _ in range(120):
        status = rng.choice(Concern.Status.values)
        closed = status in Concern.CLOSED_STATUSES
        concern(
            rng.choice(categories),
            at(rng.uniform(0, 900)),
            ack_days=None if status == Concern.Status.RECEIVED else rng.uniform(0, 9),
            resolved_days=rng.uniform(1, 60) if closed else None,
            status=status,
            areas=rng.sample(areas, rng.randint(0, 2)),
        )
    transparency_services.concern_stats_rebuild(method="sql", now=NOW)
    by_sql = snapshot()
    transparency_services.concern_stats_rebuild(method="python", now=NOW)
    assert snapshot() == by_sql
    assert len(by_sql) > 100


def test_rebuild_is_idempotent_and_keeps_two_builds_of_files(world_small, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = transparency_services.concern_stats_rebuild(now=NOW)
    rows = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        second = transparency_services.concern_stats_rebuild(now=NOW + timedelta(minutes=15))
    assert snapshot() == rows
    default_storage.save("open-data/left-by-a-failed-run.csv", io.BytesIO(b"x"))
    with django_capture_on_commit_callbacks(execute=True):
        third = transparency_services.concern_stats_rebuild(now=NOW + timedelta(minutes=30))
    assert snapshot() == rows
    assert list(ConcernStatsBuild.objects.values_list("pk", flat=True)) == [third.pk, second.pk]
    assert not default_storage.exists(first.concerns_csv)
    assert not default_storage.exists(first.concerns_json)
    assert not default_storage.exists("open-data/left-by-a-failed-run.csv")
    for build in (second, third):
        assert default_storage.exists(build.concerns_csv)
        assert default_storage.exists(build.concerns_json)
    assert third.rows == ConcernStat.objects.count()
    assert third.open_data_rows == 6  # the two private concerns are not in the open data


def test_task_command_and_schedule(world_small):
    build_id = transparency_tasks.concern_stats_rebuild()
    assert ConcernStatsBuild.objects.get(pk=build_id).concerns == 8
    out = io.StringIO()
    call_command("concern_stats_rebuild", "--method", "python", stdout=out)
    assert "from 8 concerns" in out.getvalue()
    assert ConcernStatsBuild.objects.latest().method == "python"
    task = PeriodicTask.objects.get(task="prosecution.transparency.concern_stats_rebuild")
    assert task.enabled
    assert task.interval.every == 15
    assert task.interval.period == "minutes"


def test_demo_seed_computes_the_figures():
    created = unit_demo.seed(count=6)
    assert created == 6
    build = ConcernStatsBuild.objects.get()
    assert build.concerns == Concern.objects.count()


# --- The dashboard -------------------------------------------------------------------------------


def test_dashboard_before_any_rebuild_says_so():
    response = Client().get(DASHBOARD)
    assert response.status_code == 200
    assert "The figures are being prepared" in response.content.decode()


def test_dashboard_shows_the_figures_as_of_the_rebuild(world_small):
    transparency_services.concern_stats_rebuild(now=timezone_now())
    page = Client().get(DASHBOARD).content.decode()
    assert "Figures as of" in page
    assert "Last 12 months" in page
    # The summary, a chart with its text alternative, and the same numbers in tables.
    assert "<dt>Concerns received</dt><dd>7</dd>" in page
    assert 'role="img"' in page
    assert '<desc id="months-chart-desc">' in page
    assert '<th scope="col" class="text-end">Received</th>' in page
    assert "Graffiti" in page
    assert "North" in page
    assert "private: counts only" in page
    assert 'style="' not in page  # CSP: no inline styles
    spanish = Client().get("/es" + DASHBOARD).content.decode()
    assert "Grafiti" in spanish
    assert "Tipo privado" in spanish
    # SVG coordinates are never localized ("12,5" is no length).
    assert not re.search(r'\b(?:x|y|y1|y2|width|height)="[\d.]*,', spanish)
    assert re.search(r'<rect class="bar-open" x="[\d.]+%" width="[\d.]+%" y="[\d.]+" height="[\d.]+"', spanish)


def test_dashboard_filters_by_category_area_and_period(world_small):
    w = world_small
    transparency_services.concern_stats_rebuild(now=timezone_now())
    client = Client()
    page = client.get(DASHBOARD, {"category": "t-graffiti", "area": "north"}).content.decode()
    assert "<dt>Concerns received</dt><dd>3</dd>" in page
    assert "Figures by area leave out" in page
    page = client.get(DASHBOARD, {"period": "all", "category": "t-dumping"}).content.decode()
    assert "<dt>Concerns received</dt><dd>3</dd>" in page
    assert 'value="all" selected' in page
    # A private kind by area: no figures, an explanation instead.
    page = client.get(DASHBOARD, {"category": w["private"].code, "area": "south"}).content.decode()
    assert "are kept private" in page
    assert "<dt>Concerns received</dt>" not in page
    # A choice with nothing in it: an empty state.
    page = client.get(DASHBOARD, {"period": "3m", "area": "oak", "category": "t-dumping"}).content.decode()
    assert "No concerns were received in this period" in page


@pytest.mark.parametrize(
    "query",
    [{"period": "5y"}, {"category": "no-such-kind"}, {"area": "nowhere"}, {"period": ["12m", "<script>"]}],
)
def test_dashboard_bad_filter_answers_400_with_a_message(world_small, query):
    transparency_services.concern_stats_rebuild(now=timezone_now())
    response = Client().get(DASHBOARD, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a valid choice" in page
    assert "<dt>Concerns received</dt><dd>7</dd>" in page  # the defaults for the rest
    assert "<script>" not in page.split("</header>", 1)[1].split("<footer", 1)[0]


def test_dashboard_is_cached_for_anonymous_visitors(world_small):
    transparency_services.concern_stats_rebuild(now=timezone_now())
    client = Client()
    client.get(DASHBOARD)
    with assert_max_queries(0):
        assert client.get(DASHBOARD).status_code == 200


def _areas_with_concerns(n_areas: int, n_concerns: int) -> list[Area]:
    category = CategoryFactory(code="t-budget")
    areas = [AreaFactory() for _ in range(n_areas)]
    for i in range(n_concerns):
        concern(category, at(i % 300), ack_days=1, areas=[areas[i % n_areas]])
    return areas


@pytest.mark.parametrize(("n_areas", "n_concerns"), [(2, 5), (12, 60)])
def test_dashboard_queries_do_not_grow_with_rows(n_areas, n_concerns):
    areas = _areas_with_concerns(n_areas, n_concerns)
    transparency_services.concern_stats_rebuild(now=timezone_now())
    for query in ({}, {"area": areas[0].slug}, {"period": "all", "category": "t-budget"}):
        caches["pages"].clear()
        with assert_max_queries(5) as captured:
            response = Client().get(DASHBOARD, query)
        assert response.status_code == 200, captured


# --- Open data -----------------------------------------------------------------------------------


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_open_data_before_any_rebuild_is_503():
    response = Client().get("/community-prosecution/open-data/concerns.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == "900"


@pytest.mark.parametrize(
    "url", ["/community-prosecution/open-data/people.csv", "/community-prosecution/open-data/concerns.xml"]
)
def test_open_data_unknown_dataset_or_format_is_404(world_small, url):
    transparency_services.concern_stats_rebuild(now=NOW)
    assert Client().get(url).status_code == 404


def test_open_data_concerns_csv_and_json(world_small):
    w = world_small
    build = transparency_services.concern_stats_rebuild(now=NOW)
    client = Client()
    response = client.get("/community-prosecution/open-data/concerns.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="community-prosecution-concerns-2026-06-15.csv"'
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["Last-Modified"]
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert list(rows[0]) == [*transparency_services.CONCERN_FIELDS[:-2], "latitude", "longitude"]
    assert len(rows) == 6
    assert {r["category"] for r in rows} == {"t-graffiti", "t-dumping"}
    first = next(r for r in rows if r["first_response_days"] == "1.0")
    assert first["resolution_days"] == "10.0"
    assert first["areas"] == "oak north"  # public kinds only, by kind then slug
    assert first["is_open"] == "false"
    assert first["created_month"] == "2026-06"
    assert first["created_date"] == "2026-06-05"
    assert (first["latitude"], first["longitude"]) == ("38.577", "-121.494")  # the blurred position
    pseudonyms = {r["id"] for r in rows}
    assert len(pseudonyms) == 6
    assert not pseudonyms & ({str(c.pk) for c in w["rows"]} | {c.tracking_code for c in w["rows"]})

    response = client.get("/community-prosecution/open-data/concerns.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(_body(response))
    assert data["computed_at"] == build.computed_at.isoformat()
    assert {r["id"] for r in data["concerns"]} == pseudonyms
    assert set(data["concerns"][0]) == set(transparency_services.CONCERN_FIELDS)
    assert any(r["areas"] == ["oak", "north"] for r in data["concerns"])

    # The same concern keeps its pseudonymous id in the next rebuild.
    transparency_services.concern_stats_rebuild(now=NOW + timedelta(minutes=15))
    again = list(csv.DictReader(io.StringIO(_body(client.get("/community-prosecution/open-data/concerns.csv")))))
    assert {r["id"] for r in again} == pseudonyms


def test_open_data_figures_csv_and_json(world_small):
    w = world_small
    transparency_services.concern_stats_rebuild(now=NOW)
    client = Client()
    response = client.get("/community-prosecution/open-data/figures.csv")
    assert response["Content-Disposition"] == 'attachment; filename="community-prosecution-figures-2026-06-15.csv"'
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert list(rows[0]) == transparency_services.FIGURE_FIELDS
    assert len(rows) == ConcernStat.objects.count()
    overall = next(r for r in rows if r["period"] == "12m" and not r["category"] and not r["area"])
    assert (overall["received"], overall["median_days_to_first_response"]) == ("7", "2.0")
    private = [r for r in rows if r["category"] == w["private"].code]
    assert private
    assert all(not r["area"] for r in private)
    assert all(r["category_sensitive"] == "true" and not r["median_days_to_first_response"] for r in private)
    data = json.loads(_body(client.get("/community-prosecution/open-data/figures.json")))
    assert len(data["figures"]) == len(rows)
    north = [r for r in data["figures"] if r["period"] == "month" and r["area"] == "north" and not r["category"]]
    assert [(r["month"], r["received"]) for r in north] == [("2026-05", 2), ("2026-06", 1)]
    assert north[0]["area_kind"] == "police_district"


def test_open_data_answers_304_to_a_matching_etag(world_small):
    transparency_services.concern_stats_rebuild(now=NOW)
    client = Client()
    response = client.get("/community-prosecution/open-data/figures.json")
    etag = response["ETag"]
    _body(response)
    again = client.get("/community-prosecution/open-data/figures.json", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_no_private_value_in_any_download_or_on_the_dashboard():
    """Marker strings in every private field of public and private concerns never appear."""
    private_kind = CategoryFactory(code="t-leak-private", is_sensitive=True)
    public_kind = CategoryFactory(code="t-leak-public")
    area = AreaFactory(slug="leak-area")
    markers = []
    for category in (public_kind, private_kind):
        fields = {
            "description": marker("description"),
            "public_description": marker("public-text"),
            "address": marker("address"),
            "contact_name": marker("name"),
            "contact_email": f"{marker('email')}@example.org",
            "contact_phone": marker("phone"),
            "close_reason": marker("reason"),
        }
        c = concern(category, at(3), ack_days=1, areas=[area], latitude=38.123456, longitude=-121.654321, **fields)
        ConcernUpdateFactory(concern=c, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text=marker("note"))
        ConcernUpdateFactory(concern=c, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text=marker("update"))
        markers += [*fields.values(), *c.updates.values_list("text", flat=True), c.tracking_code, str(c.public_id)]
        markers += ["38.123456", "-121.654321"]  # the exact position
    transparency_services.concern_stats_rebuild(now=timezone_now())
    client = Client()
    bodies = {}
    for dataset in ("concerns", "figures"):
        for fmt in ("csv", "json"):
            bodies[f"{dataset}.{fmt}"] = _body(client.get(f"/community-prosecution/open-data/{dataset}.{fmt}"))
    for query in ({}, {"area": "leak-area"}, {"category": "t-leak-private"}, {"period": "all"}):
        bodies[str(query)] = client.get(DASHBOARD, query).content.decode()
    leaks = [f"{m} in {name}" for name, body in bodies.items() for m in markers if m in body]
    assert not leaks
    # The public concern is there, the private one only as a count.
    assert "t-leak-public" in bodies["concerns.csv"]
    assert "t-leak-private" not in bodies["concerns.csv"]
    assert "t-leak-private" in bodies["figures.csv"]


def test_open_data_queries_do_not_grow_with_rows():
    _areas_with_concerns(3, 40)
    transparency_services.concern_stats_rebuild(now=timezone_now())
    client = Client()
    for dataset in ("concerns", "figures"):
        with assert_max_queries(3):
            _body(client.get(f"/community-prosecution/open-data/{dataset}.csv"))


def timezone_now() -> datetime:
    from django.utils import timezone

    return timezone.now()
