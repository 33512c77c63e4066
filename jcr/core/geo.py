"""Geography: validating GeoJSON boundaries, point-in-area lookup, all-or-nothing import."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from shapely.geometry import Point, mapping, shape
from shapely.validation import explain_validity

from jcr.core.audit import audit_record, snapshot
from jcr.core.geocoding import provider_label
from jcr.core.models import Area

log = logging.getLogger(__name__)

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def geometry_validate(geometry: object) -> tuple[float, float, float, float]:
    """Check a GeoJSON geometry is a valid (Multi)Polygon in longitude/latitude.

    Returns its bounding box (min_lon, min_lat, max_lon, max_lat); raises ValidationError.
    """
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geom = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ValidationError(_("The boundary coordinates cannot be read: %(error)s") % {"error": exc}) from exc
    if geom.is_empty:
        raise ValidationError(_("The boundary is empty."))
    if not geom.is_valid:
        raise ValidationError(_("The boundary is not a valid polygon: %(reason)s") % {"reason": explain_validity(geom)})
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("The boundary must use longitude/latitude (WGS 84) coordinates."))
    return min_lon, min_lat, max_lon, max_lat


def area_set_geometry(area: Area, geometry: dict) -> None:
    area.min_lon, area.min_lat, area.max_lon, area.max_lat = geometry_validate(geometry)
    area.geometry = geometry


def areas_containing(*, lon: float, lat: float, kind: str | None = None) -> list[Area]:
    """Areas that contain the point: a bounding-box query, then an exact shapely test."""
    qs: QuerySet[Area] = Area.objects.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)
    if kind:
        qs = qs.filter(kind=kind)
    point = Point(lon, lat)
    return [area for area in qs if shape(area.geometry).covers(point)]


@dataclass
class ImportResult:
    created: int
    updated: int


def areas_import(
    *, path: Path, kind: str, name_property: str = "name", approximate: bool = False, source: str = "", actor=None
) -> ImportResult:
    """Import every feature of a GeoJSON FeatureCollection as an Area of `kind`.

    All or nothing: every feature is validated first; the first bad one raises ValidationError
    naming it (by index and name) and nothing is written. Existing areas of the same kind and
    slug are updated.
    """
    if kind not in Area.Kind.values:
        raise ValidationError(_("Unknown area kind %(kind)s.") % {"kind": kind})
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("Cannot read %(path)s as GeoJSON: %(error)s") % {"path": path, "error": exc}) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ValidationError(_("The file must be a GeoJSON FeatureCollection."))
    if not data["features"]:
        raise ValidationError(_("The file has no features."))

    rows = []
    seen: set[str] = set()
    for index, feature in enumerate(data["features"], start=1):
        props = (feature or {}).get("properties") or {}
        name = str(props.get(name_property) or "").strip()
        label = _("feature %(index)s (%(name)s)") % {"index": index, "name": name or _("no name")}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(_("%(feature)s is not a GeoJSON Feature.") % {"feature": label})
        if not name:
            raise ValidationError(
                _("%(feature)s has no “%(property)s” property.") % {"feature": label, "property": name_property}
            )
        slug = slugify(props.get("slug") or name)[:120]
        if slug in seen:
            raise ValidationError(_("%(feature)s repeats the name of an earlier feature.") % {"feature": label})
        seen.add(slug)
        try:
            bbox = geometry_validate(feature.get("geometry"))
        except ValidationError as exc:
            raise ValidationError(f"{label}: {' '.join(exc.messages)}") from exc
        rows.append((name, slug, feature["geometry"], bbox))

    created = updated = 0
    with transaction.atomic():
        for name, slug, geometry, bbox in rows:
            area = Area.objects.filter(kind=kind, slug=slug).first()
            before = snapshot(area, exclude=frozenset({"geometry"})) if area else None
            if area is None:
                area = Area(kind=kind, slug=slug)
                created += 1
            else:
                updated += 1
            area.name = name
            area.geometry = geometry
            area.min_lon, area.min_lat, area.max_lon, area.max_lat = bbox
            area.is_approximate = approximate
            area.source = source[:200]
            area.save()
            audit_record(
                action="core.area.import",
                obj=area,
                actor=actor,
                before=before,
                after=snapshot(area, exclude=frozenset({"geometry"})),
            )
    return ImportResult(created=created, updated=updated)


# Where the county's maps open (Sacramento); the tiles come from settings.MAP_TILE_URL.
MAP_CENTER = (38.5816, -121.4944)
MAP_ZOOM = 11
# Outlines drawn on the maps are simplified to about a metre: small pages, same picture.
MAP_SIMPLIFY_DEGREES = 0.00001


# The outlines drawn on every map are kept in the cache (one query saved on each page with a
# map) until an area is saved or deleted (areas_geojson_forget, connected in CoreConfig.ready).
AREAS_CACHE_KEY = "jcr:map-areas:{kind}"
AREAS_CACHE_SECONDS = 3600


def _areas_geojson(kind: str) -> dict:
    rows = Area.objects.filter(kind=kind).order_by("name").values_list("name", "slug", "is_approximate", "geometry")
    features = []
    for name, slug, is_approximate, geometry in rows:
        try:
            drawn = mapping(shape(geometry).simplify(MAP_SIMPLIFY_DEGREES, preserve_topology=True))
        except (KeyError, TypeError, ValueError, AttributeError):
            drawn = geometry
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "slug": slug, "is_approximate": is_approximate},
                "geometry": json.loads(json.dumps(drawn)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def areas_geojson(*, kind: str = Area.Kind.POLICE_DISTRICT) -> dict:
    """The areas of `kind` as a GeoJSON FeatureCollection with public fields only (name, slug,
    "approximate" flag), outlines simplified for drawing. Cached; one query otherwise."""
    key = AREAS_CACHE_KEY.format(kind=kind)
    try:
        cached = cache.get(key)
    except Exception:  # the cache is down: read the database
        cached = None
    if cached is None:
        cached = _areas_geojson(kind)
        try:
            cache.set(key, cached, timeout=AREAS_CACHE_SECONDS)
        except Exception:
            log.warning("map outlines not cached (cache unavailable)")
    return cached


def areas_geojson_forget(**kwargs) -> None:
    """Signal receiver (post_save / post_delete of Area): the maps draw the change at once."""
    try:
        cache.delete_many([AREAS_CACHE_KEY.format(kind=kind) for kind in Area.Kind.values])
    except Exception:
        log.warning("map outlines not forgotten (cache unavailable): maps follow within the hour")


def map_context() -> dict:
    """What a page's map (templates/includes/map.html, static/js/concern-map.js) reads: the
    basemap settings and the police districts' outlines, which are drawn from the page itself
    so that a map whose tiles cannot be loaded still shows the districts and the pin."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "tile_subdomains": settings.MAP_TILE_SUBDOMAINS,
        "max_zoom": settings.MAP_TILE_MAX_ZOOM,
        "center_lat": MAP_CENTER[0],
        "center_lon": MAP_CENTER[1],
        "zoom": MAP_ZOOM,
        "areas": areas_geojson(),
        # The address search's provider, named under the address inputs (includes/geocoder_note.html).
        "geocoder": settings.JCR_GEOCODER,
        "geocoder_label": provider_label(),
    }
