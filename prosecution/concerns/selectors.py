"""Reads about concerns: residents' pages (never personal data, never sensitive concerns in
lists), public photos, concerns near a place, reference lists for staff forms."""

import math

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import translation

from prosecution.concerns.models import Concern, ConcernPhoto, ConcernUpdate, text_is_public
from prosecution.concerns.models_categories import Category

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = 111_320
# Public positions are snapped to a grid (prosecution.services.BLUR_DEGREES, ~150 m); half its
# diagonal is how far a blurred position can be from the true one.
BLUR_SLACK_M = 110


def category_list_active() -> list:
    return list(Category.objects.filter(is_active=True))


def category_get_active(*, code: str):
    """The active category with `code`; Http404 otherwise."""
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
    text (once staff published it), status, public reference, areas and distance in metres.

    The blurred position is what is compared (the exact one never leaves staff pages), so the
    radius is widened by the blur's half-diagonal; a bounding box on the blurred columns
    narrows the rows before the exact distance is computed.
    """

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
            "public_ref",
            "status",
            "description",
            "public_description",
            "public_text_state",
            "category__text_publication",
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
            "public_ref": r["public_ref"],
            "status": r["status"],
            "status_label": statuses.get(r["status"], r["status"]),
            "public_text": concern_row_public_text(r),
            "created_at": r["created_at"],
            "distance_m": r["distance_m"],
            "areas": names.get(r["pk"], []),
        }
        for r in found
    ]


def concern_row_public_text(row: dict) -> str:
    """The public text of a concern read with values(): "" until staff publish it."""

    if not text_is_public(state=row["public_text_state"], publication=row["category__text_publication"]):
        return ""
    return row["public_description"] or row["description"]


def _area_names_by_concern(concern_ids: list[int]) -> dict[int, list[str]]:
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
    return get_object_or_404(
        Concern.objects.select_related("category").prefetch_related("areas"), tracking_code=tracking_code
    )


def concern_tracking_code_exists(*, tracking_code: str) -> bool:
    return Concern.objects.filter(tracking_code=tracking_code).exists()


def concern_get_public(*, public_ref: str):
    """The non-sensitive concern with this public reference (its public page); Http404
    otherwise. The reference opens nothing but what every public list shows."""
    return get_object_or_404(
        Concern.objects.public()
        .filter(category__is_sensitive=False)
        .select_related("category")
        .prefetch_related("areas"),
        public_ref=public_ref_normalize(public_ref),
    )


def public_ref_normalize(value: str) -> str:
    """A public reference as stored (lower case, no spaces or dashes)."""
    return "".join(ch for ch in (value or "").lower() if ch.isalnum())


def concern_public_updates(*, concern) -> list:
    """What the resident and the public may read of a concern's history: public updates and
    status changes, oldest first. Internal notes and what the resident sent are left out."""

    return list(concern.updates.filter(kind__in=ConcernUpdate.PUBLIC_KINDS).order_by("created_at", "id"))


# Photos stored within this long of the report (or of each other) arrived together.
PHOTO_BATCH_SECONDS = 120


def concern_staff_timeline(*, concern, photos: list[dict]) -> list[dict]:
    """Everything that happened to a concern, newest first, for its staff page: the report
    itself (with the photos sent with it), every update (status changes and messages to the
    resident, public updates, internal notes and referrals, what the resident added, changes
    of priority, owner and photos) and photos added later. `photos` are the page's photo items
    ({"photo": ConcernPhoto, ...}, oldest first). One query (the updates and their authors)."""

    received = {"kind": "received", "at": concern.created_at, "photos": [], "seq": (0, 0)}
    entries = [received]
    batch = None
    for item in photos:
        at = item["photo"].created_at
        if (at - concern.created_at).total_seconds() <= PHOTO_BATCH_SECONDS:
            received["photos"].append(item)
        elif batch is not None and (at - batch["last"]).total_seconds() <= PHOTO_BATCH_SECONDS:
            batch["photos"].append(item)
            batch["last"] = at
        else:
            batch = {"kind": "photos_added", "at": at, "last": at, "photos": [item], "seq": (1, item["photo"].pk)}
            entries.append(batch)
    for update in concern.updates.select_related("author"):
        entries.append({"kind": update.kind, "at": update.created_at, "update": update, "seq": (2, update.pk)})
    entries.sort(key=lambda e: (e["at"], e["seq"]), reverse=True)
    return entries


# --- Areas on residents' pages: names, boundaries, prosecutors, open non-sensitive concerns

# Kinds of area that have a public page (police districts now; neighborhoods and beats when loaded).


# --- Public photos: never a hidden photo, never a sensitive concern's, never an unredacted one
# of a redacted photo


def photo_public_queryset():
    """Photos the public may see."""
    return ConcernPhoto.objects.filter(
        is_hidden=False, concern__is_sensitive=False, concern__category__is_sensitive=False
    ).exclude(Q(public_image="") & ~Q(redactions=[]))


def photo_get_public(*, public_id):
    """The photo with this public address if the public may see it; Http404 otherwise."""
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


# --- Partners, projects, outcome measures and follow-ups ----------------------------------------


def concerns_at_location(
    *, latitude: float, longitude: float, radius_m: float, since=None, until=None, public_only: bool = False
) -> list:
    """Creation times of concerns within `radius_m` metres of the point (exact positions, staff
    use; `public_only` leaves sensitive concerns out). A bounding box narrows the rows first."""

    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    qs = Concern.objects.filter(
        latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlon, longitude + dlon)
    )
    if public_only:
        qs = qs.public()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return [
        created
        for created, lat, lon in qs.values_list("created_at", "latitude", "longitude")
        if haversine_m(latitude, longitude, lat, lon) <= radius_m
    ]


CATEGORY_CHOICES_SECONDS = 300


def category_active_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of the active categories, kept five minutes in the
    cache: an admin's change shows within that time, and a form posted with a category
    deactivated meanwhile is refused by its own validation."""
    key = "prosecution:category-active-choices"
    rows = cache.get(key)
    if rows is None:
        rows = list(Category.objects.filter(is_active=True).values_list("code", "name", "name_es"))
        cache.set(key, rows, CATEGORY_CHOICES_SECONDS)
    spanish = translation.get_language() == "es"
    return [(code, (name_es if spanish and name_es else name)) for code, name, name_es in rows]


def cpu_contact() -> dict:
    """The unit's e-mail and phone, shown on residents' pages."""
    return {"email": settings.JCR_CPU_CONTACT_EMAIL, "phone": settings.JCR_CPU_CONTACT_PHONE}
