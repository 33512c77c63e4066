"""Residents' area pages: "Who is my community prosecutor?", the area page, the outlines."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from jcr.core.models import Area
from jcr.core.tests.factories import AreaAssignmentFactory, AreaFactory
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory, ConcernUpdateFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"prosecution:{name}", kwargs=kwargs)


@pytest.fixture
def district():
    area = AreaFactory(lon=-121.3, lat=38.3, name="Test Heights", slug="test-heights", is_approximate=True)
    AreaAssignmentFactory(area=area, user__full_name="Dana Prosecutor", user__title="Deputy District Attorney")
    return area


def test_lookup_by_point_inside_a_district_shows_its_prosecutor(client, district):
    other = AreaFactory(lon=-121.25, lat=38.3, name="Other Flats", slug="other-flats")
    AreaAssignmentFactory(area=other, user__full_name="Sam Elsewhere")
    response = client.get(_url("my_prosecutor"), {"latitude": "38.305", "longitude": "-121.295"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dana Prosecutor" in body
    assert "Deputy District Attorney" in body
    assert "Sam Elsewhere" not in body
    assert _url("area_detail", slug="test-heights") in body
    assert "cpu@da.example.gov" in body
    assert "(916) 874-6218" in body
    assert "approximate" in body


def test_lookup_outside_every_area_says_so(client, district):
    response = client.get(_url("my_prosecutor"), {"latitude": "10", "longitude": "10"})
    body = response.content.decode()
    assert "outside every area" in body
    assert "Dana Prosecutor" not in body


def test_lookup_by_district_choice(client, district):
    response = client.get(_url("my_prosecutor"), {"area": "test-heights", "latitude": "", "longitude": ""})
    assert "Dana Prosecutor" in response.content.decode()


def test_lookup_of_a_district_without_prosecutor(client):
    AreaFactory(slug="empty-district", name="Empty District")
    response = client.get(_url("my_prosecutor"), {"area": "empty-district"})
    assert "No prosecutor assigned yet" in response.content.decode()


def test_lookup_without_a_place_asks_for_one(client, district):
    response = client.get(_url("my_prosecutor"), {"area": "", "latitude": "", "longitude": ""})
    body = response.content.decode()
    assert "Type your address, choose your district or place a pin" in body
    assert "Dana Prosecutor" not in body
    unknown = client.get(_url("my_prosecutor"), {"area": "nowhere"})
    assert "Dana Prosecutor" not in unknown.content.decode()


def test_unbound_lookup_page_has_the_map_and_the_district_list(client, district):
    body = client.get(_url("my_prosecutor")).content.decode()
    assert "data-concern-map" in body
    assert "Test Heights" in body
    assert "leaflet.js" in body
    assert "concern-map.js" in body


def test_area_page_shows_counts_and_never_private_things(client, district):
    graffiti = CategoryFactory(code="area-graffiti", name="Graffiti here")
    dumping = CategoryFactory(code="area-dumping", name="Dumping here")
    secret = CategoryFactory(code="area-secret", name="Secret kind", is_sensitive=True)
    concerns = [ConcernFactory(category=graffiti, description=f"graffiti number {i}") for i in range(3)]
    concerns.append(ConcernFactory(category=dumping, description="a mattress"))
    concerns.append(
        ConcernFactory(
            category=graffiti,
            contact_name="MARKER-NAME",
            contact_email="marker-email@example.org",
            contact_phone="MARKER-PHONE",
            description="raw words",
            public_description="edited words",
            public_text_state=Concern.TextState.PUBLISHED,
        )
    )
    sensitive = ConcernFactory(category=secret, description="MARKER-SENSITIVE", address="MARKER-ADDRESS")
    closed = ConcernFactory(category=dumping, description="MARKER-CLOSED", status=Concern.Status.CLOSED)
    ConcernUpdateFactory(concern=concerns[0], kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="MARKER-NOTE")
    for concern in [*concerns, sensitive, closed]:
        concern.areas.set([district])
    response = client.get(_url("area_detail", slug="test-heights"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dana Prosecutor" in body
    assert "Test Heights" in body
    assert response.context["counts"] == [
        {"code": "area-graffiti", "label": "Graffiti here", "count": 4},
        {"code": "area-dumping", "label": "Dumping here", "count": 1},
    ]
    assert "edited words" in body
    assert "raw words" not in body
    assert _url("concern_public", public_ref=concerns[0].public_ref) in body
    assert concerns[0].tracking_code not in body
    assert "graffiti number" not in body  # not reviewed yet
    for marker in ("MARKER-NAME", "marker-email", "MARKER-PHONE", "MARKER-SENSITIVE", "MARKER-ADDRESS"):
        assert marker not in body
    assert "MARKER-NOTE" not in body
    assert "MARKER-CLOSED" not in body
    assert "Secret kind" not in body
    assert "problem-solving" not in body.lower()
    assert "upcoming events" not in body.lower()


def test_area_page_404_for_unknown_or_non_public_kind(client):
    AreaFactory(kind=Area.Kind.COUNCIL_DISTRICT, slug="council-1")
    assert client.get(_url("area_detail", slug="council-1")).status_code == 404
    assert client.get(_url("area_detail", slug="no-such-area")).status_code == 404


@pytest.mark.parametrize("n", [3, 30])
def test_area_page_query_budget(client, district, n):
    category = CategoryFactory(code="budget-cat")
    for i in range(n):
        ConcernFactory(category=CategoryFactory(code=f"budget-{i % 4}") if i % 2 else category).areas.set([district])
    with assert_max_queries(8):
        response = client.get(_url("area_detail", slug="test-heights"))
    assert response.status_code == 200
    assert response.context["open_total"] == n


def test_areas_geojson_has_only_public_fields(client, district):
    AreaFactory(kind=Area.Kind.NEIGHBORHOOD, slug="a-neighborhood")
    response = client.get(_url("areas_geojson"))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"] for f in data["features"]] == [
        {"name": "Test Heights", "slug": "test-heights", "is_approximate": True}
    ]
    assert set(data["features"][0]) == {"type", "properties", "geometry"}
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert "Dana" not in response.content.decode()


def test_district_list_links_to_area_pages(client, district):
    body = client.get(_url("landing")).content.decode()
    assert _url("area_detail", slug="test-heights") in body
    assert _url("my_prosecutor") in body


def test_report_form_has_the_optional_map(client):
    CategoryFactory(code="map-cat", name="Map category")
    body = client.get(_url("report_form", code="map-cat")).content.decode()
    assert 'data-lat-input="id_latitude"' in body
    assert 'name="latitude"' in body
    assert 'name="address"' in body


def test_sitemap_lists_area_pages(client, district):
    body = client.get("/sitemap.xml").content.decode()
    assert "/community-prosecution/areas/test-heights/" in body
    assert "/community-prosecution/my-prosecutor/" in body


@pytest.fixture
def midtown():
    """A district around the demo geocoder's 1200 J St."""
    area = AreaFactory(lon=-121.495, lat=38.575, name="Midtown Test", slug="midtown-test")
    AreaAssignmentFactory(area=area, user__full_name="Mia Midtown")
    return area


def test_lookup_by_address_shows_the_prosecutor_of_the_area_found(client, midtown, district):
    response = client.get(_url("my_prosecutor"), {"address": "1200 J Street", "area": ""})
    body = response.content.decode()
    assert "The address we found: 1200 J St, Sacramento, CA" in body
    assert "Mia Midtown" in body
    assert "Dana Prosecutor" not in body
    missing = client.get(_url("my_prosecutor"), {"address": "742 Evergreen Terrace"}).content.decode()
    assert "We could not find this address in the county" in missing
    assert "Mia Midtown" not in missing


def test_lookup_by_address_when_the_geocoder_fails_keeps_the_address(client, midtown, monkeypatch):
    from geopy.exc import GeocoderUnavailable

    from jcr.core import geocoding

    def provider(name):
        def geocode(query, **kwargs):
            raise GeocoderUnavailable("down")

        return geocode

    monkeypatch.setattr(geocoding, "_provider", provider)
    response = client.get(_url("my_prosecutor"), {"address": "1200 J Street"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The address search is not available right now. Place a pin on the map or choose your district" in body
    assert 'value="1200 J Street"' in body
    assert "Mia Midtown" not in body
