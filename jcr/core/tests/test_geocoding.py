"""Address search (jcr.core.geocoding): the demo gazetteer, the county bounds, the providers'
failures, the suggestions endpoint, and the maps' basemap settings (tiles in the CSP, outlines
in the page). No test sends network traffic: the demo geocoder or a stand-in answers."""

from __future__ import annotations

import importlib
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from jcr.core import geocoding
from jcr.core.geo import map_context
from jcr.core.geocoding import Candidate, CensusGeocoder, GeocodingUnavailable, geocode_one, geocode_search
from jcr.core.tests.factories import AreaFactory
from jcr.core.tiles import tile_origins

pytestmark = pytest.mark.django_db
SUGGEST = "/geocode/suggest/"


@pytest.fixture
def county(settings):
    settings.JCR_GEOCODER_BOUNDS = "-121.87,38.01,-121.02,38.74"


@pytest.fixture
def failing(monkeypatch):
    def provider(name):
        def geocode(query, **kwargs):
            raise GeocoderUnavailable("connection refused")

        return geocode

    monkeypatch.setattr(geocoding, "_provider", provider)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1200 J Street, Sacramento, CA", "1200 J St, Sacramento, CA"),
        ("4500 florin road", "4500 Florin Rd, Sacramento, CA"),
        ("Cal Expo", "Cal Expo, 1600 Exposition Blvd"),
    ],
)
def test_demo_geocoder_finds_demo_addresses_in_the_county(county, query, expected):
    found = geocode_one(query)
    assert found is not None
    assert found.label == expected
    assert -121.87 <= found.longitude <= -121.02
    assert 38.01 <= found.latitude <= 38.74


@pytest.mark.parametrize("query", ["742 Evergreen Terrace", "San Francisco City Hall", "J"])
def test_demo_geocoder_misses_unknown_short_and_out_of_county_places(county, query):
    """The gazetteer knows San Francisco's city hall; the county bounds drop it."""
    assert geocode_search(query) == []


def test_bounds_default_to_the_areas_extent(settings):
    settings.JCR_GEOCODER_BOUNDS = ""
    AreaFactory(lon=-121.495, lat=38.575)  # around 1200 J St only
    assert geocode_one("1200 J St") is not None
    assert geocode_one("4500 Florin Rd") is None


def test_results_are_cached_and_a_failing_provider_is_reported(county, monkeypatch, failing):
    with pytest.raises(GeocodingUnavailable):
        geocode_search("1200 J St")
    monkeypatch.undo()
    assert geocode_one("1200 J St").label.startswith("1200 J St")
    monkeypatch.setattr(geocoding, "_provider", lambda name: pytest.fail("asked again"))
    assert geocode_one("1200  j st").label.startswith("1200 J St")  # same query, from the cache


def test_census_adapter_reads_matches_and_keeps_the_county_only(settings, county, monkeypatch):
    settings.JCR_GEOCODER = "census"
    geocoding._provider.cache_clear()
    seen = []

    def call(self, url, callback, **kwargs):
        seen.append(url)
        return callback(
            {
                "result": {
                    "addressMatches": [
                        {
                            "matchedAddress": "1200 J ST, SACRAMENTO, CA, 95814",
                            "coordinates": {"x": -121.49, "y": 38.58},
                        },
                        {"matchedAddress": "1200 J ST, MODESTO, CA, 95354", "coordinates": {"x": -120.99, "y": 37.64}},
                    ]
                }
            }
        )

    monkeypatch.setattr(CensusGeocoder, "_call_geocoder", call)
    try:
        assert geocode_search("1200 J St") == [Candidate("1200 J ST, SACRAMENTO, CA, 95814", 38.58, -121.49)]
    finally:
        geocoding._provider.cache_clear()
    assert seen[0].startswith("https://geocoding.geo.census.gov/geocoder/locations/onelineaddress?address=1200+J+St")


