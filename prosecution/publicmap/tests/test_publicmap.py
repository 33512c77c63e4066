"""The public map of concerns: what it shows (never a sensitive concern, never an exact
position), its filters, its aggregation and query budget, and "already reported nearby"."""

from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jcr.core.tests.factories import AreaFactory
from prosecution.concerns.models import Concern
from prosecution.concerns.services import BLUR_DEGREES, blur
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory
from prosecution.publicmap.selectors import MAX_CLUSTERS, POINTS_MAX

pytestmark = pytest.mark.django_db

MAP = "/community-prosecution/map/"
DATA = "/community-prosecution/map/data.json"
NEARBY = "/community-prosecution/map/nearby.json"
# A box around the factories' position (38.577, -121.494) at street zoom.
NEAR_BOX = {"bbox": "-121.52,38.56,-121.47,38.60", "zoom": "15"}


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def concerns():
    """A public concern, one marked sensitive, one in a sensitive category (its own flag left
    false, as a row written before the category became sensitive) and a closed one."""
    public = ConcernFactory(category=CategoryFactory(code="graffiti", name="Graffiti", name_es="Grafiti"))
    flagged = ConcernFactory(is_sensitive=True, category=CategoryFactory(code="dumping", name="Dumping"))
    secret = CategoryFactory(code="trafficking", name="Trafficking", is_sensitive=True)
    in_sensitive_category = ConcernFactory(category=secret, is_sensitive=False)
    closed = ConcernFactory(status=Concern.Status.RESOLVED, category=public.category)
    return {"public": public, "flagged": flagged, "category": in_sensitive_category, "closed": closed}


def _refs_data(client, **params) -> set[str]:
    response = client.get(DATA, {**NEAR_BOX, **params})
    assert response.status_code == 200, response.content
    return {point["ref"] for point in response.json()["points"]}


def _on_grid(value: float) -> bool:
    steps = value / BLUR_DEGREES
    return math.isclose(steps, round(steps), abs_tol=1e-6)


def test_page_and_data_show_only_non_sensitive_concerns(client, concerns):
    body = client.get(MAP).content.decode()
    assert reverse("prosecution:concern_public", kwargs={"public_ref": concerns["public"].public_ref}) in body
    for hidden in ("flagged", "category"):
        assert concerns[hidden].public_ref not in body
    assert "Trafficking" not in body  # not even as a filter choice
    assert concerns["public"].address not in body
    assert _refs_data(client) == {concerns["public"].public_ref}
    assert _refs_data(client, status="all") == {concerns["public"].public_ref, concerns["closed"].public_ref}


def test_nearby_lists_open_public_concerns_within_the_radius_nearest_first(client, concerns):
    far = ConcernFactory(category=concerns["public"].category, public_latitude=38.577, public_longitude=-121.488)
    near = ConcernFactory(category=concerns["public"].category, public_latitude=38.5775, public_longitude=-121.4935)
    answer = client.get(NEARBY, {"lat": "38.5776", "lon": "-121.4934", "radius": "300"}).json()
    refs = [row["ref"] for row in answer["results"]]
    # `far` is about 480 m away; the sensitive and closed ones are never listed.
    assert refs == [near.public_ref, concerns["public"].public_ref]
    first = answer["results"][0]
    assert first["me_too_url"].endswith(f"/community-prosecution/concerns/{near.public_ref}/#me-too")
    assert first["follow_url"].endswith("#follow")
    assert answer["radius_m"] == 300
    wider = client.get(NEARBY, {"lat": "38.5776", "lon": "-121.4934", "radius": "600"}).json()
    assert far.public_ref in {row["ref"] for row in wider["results"]}


