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
    text (once staff published it), status, public reference, areas and distance in metres.

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
            "public_text": _public_text(r),
            "created_at": r["created_at"],
            "distance_m": r["distance_m"],
            "areas": names.get(r["pk"], []),
        }
        for r in found
    ]


def _public_text(row: dict) -> str:
    """The public text of a concern read with values(): "" until staff publish it."""
    from prosecution.models import text_is_public

    if not text_is_public(state=row["public_text_state"], publication=row["category__text_publication"]):
        return ""
    return row["public_description"] or row["description"]


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


def concern_get_public(*, public_ref: str):
    """The non-sensitive concern with this public reference (its public page); Http404
    otherwise. The reference opens nothing but what every public list shows."""
    from django.shortcuts import get_object_or_404

    from prosecution.models import Concern

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
            "public_text": _public_text(r),
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


# --- Partners, projects, outcome measures and follow-ups ----------------------------------------


def partner_list(*, q: str = "", kind: str = "", area=None, category=None, active: str = "active"):
    """Partners for the directory: name/jurisdiction/contact search, kind, area, category and
    active filters; with their primary contact and counts of projects and referrals."""
    from django.db.models import Count, Prefetch, Q

    from prosecution.models import Partner, PartnerContact

    qs = Partner.objects.all()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(jurisdiction__icontains=q)
            | Q(contacts__name__icontains=q)
            | Q(contacts__email__icontains=q)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(areas=area)
    if category is not None:
        qs = qs.filter(categories=category)
    if active == "active":
        qs = qs.filter(is_active=True)
    elif active == "inactive":
        qs = qs.filter(is_active=False)
    ids = qs.values("pk")
    return (
        Partner.objects.filter(pk__in=ids)
        .annotate(
            project_count=Count("project_links", distinct=True),
            referral_count=Count("referrals", distinct=True),
        )
        .prefetch_related(
            "categories",
            "areas",
            Prefetch("contacts", queryset=PartnerContact.objects.order_by("-is_primary", "name", "id")),
        )
        .order_by("name", "id")
    )


def partner_suggestions(*, category_id: int, area_ids: list[int]) -> list[dict]:
    """The active partners for a referral, best first (one query): those handling the category
    and acting in one of the areas, then either one (marked `suggested`), then the others by
    name. Each is a dict of `public_id`, `name`, `suggested` and `contacts` (dicts of
    `public_id`, `name`, `role`, `has_email`, `is_primary`)."""
    from django.db.models import Exists, OuterRef

    from prosecution.models import Partner

    rows = (
        Partner.objects.filter(is_active=True)
        .annotate(
            handles_category=Exists(
                Partner.categories.through.objects.filter(partner_id=OuterRef("pk"), category_id=category_id)
            ),
            in_area=Exists(Partner.areas.through.objects.filter(partner_id=OuterRef("pk"), area_id__in=area_ids)),
        )
        .order_by("name", "id", "-contacts__is_primary", "contacts__name", "contacts__id")
        .values(
            "pk",
            "public_id",
            "name",
            "handles_category",
            "in_area",
            "contacts__public_id",
            "contacts__name",
            "contacts__role",
            "contacts__email",
            "contacts__is_primary",
        )
    )
    partners: dict[int, dict] = {}
    for row in rows:
        entry = partners.setdefault(
            row["pk"],
            {
                "public_id": str(row["public_id"]),
                "name": row["name"],
                "score": int(row["handles_category"]) + int(row["in_area"]),
                "contacts": [],
            },
        )
        if row["contacts__public_id"] is not None:
            entry["contacts"].append(
                {
                    "public_id": str(row["contacts__public_id"]),
                    "name": row["contacts__name"],
                    "role": row["contacts__role"],
                    "has_email": bool(row["contacts__email"]),
                    "is_primary": row["contacts__is_primary"],
                }
            )
    ranked = sorted(partners.values(), key=lambda e: (-e["score"], e["name"].lower()))
    for entry in ranked:
        entry["suggested"] = entry["score"] > 0
    return ranked


