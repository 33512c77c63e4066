"""Problem-solving projects: the outcome measures (a pure function and its selector), the
services' rules (places, repeat location, never public with a sensitive concern, stage
history), the staff pages for each persona, and the public project page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jcr.core.models import AuditEntry
from jcr.core.tests.factories import AreaFactory
from prosecution.concerns import services
from prosecution.concerns.models import Concern
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory
from prosecution.partners.models import FollowUp
from prosecution.partners.tests.factories import FollowUpFactory, PartnerContactFactory, PartnerFactory
from prosecution.projects import selectors as project_selectors
from prosecution.projects import services as project_services
from prosecution.projects.models import Project, ProjectAction
from prosecution.projects.tests.factories import OwnerContactFactory, ProjectActionFactory, ProjectFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _inside(area) -> tuple[float, float]:
    return (area.min_lat + area.max_lat) / 2, (area.min_lon + area.max_lon) / 2


def _url(project, name="staff_project_detail", **kwargs) -> str:
    return reverse(f"prosecution:{name}", kwargs={"public_id": project.public_id, **kwargs})


def _project_in(area, **fields) -> Project:
    lat, lon = _inside(area)
    project = ProjectFactory(latitude=lat, longitude=lon, **fields)
    project.areas.add(area)
    return project


def _concern_at(lat, lon, *, days_ago: float, **fields) -> Concern:
    concern = ConcernFactory(latitude=lat, longitude=lon, **fields)
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return concern


# --- Outcome measures: the pure function -----------------------------------------------------------
START = date(2026, 3, 1)


def _days(*offsets: int) -> list[date]:
    return [START + timedelta(days=o) for o in offsets]


def test_outcome_without_a_response_date_has_nothing_to_compare():
    result = project_selectors.outcome_measures(
        dates=_days(-5, 5), response_started_on=None, today=START, window_days=90, answers=["fixed"]
    )
    assert result["has_response"] is False
    assert (result["before"], result["after"], result["change_pct"]) == (None, None, None)
    assert result["answers"] == {"fixed": 1, "not_fixed": 0, "not_sure": 0}
    assert result["answered"] == 1


def test_outcome_complete_window_with_boundaries():
    # -90 and -1 are before; 0 and 89 are after; -91 and 90 are outside both windows.
    dates = _days(-91, -90, -50, -1, 0, 89, 90)
    result = project_selectors.outcome_measures(
        dates=dates, response_started_on=START, today=START + timedelta(days=120), window_days=90
    )
    assert (result["before"], result["after"]) == (3, 2)
    assert result["complete"] is True
    assert result["days_after"] == 90
    assert result["change_pct"] == -33


def test_outcome_with_zero_before_gives_no_percentage():
    result = project_selectors.outcome_measures(
        dates=_days(1, 2), response_started_on=START, today=START + timedelta(days=100), window_days=90
    )
    assert (result["before"], result["after"], result["change_pct"]) == (0, 2, None)


def test_outcome_partial_window_says_how_much_has_passed():
    result = project_selectors.outcome_measures(
        dates=_days(-10, -5, -3, -2, 1, 20, 45),
        response_started_on=START,
        today=START + timedelta(days=30),
        window_days=90,
    )
    assert result["complete"] is False
    assert result["days_after"] == 30
    assert (result["before"], result["after"]) == (4, 2)  # the day-45 date is in the future: not counted
    assert result["change_pct"] == -50


def test_outcome_when_the_response_starts_in_the_future():
    result = project_selectors.outcome_measures(
        dates=_days(-3), response_started_on=START, today=START - timedelta(days=5), window_days=90
    )
    assert (result["before"], result["after"], result["days_after"], result["complete"]) == (1, 0, 0, False)


def test_outcome_ignores_unknown_answers():
    result = project_selectors.outcome_measures(
        dates=[], response_started_on=None, today=START, window_days=90, answers=["fixed", "not_fixed", "", "x"]
    )
    assert result["answered"] == 2


# --- Outcome measures: from the data --------------------------------------------------------------
def test_project_outcome_counts_concerns_within_the_radius(settings, area_in):
    settings.JCR_PROJECT_RADIUS_M = 150
    settings.JCR_PROJECT_OUTCOME_DAYS = 90
    lat, lon = _inside(area_in)
    project = _project_in(area_in, response_started_on=timezone.localdate() - timedelta(days=30))
    for days in (40, 60, 130):  # before: 40 and 60 days ago (the response started 30 days ago)
        _concern_at(lat + 0.0005, lon, days_ago=days)
    _concern_at(lat, lon, days_ago=10)  # after
    _concern_at(lat + 0.01, lon, days_ago=10)  # about 1.1 km away: not at the location
    sensitive = _concern_at(lat, lon, days_ago=5, category=CategoryFactory(code="s", is_sensitive=True))
    project.concern_links.create(concern=sensitive)
    FollowUpFactory(concern=sensitive, answer=FollowUp.Answer.NOT_FIXED, answered_at=timezone.now())
    staff_view = project_selectors.project_outcome(project=project)
    assert (staff_view["before"], staff_view["after"], staff_view["days_after"]) == (2, 2, 30)
    assert staff_view["change_pct"] == 0
    assert staff_view["answers"]["not_fixed"] == 1
    public_view = project_selectors.project_outcome(project=project, public_only=True)
    assert (public_view["before"], public_view["after"]) == (2, 1)
    assert public_view["answered"] == 0


def test_project_outcome_without_a_pin_counts_its_concerns():
    project = ProjectFactory(latitude=None, longitude=None, response_started_on=timezone.localdate())
    linked = _concern_at(1.0, 1.0, days_ago=3)
    project.concern_links.create(concern=linked)
    _concern_at(38.5766, -121.4944, days_ago=3)
    assert project_selectors.project_outcome(project=project)["before"] == 1


# --- Services ------------------------------------------------------------------------------------
def test_project_save_places_blurs_and_flags_a_repeat_location(settings, community_prosecutor, area_in):
    settings.JCR_PROJECT_REPEAT_MIN = 3
    lat, lon = _inside(area_in)
    for days in (10, 100, 300):
        _concern_at(lat, lon, days_ago=days)
    _concern_at(lat, lon, days_ago=400)  # more than 12 months ago
    project = project_services.project_save(
        actor=community_prosecutor, title="Vacant house", latitude=lat, longitude=lon, owner=community_prosecutor
    )
    assert list(project.areas.all()) == [area_in]
    assert project.public_latitude == services.blur(lat)
    assert project.is_repeat_location is True
    assert project.stage == Project.Stage.SCANNING
    assert AuditEntry.objects.filter(action="prosecution.project.create", actor=community_prosecutor).exists()
    settings.JCR_PROJECT_REPEAT_MIN = 4
    project = project_services.project_save(project=project, actor=community_prosecutor, title="Vacant house on K")
    assert project.is_repeat_location is False


def test_a_project_with_a_sensitive_concern_is_never_public(cpu_supervisor):
    project = ProjectFactory(is_public=True)
    sensitive = ConcernFactory(category=CategoryFactory(code="squatters-t", is_sensitive=True))
    _link, unpublished = project_services.project_add_concern(project=project, concern=sensitive, actor=cpu_supervisor)
    assert unpublished
    project.refresh_from_db()
    assert project.is_public is False
    with pytest.raises(ValidationError, match="sensitive"):
        project_services.project_save(project=project, actor=cpu_supervisor, is_public=True)
    project.refresh_from_db()
    assert project.is_public is False
    # Even a flag set behind the services' back is not enough for the public page.
    Project.objects.filter(pk=project.pk).update(is_public=True)
    assert not project_selectors.project_public_queryset().filter(pk=project.pk).exists()


def test_stage_changes_keep_a_history_and_start_the_response(cpu_supervisor):
    project = ProjectFactory()
    project_services.project_set_stage(project=project, stage="analysis", actor=cpu_supervisor)
    project = project_services.project_set_stage(project=project, stage="response", actor=cpu_supervisor)
    assert project.response_started_on == timezone.localdate()
    with pytest.raises(ValidationError):
        project_services.project_set_stage(project=project, stage="response", actor=cpu_supervisor)
    project = project_services.project_set_stage(project=project, stage="closed", actor=cpu_supervisor)
    assert project.closed_at is not None
    history = project_selectors.project_stage_history(project=project)
    assert [(h["from"], h["to"]) for h in history] == [
        ("Scanning", "Analysis"),
        ("Analysis", "Response"),
        ("Response", "Closed"),
    ]


def test_action_done_once(cpu_supervisor):
    action = ProjectActionFactory()
    project_services.project_action_done(action=action, actor=cpu_supervisor)
    with pytest.raises(ValidationError):
        project_services.project_action_done(action=action, actor=cpu_supervisor)


# --- Staff pages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("resident", 302),
        ("resident_user", 403),
        ("outreach_staff", 403),
        ("community_prosecutor", 200),
        ("prosecutor_other_area", 404),
        ("cpu_supervisor", 200),
        ("bureau_chief", 200),
    ],
)
def test_project_page_persona_matrix(persona, expected, personas, client_for, area_in):
    project = _project_in(area_in, analysis="Owner lives out of state.")
    response = client_for(personas[persona]).get(_url(project))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Owner lives out of state." in body
        assert ("Change stage" in body) == (persona != "bureau_chief")


def test_the_owner_sees_a_project_outside_their_areas(client_for, prosecutor_other_area, area_in):
    project = _project_in(area_in, owner=prosecutor_other_area)
    assert client_for(prosecutor_other_area).get(_url(project)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("bureau_chief", 403), ("prosecutor_other_area", 404), ("outreach_staff", 403), ("community_prosecutor", 302)],
)
def test_project_actions_refused_to_read_only_and_out_of_scope(persona, expected, personas, client_for, area_in):
    project = _project_in(area_in)
    client = client_for(personas[persona])
    assert client.post(_url(project, "staff_project_stage"), {"stage": "analysis"}).status_code == expected
    assert client.get(_url(project, "staff_project_edit")).status_code == (200 if expected == 302 else expected)
    project.refresh_from_db()
    assert project.stage == ("analysis" if expected == 302 else "scanning")


def test_create_project_from_the_form(client_for, community_prosecutor, area_in):
    lat, lon = _inside(area_in)
    client = client_for(community_prosecutor)
    assert client.get(reverse("prosecution:staff_project_create")).status_code == 200
    response = client.post(
        reverse("prosecution:staff_project_create"),
        {
            "title": "Motel on Stockton Blvd",
            "address": "5000 Stockton Blvd",
            "parcel_number": "014-0123-004",
            "latitude": lat,
            "longitude": lon,
            "owner": str(community_prosecutor.public_id),
            "public_summary": "Working with the owner on lighting and security.",
            "analysis": "Calls for service spike on weekends.",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(project)
    assert project.owner == community_prosecutor
    assert project.parcel_number == "014-0123-004"
    assert list(project.areas.all()) == [area_in]
    response = client.post(reverse("prosecution:staff_project_create"), {"title": "X", "latitude": lat})
    assert response.status_code == 400
    assert Project.objects.count() == 1


def test_public_flag_refused_on_the_edit_form_for_a_sensitive_project(client_for, cpu_supervisor):
    project = ProjectFactory()
    project.concern_links.create(concern=ConcernFactory(category=CategoryFactory(code="hv", is_sensitive=True)))
    response = client_for(cpu_supervisor).post(
        _url(project, "staff_project_edit"), {"title": project.title, "is_public": "on"}
    )
    assert response.status_code == 400
    assert "sensitive" in response.content.decode()
    project.refresh_from_db()
    assert not project.is_public


def test_project_page_actions_end_to_end(client_for, community_prosecutor, area_in, area_other):
    project = _project_in(area_in)
    mine = ConcernFactory()
    mine.areas.add(area_in)
    theirs = ConcernFactory()
    theirs.areas.add(area_other)
    partner = PartnerFactory(name="Sacramento County Code Enforcement")
    client = client_for(community_prosecutor)
    # concerns by tracking code: only those the person may see
    assert (
        client.post(_url(project, "staff_project_concern_add"), {"tracking_code": theirs.tracking_code}).status_code
        == 400
    )
    response = client.post(_url(project, "staff_project_concern_add"), {"tracking_code": mine.tracking_code.lower()})
    assert response.status_code == 302
    assert list(project.concerns.all()) == [mine]
    assert (
        client.post(_url(project, "staff_project_concern_add"), {"tracking_code": mine.tracking_code}).status_code
        == 400
    )
    # partner, action, owner contact, stage
    response = client.post(
        _url(project, "staff_project_partner_add"), {"partner": str(partner.public_id), "role": "Inspections"}
    )
    assert response.status_code == 302
    assert project.partner_links.get().role == "Inspections"
    response = client.post(
        _url(project, "staff_project_action_add"),
        {"description": "Letter to the owner", "owner": str(community_prosecutor.public_id), "due_on": "2026-12-01"},
    )
    assert response.status_code == 302
    action = ProjectAction.objects.get()
    assert (action.owner, action.due_on) == (community_prosecutor, date(2026, 12, 1))
    done = _url(project, "staff_project_action_done", action_id=action.public_id)
    assert client.get(done).status_code == 405
    assert client.post(done).status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None
    response = client.post(
        _url(project, "staff_project_owner_contact_add"),
        {"contacted_on": "2026-11-02", "method": "phone", "contact_name": "J. Landlord", "summary": "Agreed to fence."},
    )
    assert response.status_code == 302
    assert project.owner_contacts.get().recorded_by == community_prosecutor
    assert client.post(_url(project, "staff_project_stage"), {"stage": "response"}).status_code == 302
    body = client.get(_url(project)).content.decode()
    for text in ("Sacramento County Code Enforcement", "Letter to the owner", "J. Landlord", mine.tracking_code):
        assert text in body
    assert "Scanning → <strong>Response</strong>" in body
    actions = set(AuditEntry.objects.filter(object_id=str(project.public_id)).values_list("action", flat=True))
    assert {
        "prosecution.project.add_concern",
        "prosecution.project.add_partner",
        "prosecution.project.action_add",
        "prosecution.project.action_done",
        "prosecution.project.owner_contact",
        "prosecution.project.stage",
    } <= actions
    # remove the concern again
    remove = _url(project, "staff_project_concern_remove", concern_id=mine.public_id)
    assert client.post(remove).status_code == 302
    assert not project.concerns.exists()


def test_add_to_project_from_the_concern_page(client_for, community_prosecutor, area_in):
    project = _project_in(area_in, title="Alley behind J St")
    concern = ConcernFactory()
    concern.areas.add(area_in)
    client = client_for(community_prosecutor)
    url = reverse("prosecution:staff_concern_add_to_project", kwargs={"public_id": concern.public_id})
    page = client.get(reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id}))
    assert url in page.content.decode()
    assert "Alley behind J St" in client.get(url).content.decode()
    assert client.post(url, {"project": str(project.public_id)}).status_code == 302
    assert list(project.concerns.all()) == [concern]
    assert client.post(url, {"project": str(ProjectFactory().public_id)}).status_code == 400  # not theirs
    page = client.get(reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id}))
    assert "Added to the problem-solving project “Alley behind J St”." in page.content.decode()
    listing = client.get(url).content.decode()
    assert _url(project) in listing  # listed under "Already in"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("bureau_chief", 403), ("outreach_staff", 403), ("prosecutor_other_area", 404), ("community_prosecutor", 200)],
)
def test_add_to_project_page_persona_matrix(persona, expected, personas, client_for, area_in):
    concern = ConcernFactory()
    concern.areas.add(area_in)
    url = reverse("prosecution:staff_concern_add_to_project", kwargs={"public_id": concern.public_id})
    assert client_for(personas[persona]).get(url).status_code == expected


def test_project_list_filters(client_for, community_prosecutor, area_in, area_other):
    _project_in(area_in, title="Mine in scanning", owner=community_prosecutor)
    _project_in(area_in, title="Area project in response", stage=Project.Stage.RESPONSE)
    _project_in(area_in, title="Closed one", stage=Project.Stage.CLOSED)
    _project_in(area_other, title="Other area")
    client = client_for(community_prosecutor)
    url = reverse("prosecution:staff_project_list")

    def titles(**params):
        return sorted(p.title for p in client.get(url, params).context["projects"])

    assert titles() == ["Area project in response", "Mine in scanning"]
    assert titles(stage="all") == ["Area project in response", "Closed one", "Mine in scanning"]
    assert titles(stage="response") == ["Area project in response"]
    assert titles(mine="on") == ["Mine in scanning"]
    assert titles(area=str(area_in.public_id)) == ["Area project in response", "Mine in scanning"]


@pytest.mark.parametrize("n", [2, 15])
def test_project_pages_query_budget(n, client_for, cpu_supervisor, area_in):
    project = _project_in(area_in, response_started_on=timezone.localdate() - timedelta(days=10))
    for _ in range(n):
        concern = ConcernFactory()
        project.concern_links.create(concern=concern)
        FollowUpFactory(concern=concern, answer="fixed", answered_at=timezone.now())
        project.partner_links.create(partner=PartnerContactFactory().partner)
        ProjectActionFactory(project=project)
        OwnerContactFactory(project=project)
        _project_in(area_in)
    project_services.project_set_stage(project=project, stage="analysis", actor=cpu_supervisor)
    client = client_for(cpu_supervisor)
    client.get(reverse("prosecution:staff_landing"))
    with assert_max_queries(12):
        response = client.get(_url(project))
    assert response.status_code == 200
    assert response.context["outcome"]["answers"]["fixed"] == n
    with assert_max_queries(12):
        assert client.get(reverse("prosecution:staff_project_list")).status_code == 200


# --- Public page ---------------------------------------------------------------------------------
def _public_url(project) -> str:
    return reverse("prosecution:project_public", kwargs={"public_id": project.public_id})


def test_public_project_page_shows_public_things_only(client, area_in):
    project = _project_in(
        area_in,
        is_public=True,
        title="Cleaning up the 16th St lot",
        public_summary="Fencing and lighting with the owner.",
        analysis="zzanalysis",
        address="zzaddress 16th St",
        parcel_number="zzapn",
        response_started_on=timezone.localdate() - timedelta(days=5),
    )
    project.partner_links.create(partner=PartnerFactory(name="City Code Compliance", notes="zznotes"))
    OwnerContactFactory(project=project, contact_name="zzowner", summary="zzsummary")
    ProjectActionFactory(project=project, description="zzaction")
    with assert_max_queries(8):
        response = client.get(_public_url(project))
    assert response.status_code == 200
    body = response.content.decode()
    for shown in (
        "Cleaning up the 16th St lot",
        "Fencing and lighting with the owner.",
        "City Code Compliance",
        "Downtown",
    ):
        assert shown in body
    assert "zz" not in body
    assert str(project.latitude) not in body
    assert "not complete" in body  # the "after" window has just started


@pytest.mark.parametrize("case", ["private", "sensitive"])
def test_public_project_page_404(client, case):
    project = ProjectFactory(is_public=case == "sensitive")
    if case == "sensitive":
        project.concern_links.create(concern=ConcernFactory(category=CategoryFactory(code="p", is_sensitive=True)))
    assert client.get(_public_url(project)).status_code == 404


def test_area_page_and_sitemap_list_public_projects(client):
    district = AreaFactory(slug="test-heights")
    public = _project_in(district, is_public=True, title="Public one")
    _project_in(district, title="Private one")
    body = client.get(reverse("prosecution:area_detail", kwargs={"slug": "test-heights"})).content.decode()
    assert "Public one" in body
    assert _public_url(public) in body
    assert "Private one" not in body
    sitemap = client.get("/sitemap.xml").content.decode()
    assert _public_url(public) in sitemap
    assert "Private one" not in sitemap


@pytest.mark.parametrize("n", [2, 20])
def test_area_page_with_projects_stays_in_budget(client, n):
    district = AreaFactory(slug="test-heights")
    for _ in range(n):
        _project_in(district, is_public=True)
    with assert_max_queries(8):
        assert client.get(reverse("prosecution:area_detail", kwargs={"slug": "test-heights"})).status_code == 200


def test_public_project_page_is_served_from_the_cache_to_anonymous_visitors(client, area_in):
    project = _project_in(area_in, is_public=True, title="Cached title")
    assert client.get(_public_url(project)).status_code == 200
    Project.objects.filter(pk=project.pk).update(title="Changed title")
    with assert_max_queries(0):
        response = client.get(_public_url(project))
    assert "Cached title" in response.content.decode()
