"""Reads of the community dialogues.

Public selectors never return applicants' names, contact details, dates of birth or session
locations; the draw record names applicants only by their pseudonymous ids.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from jcr.core.models import Area
from outreach.dialogues.lottery import stratum_key
from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    ParticipantGroup,
    Recommendation,
    Subcommittee,
)

PUBLIC_SERIES_FIELDS = (
    "public_id",
    "slug",
    "title",
    "title_es",
    "description",
    "description_es",
    "commitments",
    "commitments_es",
    "applications_open_at",
    "applications_close_at",
    "response_days",
    "status",
    "seed",  # for the commitment; the seed itself is shown only once drawn
    "drawn_at",
)


def _public_series() -> QuerySet[DialogueSeries]:
    return DialogueSeries.objects.exclude(status=DialogueSeries.Status.DRAFT)


def series_list_public() -> list[DialogueSeries]:
    return list(_public_series().only(*PUBLIC_SERIES_FIELDS))


def series_get_public(*, slug: str, with_record: bool = False) -> DialogueSeries:
    """A published series by slug; Http404 for drafts and unknown slugs."""
    fields = (*PUBLIC_SERIES_FIELDS, "draw_record") if with_record else PUBLIC_SERIES_FIELDS
    series = _public_series().only(*fields).filter(slug=slug).first()
    if series is None:
        raise Http404
    return series


def series_sessions_public(*, series: DialogueSeries) -> list[dict]:
    """Each district's session (date and time, never the location) with its seats per group,
    in two queries."""
    sessions = (
        DialogueSession.objects.filter(series=series)
        .select_related("district")
        .only("starts_at", "ends_at", "district__name", "district__slug", "district__is_approximate")
        .order_by("district__name")
    )
    seats: dict[int, dict[str, int]] = defaultdict(dict)
    for session_id, group, n in DialogueSeats.objects.filter(session__series=series).values_list(
        "session_id", "group", "seats"
    ):
        seats[session_id][group] = n
    return [
        {
            "district": s.district,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "seats": [
                {"group": label, "seats": seats[s.pk].get(value, 0)} for value, label in ParticipantGroup.choices
            ],
            "total_seats": sum(seats[s.pk].values()),
        }
        for s in sessions
    ]


def series_districts(*, series: DialogueSeries) -> list:
    """The police districts with a session in the series, by name (the application's choice)."""
    return list(
        Area.objects.filter(dialogue_sessions__series=series)
        .only("name", "slug", "geometry", "is_approximate")
        .order_by("name")
    )


def draw_record_get_public(*, series: DialogueSeries) -> dict | None:
    """The published record with its strata named for people (district and group), also
    grouped by district, or None before the draw."""
    record = series.draw_record
    if not record:
        return None
    names = dict(Area.objects.filter(dialogue_sessions__series=series).values_list("slug", "name"))
    groups = dict(ParticipantGroup.choices)
    strata = []
    for key in sorted(set(record["results"]) | set(record["seats"])):
        slug, _sep, group = key.partition("/")
        result = record["results"].get(key, {"selected": [], "waitlist": [], "seats": record["seats"].get(key, 0)})
        applicants = len(record["pool"].get(key, []))
        strata.append(
            {
                "key": key,
                "district": names.get(slug, slug),
                "group": groups.get(group, group),
                "seats": record["seats"].get(key, 0),
                "applicants": applicants,
                "oversubscribed": applicants > record["seats"].get(key, 0),
                "selected": result["selected"],
                "waitlist": result["waitlist"],
            }
        )
    districts: dict[str, list[dict]] = {}
    for stratum in sorted(strata, key=lambda s: (s["district"], s["group"])):
        districts.setdefault(stratum["district"], []).append(stratum)
    return {
        "record": record,
        "strata": strata,
        "districts": [{"name": name, "strata": rows} for name, rows in districts.items()],
    }


def application_get_public(*, series: DialogueSeries, public_id) -> DialogueApplication:
    application = (
        DialogueApplication.objects.filter(series=series, public_id=public_id)
        .select_related("district")
        .only("public_id", "pseudonym", "status", "group", "ineligible_reason", "district__name", "series_id")
        .first()
    )
    if application is None:
        raise Http404
    return application


def offer_get_by_token(*, token: str) -> tuple[DialogueApplication, DialogueSession]:
    """The application a response link belongs to and its session (with the location, which
    the holder of the link may see); Http404 for an unknown link."""
    application = (
        DialogueApplication.objects.filter(response_token=token).select_related("series", "district").first()
        if token
        else None
    )
    if application is None:
        raise Http404
    session = DialogueSession.objects.get(series_id=application.series_id, district_id=application.district_id)
    return application, session


def subcommittee_list_public(*, series: DialogueSeries) -> list[Subcommittee]:
    """The series' subcommittees with their recommendations (two queries)."""
    recommendations = Recommendation.objects.only(
        "public_id", "subcommittee_id", "title", "title_es", "status", "progress_percent", "submitted_on", "order"
    )
    prefetch = Prefetch("recommendations", queryset=recommendations)
    return list(Subcommittee.objects.filter(series=series).prefetch_related(prefetch))


def recommendation_get_public(*, series: DialogueSeries, public_id) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(subcommittee__series=series, public_id=public_id)
        .select_related("subcommittee")
        .first()
    )
    if recommendation is None:
        raise Http404
    return recommendation


