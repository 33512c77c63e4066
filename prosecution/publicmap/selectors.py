"""Reads of the public map of concerns: public values of non-sensitive concerns only, at their
blurred (snapped) positions, never the exact ones.

The map's data is aggregated in the database: the rows in the bounding box are grouped by a
grid cell whose size follows the zoom (GROUP BY the cell of the blurred position), so the
answer is a bounded list of clusters whatever the number of concerns; when few concerns are
in view, they are listed one by one instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q
from django.db.models.functions import Floor
from django.utils import timezone

from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.concerns.selectors import METRES_PER_DEGREE, concern_row_public_text, haversine_m
from prosecution.concerns.services import BLUR_DEGREES, blur

# At most this many concerns in view are sent one by one; above, clusters with counts.
POINTS_MAX = 100
# A cell is at least the blur's grid and at most 1/GRID_CELLS_ACROSS of the box's longer side,
# so the clusters of one answer are at most MAX_CLUSTERS whatever the box (the box grown to
# whole cells spans at most GRID_CELLS_ACROSS + 2 of them each way).
GRID_CELLS_ACROSS = 16
MAX_CLUSTERS = (GRID_CELLS_ACROSS + 2) ** 2
# About 64 pixels at a zoom level: 360° over 2^zoom tiles of 256 pixels, a quarter of a tile.
TILE_FRACTION = 4
NEARBY_LIMIT = 10
SUMMARY_WORDS = 30

ROW_FIELDS = (
    "pk",
    "public_ref",
    "status",
    "created_at",
    "description",
    "public_description",
    "public_text_state",
    "category__text_publication",
    "category__name",
    "category__name_es",
    "public_latitude",
    "public_longitude",
)


@dataclass(frozen=True)
class MapFilters:
    """What the map and its list show (prosecution.publicmap.forms.MapFilterForm)."""

    category: str = ""
    status: str = "open"  # "open", "closed", "all" or one Concern.Status
    area_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def key(self) -> str:
        return f"{self.category}|{self.status}|{self.area_id or ''}|{self.date_from or ''}|{self.date_to or ''}"


def public_concerns():
    """Concerns the public may see: neither the concern nor its category is sensitive."""
    return Concern.objects.public().filter(category__is_sensitive=False)


def category_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of the kinds of concern the public may see."""
    rows = Category.objects.filter(is_sensitive=False).order_by("name").values_list("code", "name", "name_es")
    return sorted(
        ((code, Category(name=name, name_es=name_es).label) for code, name, name_es in rows),
        key=lambda pair: pair[1].lower(),
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def concerns_filtered(filters: MapFilters):
    qs = public_concerns()
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.status == "open":
        qs = qs.filter(status__in=Concern.OPEN_STATUSES)
    elif filters.status == "closed":
        qs = qs.filter(status__in=Concern.CLOSED_STATUSES)
    elif filters.status in Concern.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.area_id:
        through = Concern.areas.through.objects.filter(concern_id=OuterRef("pk"), area_id=filters.area_id)
        qs = qs.filter(Exists(through))
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs


# --- The list beside the map -----------------------------------------------------------------


def concern_list_public(filters: MapFilters):
    """The filtered concerns as rows of public values, newest first (a values() queryset for
    the paginator; `concern_rows` turns a page of it into what the template shows)."""
    return concerns_filtered(filters).order_by("-created_at", "-id").values(*ROW_FIELDS)


def _area_names_by_concern(concern_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if not concern_ids:
        return names
    through = Concern.areas.through.objects.filter(concern_id__in=concern_ids).values_list("concern_id", "area__name")
    for concern_id, name in through.order_by("area__kind", "area__name"):
        names.setdefault(concern_id, []).append(name)
    return names


def _summary(row: dict) -> str:
    words = concern_row_public_text(row).split()
    text = " ".join(words[:SUMMARY_WORDS])
    return f"{text} …" if len(words) > SUMMARY_WORDS else text


def concern_rows(rows) -> list[dict]:
    """Public rows: category, status, areas, date reported, a short public summary (the text
    staff published, "" until then) and the public reference (one query for the areas)."""
    rows = list(rows)
    names = _area_names_by_concern([r["pk"] for r in rows])
    statuses = dict(Concern.Status.choices)
    return [
        {
            "public_ref": r["public_ref"],
            "category_label": Category(name=r["category__name"], name_es=r["category__name_es"]).label,
            "status": r["status"],
            "status_label": statuses.get(r["status"], r["status"]),
            "is_open": r["status"] in Concern.OPEN_STATUSES,
            "areas": names.get(r["pk"], []),
            "created_at": r["created_at"],
            "summary": _summary(r),
            "latitude": blur(r["public_latitude"]),
            "longitude": blur(r["public_longitude"]),
        }
        for r in rows
    ]


# --- The map's data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def snapped(self, cell: float) -> BBox:
        """The box grown to whole cells, so the clusters at its edges are complete (and the
        answers of boxes that differ by less than a cell are the same, for the cache)."""
        return BBox(
            min_lon=round(math.floor(self.min_lon / cell) * cell, 6),
            min_lat=round(math.floor(self.min_lat / cell) * cell, 6),
            max_lon=round(math.ceil(self.max_lon / cell) * cell, 6),
            max_lat=round(math.ceil(self.max_lat / cell) * cell, 6),
        )


def grid_cell(*, zoom: int, bbox: BBox) -> float:
    """The cell size in degrees: a quarter of a map tile at `zoom`, never below the blur's
    grid, never below 1/GRID_CELLS_ACROSS of the box; rounded up to the blur's grid times a
    power of two, so a handful of sizes are ever used."""
    wanted = max(
        360 / (2**zoom) / TILE_FRACTION,
        (bbox.max_lon - bbox.min_lon) / GRID_CELLS_ACROSS,
        (bbox.max_lat - bbox.min_lat) / GRID_CELLS_ACROSS,
        BLUR_DEGREES,
    )
    steps = max(0, math.ceil(math.log2(wanted / BLUR_DEGREES) - 1e-9))
    return round(BLUR_DEGREES * 2**steps, 9)


def map_data(*, filters: MapFilters, bbox: BBox, zoom: int) -> dict:
    """The concerns in `bbox` for the map at `zoom`: up to POINTS_MAX one by one ("points"),
    else clusters with their counts ("clusters"). Two queries at most, whatever the rows."""
    cell = grid_cell(zoom=zoom, bbox=bbox)
    box = bbox.snapped(cell)
    qs = concerns_filtered(filters).filter(
        public_latitude__isnull=False,
        public_longitude__isnull=False,
        public_latitude__gte=box.min_lat,
        public_latitude__lte=box.max_lat,
        public_longitude__gte=box.min_lon,
        public_longitude__lte=box.max_lon,
    )
    cells = list(
        qs.annotate(
            gy=Floor(F("public_latitude") / cell, output_field=FloatField()),
            gx=Floor(F("public_longitude") / cell, output_field=FloatField()),
        )
        .values("gy", "gx")
        .annotate(count=Count("pk"))
        .order_by("-count", "gy", "gx")[:MAX_CLUSTERS]
    )
    total = sum(c["count"] for c in cells)
    answer = {"bbox": [box.min_lon, box.min_lat, box.max_lon, box.max_lat], "cell": cell, "total": total}
    if total <= POINTS_MAX:
        rows = concern_rows_for_map(qs.order_by("-created_at", "-id").values(*ROW_FIELDS)[:POINTS_MAX])
        return {**answer, "mode": "points", "points": rows, "clusters": []}
    clusters = [
        {
            # The cell's centre on the blur's grid: never a concern's exact position.
            "lat": blur((c["gy"] + 0.5) * cell),
            "lon": blur((c["gx"] + 0.5) * cell),
            "count": c["count"],
        }
        for c in cells
    ]
    return {**answer, "mode": "clusters", "points": [], "clusters": clusters}


def concern_rows_for_map(rows) -> list[dict]:
    """Points of the map: what a marker's popup shows (no areas: no query per point)."""
    statuses = dict(Concern.Status.choices)
    return [
        {
            "ref": r["public_ref"],
            "lat": blur(r["public_latitude"]),
            "lon": blur(r["public_longitude"]),
            "category": Category(name=r["category__name"], name_es=r["category__name_es"]).label,
            "status": str(statuses.get(r["status"], r["status"])),
            "is_open": r["status"] in Concern.OPEN_STATUSES,
            "reported": timezone.localtime(r["created_at"]).date().isoformat(),
        }
        for r in rows
    ]


# --- "Already reported nearby" on the report form --------------------------------------------------


def concerns_nearby_public(*, latitude: float, longitude: float, radius_m: float, limit: int = NEARBY_LIMIT) -> list:
    """Open, non-sensitive concerns whose blurred position is within `radius_m` metres of the
    point, nearest first, at most `limit` (one query for the rows, one for their areas).

    A bounding box on the blurred columns (the partial index) narrows the rows; the database
    orders them by a flat-earth distance, exact enough at this scale."""
    dlat = radius_m / METRES_PER_DEGREE
    coslat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = radius_m / (METRES_PER_DEGREE * coslat)
    dy = F("public_latitude") - latitude
    dx = (F("public_longitude") - longitude) * coslat
    rows = (
        public_concerns()
        .filter(status__in=Concern.OPEN_STATUSES)
        .filter(
            Q(public_latitude__range=(latitude - dlat, latitude + dlat))
            & Q(public_longitude__range=(longitude - dlon, longitude + dlon))
        )
        .annotate(flat=dy * dy + dx * dx)
        .order_by("flat", "-created_at", "-id")
        .values(*ROW_FIELDS)[: limit * 2]
    )
    found = []
    for row in rows:
        distance = haversine_m(latitude, longitude, row["public_latitude"], row["public_longitude"])
        if distance <= radius_m:
            found.append((distance, row))
    found = found[:limit]
    result = concern_rows(row for _distance, row in found)
    for item, (distance, _row) in zip(result, found, strict=True):
        item["distance_m"] = int(round(distance, -1))
    return result
