"""Areas on residents' pages: names, boundaries, prosecutors, open non-sensitive concerns."""

from django.db.models import Count
from django.http import Http404

from jcr.core.geo import areas_containing, areas_geojson
from jcr.core.models import Area, AreaAssignment
from jcr.core.selectors import police_districts_with_prosecutors
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.concerns.selectors import concern_row_public_text


def landing_context() -> dict:
    return {"districts": police_districts_with_prosecutors()}


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
    return areas_geojson(kind=Area.Kind.POLICE_DISTRICT)


def area_get_public(*, slug: str) -> Area:
    """The area with a public page and this slug (a police district before a neighborhood
    or beat of the same slug); Http404 otherwise."""
    found = {a.kind: a for a in Area.objects.filter(kind__in=PUBLIC_AREA_KINDS, slug=slug).defer("geometry")}
    for kind in PUBLIC_AREA_KINDS:
        if kind in found:
            return found[kind]
    raise Http404


def area_prosecutors(*, areas: list[Area]) -> dict[int, list]:
    """The active community prosecutors of each area (one query): {area id: [users]}."""
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
    order = {kind: index for index, kind in enumerate(PUBLIC_AREA_KINDS)}
    areas = [a for a in areas_containing(lon=longitude, lat=latitude) if a.kind in order]
    return sorted(areas, key=lambda a: (order[a.kind], a.name))


def area_open_concerns_by_category(*, area: Area) -> list[dict]:
    """Open, non-sensitive concerns of the area counted by category (one query), largest first."""
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

    rows = (
        Concern.objects.open()
        .public()
        .filter(areas=area)
        .order_by("-created_at", "-id")
        .values(
            "public_ref",
            "status",
            "description",
            "public_description",
            "public_text_state",
            "category__text_publication",
            "created_at",
            "category__name",
            "category__name_es",
        )[:limit]
    )
    statuses = dict(Concern.Status.choices)
    return [
        {
            "public_ref": r["public_ref"],
            "status_label": statuses.get(r["status"], r["status"]),
            "public_text": concern_row_public_text(r),
            "created_at": r["created_at"],
            "category_label": Category(name=r["category__name"], name_es=r["category__name_es"]).label,
        }
        for r in rows
    ]
