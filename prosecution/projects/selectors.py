"""Reads about problem-solving projects: the projects of a concern, outcome measures, stage
history, public projects."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jcr.core.models import Area
from prosecution.concerns.models import Concern
from prosecution.concerns.selectors import concerns_at_location
from prosecution.partners.models import FollowUp
from prosecution.projects.models import Project, ProjectConcern, ProjectPartner
from prosecution.projects.permissions import project_list_visible_to


def concern_projects(*, concern, user) -> list:
    """The projects of a concern that `user` may see."""

    return list(project_list_visible_to(user=user).filter(concern_links__concern=concern).distinct())


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
    sensitive = ProjectConcern.objects.filter(project=OuterRef("pk"), concern__is_sensitive=True)
    return Project.objects.filter(is_public=True).filter(~Exists(sensitive))


def project_get_public(*, public_id):
    """The public project with this id, its areas and partner names; Http404 otherwise."""
    return get_object_or_404(
        project_public_queryset().prefetch_related(
            "areas", Prefetch("partner_links", queryset=ProjectPartner.objects.select_related("partner"))
        ),
        public_id=public_id,
    )


def area_public_projects(*, area: Area, limit: int = 20) -> list:
    """Public projects in the area, not closed ones first (one query)."""
    return list(
        project_public_queryset()
        .filter(areas=area)
        .annotate(
            closed=Case(When(stage=Project.Stage.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .only("public_id", "title", "stage", "public_summary", "updated_at")
        .order_by("closed", "-updated_at", "-id")[:limit]
    )