def test_nearby_answers_at_most_ten(client):
    category = CategoryFactory()
    ConcernFactory.create_batch(12, category=category)
    answer = client.get(NEARBY, {"lat": "38.577", "lon": "-121.494"}).json()
    assert answer["count"] == len(answer["results"]) == 10


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"lat": "38.5", "lon": "abc"},
        {"lat": "95", "lon": "-121"},
        {"lat": "38.5", "lon": "-121.4", "radius": "5000"},
    ],
)
def test_nearby_refuses_a_missing_or_bad_point(client, params):
    response = client.get(NEARBY, params)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_positions_are_snapped_to_the_blur_grid(client):
    """Even a row whose stored public position is off the grid (written before blurring)
    leaves on the grid, in the map's points and in "nearby"."""
    category = CategoryFactory()
    ConcernFactory(category=category, public_latitude=38.57712, public_longitude=-121.49431)
    point = client.get(DATA, NEAR_BOX).json()["points"][0]
    nearby = client.get(NEARBY, {"lat": "38.577", "lon": "-121.494"}).json()["results"][0]
    for item in (point, nearby):
        assert (item["lat"], item["lon"]) == (blur(38.57712), blur(-121.49431))
        assert _on_grid(item["lat"])
        assert _on_grid(item["lon"])
        assert item["lat"] != 38.5766  # never the exact latitude


def test_filters_narrow_the_list_and_the_map(client):
    graffiti = CategoryFactory(code="graffiti-f", name="Graffiti F")
    dumping = CategoryFactory(code="dumping-f", name="Dumping F")
    district = AreaFactory(slug="north-f", name="North F")
    old = ConcernFactory(category=graffiti)
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    in_district = ConcernFactory(category=dumping)
    in_district.areas.set([district])
    in_progress = ConcernFactory(category=dumping, status=Concern.Status.IN_PROGRESS)
    resolved = ConcernFactory(category=graffiti, status=Concern.Status.RESOLVED)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    cases = [
        ({"category": "graffiti-f"}, {old}),
        ({"category": "graffiti-f", "status": "all"}, {old, resolved}),
        ({"status": "closed"}, {resolved}),
        ({"status": "in_progress"}, {in_progress}),
        ({"area": "north-f"}, {in_district}),
        ({"date_from": since}, {in_district, in_progress}),
        ({"date_to": since, "status": "all"}, {old}),
    ]
    for params, expected in cases:
        refs = {c.public_ref for c in expected}
        rows = client.get(MAP, params).context["rows"]
        assert {row["public_ref"] for row in rows} == refs, params
        assert _refs_data(client, **params) == refs, params


def test_the_page_shows_a_bad_date_range_and_keeps_the_open_list(client, concerns):
    response = client.get(MAP, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end date must be on or after the start date." in body
    assert 'aria-describedby="id_date_to-error"' in body
    assert [row["public_ref"] for row in response.context["rows"]] == [concerns["public"].public_ref]
    assert client.get(DATA, {"date_from": "2026-05-02", "date_to": "2026-05-01"}).status_code == 400


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "-121,38,-122,39"}, {"zoom": "40"}])
def test_data_refuses_a_bad_box_or_zoom(client, params):
    assert client.get(DATA, params).status_code == 400


def test_the_list_is_paginated_and_keeps_the_filters(client):
    category = CategoryFactory(code="paged")
    ConcernFactory.create_batch(23, category=category)
    first = client.get(MAP, {"category": "paged"})
    assert len(first.context["rows"]) == 20
    assert "?category=paged&amp;page=2" in first.content.decode()
    assert len(client.get(MAP, {"category": "paged", "page": "2"}).context["rows"]) == 3


@pytest.mark.parametrize(("count", "mode"), [(POINTS_MAX, "points"), (POINTS_MAX + 1, "clusters")])
def test_data_sends_points_when_few_and_clusters_above_the_threshold(client, count, mode):
    _bulk(count, spread=0.02)
    answer = client.get(DATA, {"bbox": "-121.55,38.53,-121.43,38.63", "zoom": "13"}).json()
    assert answer["mode"] == mode
    assert answer["total"] == count
    if mode == "points":
        assert len(answer["points"]) == count
        assert answer["clusters"] == []
    else:
        assert answer["points"] == []
        assert sum(c["count"] for c in answer["clusters"]) == count
        assert len(answer["clusters"]) < count
        assert all(_on_grid(c["lat"]) and _on_grid(c["lon"]) for c in answer["clusters"])