def partner_choices() -> list[dict]:
    """The active partners' public ids and names, by name (one query)."""
    from prosecution.models import Partner

    return [
        {"public_id": str(public_id), "name": name}
        for public_id, name in Partner.objects.filter(is_active=True)
        .order_by("name", "id")
        .values_list("public_id", "name")
    ]


def concern_referrals(*, concern) -> list:
    from prosecution.models import Referral

    return list(
        Referral.objects.filter(concern=concern)
        .select_related("partner", "contact", "referred_by", "email")
        .order_by("-created_at", "-id")
    )


def concern_projects(*, concern, user) -> list:
    """The projects of a concern that `user` may see."""
    from prosecution.permissions import project_list_visible_to

    return list(project_list_visible_to(user=user).filter(concern_links__concern=concern).distinct())


def concerns_at_location(
    *, latitude: float, longitude: float, radius_m: float, since=None, until=None, public_only: bool = False
) -> list:
    """Creation times of concerns within `radius_m` metres of the point (exact positions, staff
    use; `public_only` leaves sensitive concerns out). A bounding box narrows the rows first."""
    from prosecution.models import Concern

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


def outcome_measures(*, dates, response_started_on, today, window_days: int, answers=()) -> dict:
    """Concerns in the `window_days` days before the response started against the same number
    of days after (a pure function: dates in, numbers out).

    `dates`: the local dates the concerns at the place were received. Returns a dict:
    - has_response: False without a response date (then before/after/change are None);
    - before, after: counts in [start - N, start) and [start, start + N) (after: up to today);
    - days_after: days of the "after" window that have passed (0..N); complete: all N passed;
    - change_pct: (after - before) / before in percent, rounded; None when before is 0;
    - answers: {"fixed": n, "not_fixed": n, "not_sure": n}, answered: their total.
    """
    from datetime import timedelta

    counts = {"fixed": 0, "not_fixed": 0, "not_sure": 0}
    for answer in answers:
        if answer in counts:
            counts[answer] += 1
    result = {
        "window_days": window_days,
        "answers": counts,
        "answered": sum(counts.values()),
        "has_response": response_started_on is not None,
        "before": None,
        "after": None,
        "days_after": 0,
        "complete": False,
        "change_pct": None,
    }
    if response_started_on is None:
        return result
    start = response_started_on
    before_from = start - timedelta(days=window_days)
    after_until = start + timedelta(days=window_days)
    dates = list(dates)
    before = sum(1 for d in dates if before_from <= d < start)
    after = sum(1 for d in dates if start <= d < after_until and d <= today)
    days_after = max(0, min(window_days, (today - start).days))
    result |= {
        "before": before,
        "after": after,
        "days_after": days_after,
        "complete": today >= after_until,
        "change_pct": round((after - before) * 100 / before) if before else None,
    }
    return result


def project_outcome(*, project, public_only: bool = False, today=None, answers: list | None = None) -> dict:
    """The outcome measures of a project (see outcome_measures): concerns within
    JCR_PROJECT_RADIUS_M of its pin (its linked concerns when it has none), the
    JCR_PROJECT_OUTCOME_DAYS days around response_started_on, and the follow-up answers of its
    concerns, the latest of each (`answers`, when the caller has them already). `public_only` counts no sensitive
    concern (public page). One or two queries."""
    from datetime import datetime, time, timedelta

    from django.conf import settings
    from django.utils import timezone

    from prosecution.models import Concern, FollowUp

    today = today or timezone.localdate()
    window = settings.JCR_PROJECT_OUTCOME_DAYS
    times = []
    if project.response_started_on is not None:
        start = project.response_started_on
        since = timezone.make_aware(datetime.combine(start - timedelta(days=window), time.min))
        until = timezone.make_aware(datetime.combine(start + timedelta(days=window), time.min))
        if project.has_location:
            times = concerns_at_location(
                latitude=project.latitude,
                longitude=project.longitude,
                radius_m=settings.JCR_PROJECT_RADIUS_M,
                since=since,
                until=until,
                public_only=public_only,
            )
        else:
            linked = Concern.objects.filter(project_links__project=project, created_at__gte=since, created_at__lt=until)
            if public_only:
                linked = linked.public()
            times = list(linked.values_list("created_at", flat=True))
    if answers is None:
        rows = FollowUp.objects.filter(concern__project_links__project=project).exclude(answer="")
        if public_only:
            rows = rows.filter(concern__is_sensitive=False)
        latest = {}  # the latest answer of each concern counts (one per concern, as on the staff page)
        for concern_id, answer in rows.order_by("answered_at", "id").values_list("concern_id", "answer"):
            latest[concern_id] = answer
        answers = list(latest.values())
    return outcome_measures(
        dates=[timezone.localtime(t).date() for t in times],
        response_started_on=project.response_started_on,
        today=today,
        window_days=window,
        answers=answers,
    )


