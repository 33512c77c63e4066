"""Area import (all or nothing) and point-in-area lookup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Polygon

from jcr.core.geo import areas_containing, areas_import
from jcr.core.models import Area, AuditEntry
from jcr.core.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[-121.5, 38.5], [-121.4, 38.6], [-121.4, 38.5], [-121.5, 38.6], [-121.5, 38.5]]],
}
# An L: the square (-121.5..-121.3, 38.5..38.7) without its north-east quarter.
L_SHAPE = {
    "type": "Polygon",
    "coordinates": [
        [[-121.5, 38.5], [-121.3, 38.5], [-121.3, 38.6], [-121.4, 38.6], [-121.4, 38.7], [-121.5, 38.7], [-121.5, 38.5]]
    ],
}


def feature(name: str | None, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"name": name} if name else {}, "geometry": geometry}


def write(tmp_path, data) -> Path:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(data))
    return path


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def test_import_creates_areas_with_their_bounding_boxes(tmp_path):
    path = write(
        tmp_path,
        collection(feature("Downtown", square(-121.50, 38.55, 0.02)), feature("Natomas", L_SHAPE)),
    )
    call_command("import_areas", str(path), "--kind", "police_district", "--approximate", "--source", "test")

    downtown = Area.objects.get(slug="downtown")
    assert downtown.kind == Area.Kind.POLICE_DISTRICT
    assert downtown.is_approximate is True
    assert downtown.source == "test"
    assert (downtown.min_lon, downtown.min_lat, downtown.max_lon, downtown.max_lat) == pytest.approx(
        (-121.50, 38.55, -121.48, 38.57)
    )
    natomas = Area.objects.get(slug="natomas")
    assert (natomas.min_lon, natomas.min_lat, natomas.max_lon, natomas.max_lat) == pytest.approx(
        (-121.5, 38.5, -121.3, 38.7)
    )
    assert AuditEntry.objects.filter(action="core.area.import").count() == 2


def test_import_again_updates_instead_of_duplicating(tmp_path):
    path = write(tmp_path, collection(feature("Downtown", square(-121.50, 38.55))))
    call_command("import_areas", str(path), "--kind", "police_district")
    path = write(tmp_path, collection(feature("Downtown", square(-121.40, 38.55))))
    call_command("import_areas", str(path), "--kind", "police_district")
    area = Area.objects.get()
    assert area.min_lon == pytest.approx(-121.40)


def test_an_invalid_polygon_imports_nothing(tmp_path):
    existing = AreaFactory(name="Downtown", slug="downtown", lon=-121.0, lat=38.0)
    before = Area.objects.count()
    path = write(
        tmp_path,
        collection(
            feature("Downtown", square(-121.50, 38.55)),  # would update the existing area
            feature("Natomas", square(-121.45, 38.65)),
            feature("Bowtie", BOWTIE),
            feature("Arden", square(-121.35, 38.60)),
        ),
    )

    with pytest.raises(CommandError, match="feature 3") as excinfo:
        call_command("import_areas", str(path), "--kind", "police_district")

    assert "Bowtie" in str(excinfo.value)
    assert "Nothing was imported" in str(excinfo.value)
    assert Area.objects.count() == before
    existing.refresh_from_db()
    assert existing.min_lon == pytest.approx(-121.0)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "Feature", "properties": {"name": "A"}, "geometry": square(-121.5, 38.5)}, "FeatureCollection"),
        (collection(), "no features"),
        (collection(feature("A", square(-121.5, 38.5)), feature(None, square(-121.4, 38.5))), "feature 2"),
        (collection(feature("A", square(-121.5, 38.5)), feature("A", square(-121.4, 38.5))), "repeats the name"),
        # State-plane feet, not longitude/latitude.
        (collection(feature("Feet", square(6_700_000, 1_950_000, 5000))), "longitude/latitude"),
        (collection(feature("Point", {"type": "Point", "coordinates": [-121.5, 38.5]})), "Polygon or MultiPolygon"),
    ],
)
def test_import_rejects_bad_files(tmp_path, data, message):
    path = write(tmp_path, data)
    with pytest.raises(CommandError, match=message):
        call_command("import_areas", str(path), "--kind", "police_district")
    assert not Area.objects.exists()


def test_import_rejects_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_text("not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_areas", str(path), "--kind", "police_district")


def test_missing_name_is_named(tmp_path):
    path = write(tmp_path, collection(feature(None, square(-121.5, 38.5))))
    with pytest.raises(CommandError, match="has no “name” property"):
        call_command("import_areas", str(path), "--kind", "police_district")


def test_areas_containing_uses_the_polygon_not_just_the_box(tmp_path):
    areas_import(path=write(tmp_path, collection(feature("L", L_SHAPE))), kind=Area.Kind.POLICE_DISTRICT)
    area = Area.objects.get()

    assert areas_containing(lon=-121.45, lat=38.55) == [area]  # in the L
    assert areas_containing(lon=-121.35, lat=38.65) == []  # in the box, in the missing quarter
    assert areas_containing(lon=-121.0, lat=38.55) == []  # outside the box
    assert areas_containing(lon=-121.45, lat=38.55, kind=Area.Kind.CITY) == []


def test_a_point_in_a_hole_is_not_in_the_area():
    areas_import(path=DEMO_DIR / "cities.geojson", kind=Area.Kind.CITY)
    county = Area.objects.get(slug="unincorporated-county")
    outer, *holes = county.geometry["coordinates"]
    assert holes, "the demo county polygon has holes (the cities)"
    for hole in holes:
        point = Polygon(hole).representative_point()
        found = areas_containing(lon=point.x, lat=point.y, kind=Area.Kind.CITY)
        assert county not in found
        assert len(found) == 1  # the city that fills the hole
    inside = Polygon(outer, holes).representative_point()
    assert areas_containing(lon=inside.x, lat=inside.y, kind=Area.Kind.CITY) == [county]