def test_nominatim_is_asked_within_the_county_with_the_user_agent(settings, county, monkeypatch):
    from geopy.geocoders import Nominatim
    from geopy.location import Location

    settings.JCR_GEOCODER = "nominatim"
    settings.JCR_GEOCODER_USER_AGENT = "jcr-portal (webmaster@da.example.gov)"
    settings.JCR_GEOCODER_DOMAIN = "nominatim.da.example.gov"
    settings.JCR_GEOCODER_MIN_DELAY_SECONDS = 0
    asked = []

    def geocode(self, query, **kwargs):
        asked.append((self.domain, self.headers["User-Agent"], kwargs))
        return [Location("915 I Street, Sacramento", (38.5816, -121.493), {})]

    monkeypatch.setattr(Nominatim, "geocode", geocode)
    geocoding._provider.cache_clear()
    try:
        assert geocode_one("915 I St").label == "915 I Street, Sacramento"
    finally:
        geocoding._provider.cache_clear()
    domain, agent, kwargs = asked[0]
    assert (domain, agent) == ("nominatim.da.example.gov", "jcr-portal (webmaster@da.example.gov)")
    assert kwargs["bounded"] is True
    assert kwargs["viewbox"] == [(38.01, -121.87), (38.74, -121.02)]


def test_suggest_returns_at_most_five_places_as_json(client, county):
    response = client.get(SUGGEST, {"q": "100 "})  # "100" on every street
    body = response.json()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert body["provider"] == "demo"
    assert body["message"] == ""
    assert len(body["results"]) == 5
    assert set(body["results"][0]) == {"label", "latitude", "longitude"}
    assert client.get(SUGGEST, {"q": "zz"}).json()["results"] == []


def test_suggest_is_rate_limited_per_client(client, settings, county):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "geocode": "2/m/ip"}
    statuses = [client.get(SUGGEST, {"q": "J St"}, REMOTE_ADDR="192.0.2.77").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get(SUGGEST, {"q": "J St"}, REMOTE_ADDR="192.0.2.77")
    assert refused.json()["results"] == []
    assert "Too many address searches" in refused.json()["message"]
    assert int(refused["Retry-After"]) > 0


def test_suggest_says_when_the_provider_fails(client, county, failing, monkeypatch):
    monkeypatch.setattr(geocoding, "_provider", lambda name: _raise(GeocoderTimedOut("slow")))
    response = client.get(SUGGEST, {"q": "1200 J St"})
    assert response.status_code == 503
    assert "not available right now" in response.json()["message"]


def _raise(exc):
    def geocode(query, **kwargs):
        raise exc

    return geocode


@pytest.mark.parametrize(
    ("url", "origins"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        ("https://tiles.example-data.org/{z}/{x}/{y}.png", ["https://tiles.example-data.org"]),
        ("https://data.tiles.example.org:8443/{z}/{x}/{y}{r}.png", ["https://data.tiles.example.org:8443"]),
        (
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            [
                "https://a.tile.openstreetmap.org",
                "https://b.tile.openstreetmap.org",
                "https://c.tile.openstreetmap.org",
            ],
        ),
        ("", []),
    ],
)
def test_tile_origins_for_the_csp(url, origins):
    assert tile_origins(url) == origins


def test_tile_origins_refuse_a_relative_template():
    with pytest.raises(ImproperlyConfigured):
        tile_origins("/tiles/{z}/{x}/{y}.png")


@pytest.mark.parametrize(
    ("url", "origins"),
    [
        ("https://tiles.example-data.org/{z}/{x}/{y}.png", ["https://tiles.example-data.org"]),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", [f"https://{s}.tile.openstreetmap.org" for s in "abc"]),
    ],
)
def test_the_csp_img_src_is_built_from_the_tile_url(monkeypatch, url, origins):
    """The settings module read again with JCR_MAP_TILE_URL set (tests have no tiles)."""
    import jcr.settings as module

    monkeypatch.setenv("JCR_MAP_TILE_URL", url)
    try:
        img_src = importlib.reload(module).CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)
    assert img_src == ["'self'", "data:", *origins]


def test_the_map_draws_the_districts_from_the_page(client):
    area = AreaFactory(lon=-121.495, lat=38.575, name="Midtown Test", slug="midtown-test", is_approximate=True)
    context = map_context()
    assert [f["properties"] for f in context["areas"]["features"]] == [
        {"name": "Midtown Test", "slug": "midtown-test", "is_approximate": True}
    ]
    assert context["max_zoom"] >= 1
    assert "tile_url" in context
    with_map = client.get(reverse("prosecution:my_prosecutor")).content.decode()
    script = with_map.split('id="id_latitude-map-areas" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script)["features"][0]["properties"]["slug"] == "midtown-test"
    assert 'data-areas-id="id_latitude-map-areas"' in with_map
    assert "demo geocoder" in with_map
    area.name = "Midtown Renamed"
    area.save()  # the cached outlines are forgotten
    assert map_context()["areas"]["features"][0]["properties"]["name"] == "Midtown Renamed"