def landing_dialogues() -> list[DialogueSeries]:
    """The latest public series for the unit's landing page (one query)."""
    return list(_public_series().only(*PUBLIC_SERIES_FIELDS)[:3])


# --- Staff ---------------------------------------------------------------------------------


def series_list_staff() -> list[DialogueSeries]:
    """Every series with its application counts (one query)."""
    status = DialogueApplication.Status
    return list(
        DialogueSeries.objects.defer("draw_record", "description", "description_es", "commitments", "commitments_es")
        .annotate(
            applications_total=Count("applications"),
            applications_eligible=Count("applications", filter=~Q(applications__status=status.INELIGIBLE)),
            applications_accepted=Count("applications", filter=Q(applications__status=status.ACCEPTED)),
        )
        .order_by("-applications_open_at", "-id")
    )


def series_get_for_staff(*, slug: str) -> DialogueSeries:
    series = DialogueSeries.objects.defer("draw_record").filter(slug=slug).first()
    if series is None:
        raise Http404
    return series


def stratum_table(*, series: DialogueSeries) -> list[dict]:
    """For each district, each group's seats against its applications by status (two queries)."""
    status = DialogueApplication.Status
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = series.applications.values_list("district__slug", "group", "status").annotate(n=Count("pk"))
    for slug, group, state, n in rows:
        counts[stratum_key(slug, group)][state] += n
    seats = {}
    sessions = {}
    for seat in DialogueSeats.objects.filter(session__series=series).select_related("session__district"):
        seats[stratum_key(seat.session.district.slug, seat.group)] = seat.seats
        sessions[seat.session.district.slug] = seat.session.district.name
    for slug, name in series.sessions.values_list("district__slug", "district__name"):
        sessions.setdefault(slug, name)
    table = []
    for slug, name in sorted(sessions.items(), key=lambda item: item[1]):
        groups = []
        for value, label in ParticipantGroup.choices:
            c = counts[stratum_key(slug, value)]
            eligible_pool = c[status.ELIGIBLE] + sum(c[s] for s in DialogueApplication.DRAWN_STATUSES)
            n = seats.get(stratum_key(slug, value), 0)
            groups.append(
                {
                    "group": value,
                    "label": label,
                    "seats": n,
                    "total": sum(c.values()),
                    "eligible": eligible_pool,
                    "ineligible": c[status.INELIGIBLE],
                    "selected": c[status.SELECTED],
                    "accepted": c[status.ACCEPTED],
                    "waitlisted": c[status.WAITLISTED],
                    "oversubscribed": eligible_pool > n,
                }
            )
        table.append({"slug": slug, "name": name, "groups": groups})
    return table


def application_list_staff(*, series: DialogueSeries, filters: dict) -> QuerySet[DialogueApplication]:
    qs = series.applications.select_related("district").only(
        "public_id",
        "pseudonym",
        "name",
        "email",
        "group",
        "status",
        "waitlist_rank",
        "merged_count",
        "eligibility_overridden",
        "created_at",
        "district__name",
        "series_id",
    )
    if filters.get("district"):
        qs = qs.filter(district__slug=filters["district"])
    if filters.get("group"):
        qs = qs.filter(group=filters["group"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(pseudonym__iexact=q))
    return qs.order_by("district__name", "group", "status", "waitlist_rank", "created_at")


def application_get_for_staff(*, series: DialogueSeries, public_id) -> DialogueApplication:
    application = series.applications.select_related("district").filter(public_id=public_id).first()
    if application is None:
        raise Http404
    return application


EXPORT_STATUSES = (
    DialogueApplication.Status.SELECTED,
    DialogueApplication.Status.ACCEPTED,
    DialogueApplication.Status.WAITLISTED,
)


def participant_list_for_export(*, series: DialogueSeries) -> list[dict]:
    """The participant list (selected, accepted and wait-listed applicants with their contact
    details) for the facilitators' CSV; the view records the export (jcr.core.exports.csv_export)."""
    rows = list(
        series.applications.filter(status__in=EXPORT_STATUSES)
        .select_related("district")
        .order_by("district__name", "group", "status", "waitlist_rank", "name")
    )
    return [
        {
            "district": a.district.name,
            "group": a.get_group_display(),
            "status": a.get_status_display(),
            "waitlist_rank": a.waitlist_rank or "",
            "pseudonym": a.pseudonym,
            "name": a.name,
            "email": a.email,
            "phone": a.phone,
            "language": a.language,
        }
        for a in rows
    ]