def project_stage_history(*, project) -> list:
    """The stage changes of a project, oldest first, as dicts of `at` (datetime), `actor_label`,
    `from` and `to` (stage labels). Read from the project's own copy of its history (its audit
    entries hold the same), so the project page spends no query on it."""
    from django.utils.dateparse import parse_datetime

    from prosecution.models import Project

    labels = dict(Project.Stage.choices)
    return [
        {
            "at": parse_datetime(entry["at"]),
            "actor_label": entry.get("by", ""),
            "from": labels.get(entry.get("from"), ""),
            "to": labels.get(entry.get("to"), ""),
        }
        for entry in project.stage_history
    ]


def project_public_queryset():
    """Projects that may appear on public surfaces: marked public and without a concern of a
    sensitive category (checked again here, not only when the flag is set)."""
    from django.db.models import Exists, OuterRef

    from prosecution.models import Project, ProjectConcern

    sensitive = ProjectConcern.objects.filter(project=OuterRef("pk"), concern__is_sensitive=True)
    return Project.objects.filter(is_public=True).filter(~Exists(sensitive))


def project_get_public(*, public_id):
    """The public project with this id, its areas and partner names; Http404 otherwise."""
    from django.db.models import Prefetch
    from django.shortcuts import get_object_or_404

    from prosecution.models import ProjectPartner

    return get_object_or_404(
        project_public_queryset().prefetch_related(
            "areas", Prefetch("partner_links", queryset=ProjectPartner.objects.select_related("partner"))
        ),
        public_id=public_id,
    )


def area_public_projects(*, area: Area, limit: int = 20) -> list:
    """Public projects in the area, not closed ones first (one query)."""
    from django.db.models import Case, IntegerField, Value, When

    from prosecution.models import Project

    return list(
        project_public_queryset()
        .filter(areas=area)
        .annotate(
            closed=Case(When(stage=Project.Stage.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .only("public_id", "title", "stage", "public_summary", "updated_at")
        .order_by("closed", "-updated_at", "-id")[:limit]
    )


def followup_get_by_token(*, token: str):
    """The follow-up with this token while its link is valid (JCR_FOLLOWUP_VALID_DAYS after it
    was sent); Http404 for an unknown, malformed or expired token."""
    from datetime import timedelta

    from django.conf import settings
    from django.http import Http404
    from django.utils import timezone

    from prosecution.models import FollowUp

    if not token or len(token) > 64:
        raise Http404
    followup = FollowUp.objects.select_related("concern", "concern__category").filter(token=token).first()
    if followup is None or followup.sent_at is None:
        raise Http404
    if followup.sent_at < timezone.now() - timedelta(days=settings.JCR_FOLLOWUP_VALID_DAYS):
        raise Http404
    return followup


# --- Reference lists for staff forms --------------------------------------------------------
CATEGORY_CHOICES_SECONDS = 300


def category_active_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of the active categories, kept five minutes in the
    cache: an admin's change shows within that time, and a form posted with a category
    deactivated meanwhile is refused by its own validation."""
    from django.core.cache import cache
    from django.utils import translation

    from prosecution.models import Category

    key = "prosecution:category-active-choices"
    rows = cache.get(key)
    if rows is None:
        rows = list(Category.objects.filter(is_active=True).values_list("code", "name", "name_es"))
        cache.set(key, rows, CATEGORY_CHOICES_SECONDS)
    spanish = translation.get_language() == "es"
    return [(code, (name_es if spanish and name_es else name)) for code, name, name_es in rows]