def _bulk(count: int, *, spread: float) -> None:
    """`count` open public concerns spread over a square of `spread` degrees (bulk_create)."""
    category = CategoryFactory(code="bulk")
    side = max(1, math.isqrt(count))
    rows = []
    for i in range(count):
        lat = 38.577 + (i // side) * spread / side
        lon = -121.494 + (i % side) * spread / side
        rows.append(
            Concern(
                category=category,
                description="Bulk",
                latitude=lat,
                longitude=lon,
                public_latitude=blur(lat),
                public_longitude=blur(lon),
            )
        )
    Concern.objects.bulk_create(rows, batch_size=2000)


def _fetch_counted(client, params) -> tuple[int, dict, int]:
    caches["default"].clear()  # the data cache, not the rate limits' counts (reset each test)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DATA, params)
    assert response.status_code == 200
    return len(queries), response.json(), len(response.content)


def test_data_query_count_is_constant_and_payload_bounded_with_10000_concerns(client):
    county = {"bbox": "-121.9,38.2,-121.0,38.9", "zoom": "10"}
    street = {"bbox": "-121.50,38.57,-121.48,38.59", "zoom": "16"}
    _bulk(POINTS_MAX + 50, spread=0.3)
    few_county, _answer, _size = _fetch_counted(client, county)
    _bulk(10_000, spread=0.3)
    many_county, answer, size = _fetch_counted(client, county)
    assert answer["mode"] == "clusters"
    assert answer["total"] == 10_000 + POINTS_MAX + 50
    assert many_county == few_county
    assert len(answer["clusters"]) <= MAX_CLUSTERS
    assert size < 40_000
    many_street, answer, size = _fetch_counted(client, street)
    assert many_street <= few_county + 1  # the points' query, when few are in view
    assert len(answer["clusters"]) <= MAX_CLUSTERS
    assert len(answer["points"]) <= POINTS_MAX
    assert size < 40_000


def test_data_answers_from_the_cache_for_a_nearby_box(client, concerns):
    client.get(DATA, NEAR_BOX)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(DATA, {"bbox": "-121.5199,38.5601,-121.4701,38.5999", "zoom": "15"}).json()
    assert [p["ref"] for p in answer["points"]] == [concerns["public"].public_ref]
    assert not [q for q in queries.captured_queries if "prosecution_concern" in q["sql"]]


@pytest.mark.parametrize(("url", "params"), [(DATA, NEAR_BOX), (NEARBY, {"lat": "38.577", "lon": "-121.494"})])
def test_the_json_endpoints_are_rate_limited(client, settings, url, params):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "publicmap_data": "2/h/ip", "publicmap_nearby": "2/h/ip"}
    statuses = [client.get(url, params).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_page_renders_in_spanish(client, concerns):
    body = client.get("/es" + MAP).content.decode()
    assert '<html lang="es"' in body
    assert "Grafiti" in body
    assert "Recibido" in body
    assert 'data-url="/es/community-prosecution/map/data.json"' in body


def test_the_report_form_offers_nearby_reports_without_a_round_trip(client):
    CategoryFactory(code="pothole-like", name="Pothole", is_active=True)
    CategoryFactory(code="private-kind", name="Private", is_active=True, is_sensitive=True)
    body = client.get(reverse("prosecution:report_form", kwargs={"code": "pothole-like"})).content.decode()
    assert f'data-url="{NEARBY}"' in body
    assert 'data-lat-input="id_latitude"' in body
    assert "js/nearby-concerns.js" in body
    sensitive = client.get(reverse("prosecution:report_form", kwargs={"code": "private-kind"})).content.decode()
    assert "data-nearby-concerns" not in sensitive


def test_the_landing_and_area_pages_link_to_the_map(client):
    assert f'href="{MAP}"' in client.get("/community-prosecution/").content.decode()
    district = AreaFactory(slug="linked-district")
    ConcernFactory().areas.set([district])
    area_page = client.get(reverse("prosecution:area_detail", kwargs={"slug": "linked-district"})).content.decode()
    assert f'href="{MAP}?area=linked-district"' in area_page


def test_the_map_json_is_json_with_public_fields_only(client, concerns):
    point = client.get(DATA, NEAR_BOX).json()["points"][0]
    assert set(point) == {"ref", "lat", "lon", "category", "status", "is_open", "reported", "url"}
    body = client.get(NEARBY, {"lat": "38.577", "lon": "-121.494"}).content.decode()
    row = json.loads(body)["results"][0]
    assert set(row) == {
        *("ref", "lat", "lon", "category", "status", "areas", "reported", "summary", "distance_m"),
        *("url", "me_too_url", "follow_url"),
    }
    assert concerns["public"].tracking_code not in body
    assert concerns["public"].description not in body
