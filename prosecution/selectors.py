import math

from jcr.core.models import Area
from jcr.core.selectors import police_districts_with_prosecutors

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320
# Public positions are snapped to a grid (prosecution.services.BLUR_DEGREES, ~150 m); half its
# diagonal is how far a blurred position can be from the true one.
BLUR_SLACK_M = 110


def landing_context() -> dict:
    return {"districts": police_districts_with_prosecutors()}


# --- Public selectors (residents' pages): never personal data, never sensitive concerns in lists


def category_list_active() -> list:
    from prosecution.models import Category

    return list(Category.objects.filter(is_active=True))


def category_get_active(*, code: str):
    """The active category with `code`; Http404 otherwise."""
    from django.shortcuts import get_object_or_404

    from prosecution.models import Category

    return get_object_or_404(Category.objects.prefetch_related("questions"), code=code, is_active=True)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def concern_nearby_open(*, category, latitude: float, longitude: float, limit: int = 10) -> list[dict]:
    """Open, non-sensitive concerns of `category` within its duplicate radius of the point,
    nearest first ("is it one of these?"). Each is a dict of public values only: the public
    text, status, tracking code, blurred position, areas and distance in metres.

    The blurred position is what is compared (the exact one never leaves staff pages), so the
    radius is widened by the blur's half-diagonal; a bounding box on the blurred columns
    narrows the rows before the exact distance is computed.
    """
    from prosecution.models import Concern

    if category.is_sensitive:
        return []
    radius = category.duplicate_radius_m + BLUR_SLACK_M
    dlat = radius / METRES_PER_DEGREE
    dlon = radius / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    rows = (
        Concern.objects.open()
        .public()
        .filter(
            category=category,
            public_latitude__range=(latitude - dlat, latitude + dlat),
            public_longitude__range=(longitude - dlon, longitude + dlon),
        )
        .order_by("-created_at")
        .values(
            "pk",
            "tracking_code",
            "status",
            "description",
            "public_description",
            "created_at",
            "public_latitude",
            "public_longitude",
        )[:200]
    )
    found = []
    for row in rows:
        distance = haversine_m(latitude, longitude, row["public_latitude"], row["public_longitude"])
        if distance <= radius:
            found.append({**row, "distance_m": round(distance)})
    found.sort(key=lambda r: r["distance_m"])
    found = found[:limit]
    names = _area_names_by_concern([r["pk"] for r in found])
    statuses = dict(Concern.Status.choices)
    return [
        {
            "tracking_code": r["tracking_code"],
            "status": r["status"],
            "status_label": statuses.get(r["status"], r["status"]),
            "public_text": r["public_description"] or r["description"],
            "created_at": r["created_at"],
            "distance_m": r["distance_m"],
            "areas": names.get(r["pk"], []),
        }
        for r in found
    ]


def _area_names_by_concern(concern_ids: list[int]) -> dict[int, list[str]]:
    from prosecution.models import Concern

    if not concern_ids:
        return {}
    names: dict[int, list[str]] = {}
    through = Concern.areas.through.objects.filter(concern_id__in=concern_ids).values_list("concern_id", "area__name")
    for concern_id, name in through.order_by("area__kind", "area__name"):
        names.setdefault(concern_id, []).append(name)
    return names


def concern_get_by_tracking_code(*, tracking_code: str):
    """The concern with this tracking code, with its category and areas; Http404 otherwise.
    Whoever holds the code is the person who reported it (or someone they gave it to)."""
    from django.shortcuts import get_object_or_404

    from prosecution.models import Concern

    return get_object_or_404(
        Concern.objects.select_related("category").prefetch_related("areas"), tracking_code=tracking_code
    )


def concern_tracking_code_exists(*, tracking_code: str) -> bool:
    from prosecution.models import Concern

    return Concern.objects.filter(tracking_code=tracking_code).exists()


def concern_public_updates(*, concern) -> list:
    """What the resident and the public may read of a concern's history: public updates and
    status changes, oldest first. Internal notes and what the resident sent are left out."""
    from prosecution.models import ConcernUpdate

    return list(concern.updates.filter(kind__in=ConcernUpdate.PUBLIC_KINDS).order_by("created_at", "id"))


# --- Areas on residents' pages: names, boundaries, prosecutors, open non-sensitive concerns

# Kinds of area that have a public page (police districts now; neighborhoods and beats when loaded).
PUBLIC_AREA_KINDS = (Area.Kind.POLICE_DISTRICT, Area.Kind.NEIGHBORHOOD, Area.Kind.CPU_BEAT)
AREA_LATEST_CONCERNS = 5


def area_public_list() -> list[Area]:
    """Areas with a public page (police districts first), for the district choice."""
    order = {kind: index for index, kind in enumerate(PUBLIC_AREA_KINDS)}
    areas = list(Area.objects.filter(kind__in=PUBLIC_AREA_KINDS).only("kind", "name", "slug", "is_approximate"))
    return sorted(areas, key=lambda a: (order[a.kind], a.name))


def area_public_geojson() -> dict:
    """The police districts as a GeoJSON FeatureCollection with public fields only."""
    rows = (
        Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT)
        .order_by("name")
        .values_list("name", "slug", "is_approximate", "geometry")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "slug": slug, "is_approximate": is_approximate},
                "geometry": geometry,
            }
            for name, slug, is_approximate, geometry in rows
        ],
    }


def area_get_public(*, slug: str) -> Area:
    """The area with a public page and this slug (a police district before a neighborhood
    or beat of the same slug); Http404 otherwise."""
    from django.http import Http404

    found = {a.kind: a for a in Area.objects.filter(kind__in=PUBLIC_AREA_KINDS, slug=slug).defer("geometry")}
    for kind in PUBLIC_AREA_KINDS:
        if kind in found:
            return found[kind]
    raise Http404


def area_prosecutors(*, areas: list[Area]) -> dict[int, list]:
    """The active community prosecutors of each area (one query): {area id: [users]}."""
    from jcr.core.models import AreaAssignment

    result: dict[int, list] = {area.pk: [] for area in areas}
    if not areas:
        return result
    assignments = (
        AreaAssignment.objects.filter(
            area__in=areas, role=AreaAssignment.Role.COMMUNITY_PROSECUTOR, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    for assignment in assignments:
        result[assignment.area_id].append(assignment.user)
    return result


def areas_for_point(*, latitude: float, longitude: float) -> list[Area]:
    """Areas with a public page that contain the point, police districts first."""
    from jcr.core.geo import areas_containing

    order = {kind: index for index, kind in enumerate(PUBLIC_AREA_KINDS)}
    areas = [a for a in areas_containing(lon=longitude, lat=latitude) if a.kind in order]
    return sorted(areas, key=lambda a: (order[a.kind], a.name))


def area_open_concerns_by_category(*, area: Area) -> list[dict]:
    """Open, non-sensitive concerns of the area counted by category (one query), largest first."""
    from django.db.models import Count

    from prosecution.models import Category, Concern

    rows = (
        Concern.objects.open()
        .public()
        .filter(areas=area)
        .values("category__code", "category__name", "category__name_es")
        .annotate(count=Count("pk", distinct=True))
    )
    result = []
    for row in rows:
        label = Category(name=row["category__name"], name_es=row["category__name_es"]).label
        result.append({"code": row["category__code"], "label": label, "count": row["count"]})
    result.sort(key=lambda r: (-r["count"], r["label"]))
    return result


def area_latest_open_concerns(*, area: Area, limit: int = AREA_LATEST_CONCERNS) -> list[dict]:
    """The latest open, non-sensitive concerns of the area, public values only (one query)."""
    from prosecution.models import Category, Concern

    rows = (
        Concern.objects.open()
        .public()
        .filter(areas=area)
        .order_by("-created_at", "-id")
        .values(
            "tracking_code",
            "status",
            "description",
            "public_description",
            "created_at",
            "category__name",
            "category__name_es",
        )[:limit]
    )
    statuses = dict(Concern.Status.choices)
    return [
        {
            "tracking_code": r["tracking_code"],
            "status_label": statuses.get(r["status"], r["status"]),
            "public_text": r["public_description"] or r["description"],
            "created_at": r["created_at"],
            "category_label": Category(name=r["category__name"], name_es=r["category__name_es"]).label,
        }
        for r in rows
    ]


# --- Public photos: never a hidden photo, never a sensitive concern's, never an unredacted one
# of a redacted photo


def photo_public_queryset():
    """Photos the public may see."""
    from django.db.models import Q

    from prosecution.models import ConcernPhoto

    return ConcernPhoto.objects.filter(
        is_hidden=False, concern__is_sensitive=False, concern__category__is_sensitive=False
    ).exclude(Q(public_image="") & ~Q(redactions=[]))


def photo_get_public(*, public_id):
    """The photo with this public address if the public may see it; Http404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(photo_public_queryset(), public_id=public_id)


def photo_public_file(photo, *, thumbnail: bool = False) -> str:
    """The stored name of what the public gets of `photo`: the redacted version of a redacted
    photo (its thumbnail, else the redacted file itself), else the original (its thumbnail,
    else the original itself)."""
    if photo.redactions:
        return (photo.public_thumbnail if thumbnail else "") or photo.public_image
    return (photo.thumbnail if thumbnail else "") or photo.image


def concern_public_photos(*, concern) -> list:
    """The photos of a concern shown on its public pages, in order (one query): none for a
    sensitive concern."""
    if concern.is_sensitive or concern.category.is_sensitive:
        return []
    return list(photo_public_queryset().filter(concern=concern).order_by("id"))
