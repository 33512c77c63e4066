"""Pages of the community dialogues through the real views: applying, the draw record, the
accept/decline link, the follow-up pages, and the staff pages (access, decisions, draw, export)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone, translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from outreach.dialogues import lottery, services
from outreach.dialogues.models import DialogueApplication, DialogueSeries, ParticipantGroup
from outreach.dialogues.tests.factories import (
    DialogueApplicationFactory,
    DialogueSeatsFactory,
    DialogueSeriesFactory,
    DialogueSessionFactory,
    RecommendationFactory,
    SubcommitteeFactory,
)
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db
Status = DialogueApplication.Status
LOCATION = "Secret Hall, 99 Hidden Way"


def _url(name, language="en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"outreach:{name}", kwargs=kwargs)


@pytest.fixture
def session():
    district = AreaFactory(lon=-121.5, lat=38.5, slug="d1-natomas", name="Natomas")
    session = DialogueSessionFactory(district=district, location=LOCATION, series__slug="nest")
    DialogueSeatsFactory(session=session, group=ParticipantGroup.COMMUNITY, seats=2)
    return session


def _apply_data(**overrides) -> dict:
    return {
        "district": "d1-natomas",
        "group": "community",
        "name": "Luz Ortega",
        "email": "luz@example.org",
        "phone": "916-555-0199",
        "address": "5 Oak St",
        "latitude": "",
        "longitude": "",
        "language": "es",
        "date_of_birth": "",
        "commits_to_learning": "on",
        "commits_to_research": "on",
        "commits_to_problem_solving": "on",
        "website": "",
        "form_ts": form_timestamp(scope="dialogue_apply", seconds_ago=30),
    } | overrides


def _close(series):
    DialogueSeries.objects.filter(pk=series.pk).update(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(minutes=1),
    )
    series.refresh_from_db()
    return series


# --- Public ---------------------------------------------------------------------------------


def test_series_page_shows_sessions_seats_and_commitment_but_never_the_location(resident, session):
    response = resident.get(_url("dialogue_detail", slug="nest"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Natomas" in body
    assert session.series.commitment in body
    assert session.series.seed not in body
    assert LOCATION not in body
    assert _url("dialogue_apply", slug="nest") in body


def test_draft_series_are_not_public(resident):
    DialogueSeriesFactory(slug="draft", status=DialogueSeries.Status.DRAFT)
    for name in ("dialogue_detail", "dialogue_apply", "dialogue_draw_record", "dialogue_recommendation_list"):
        assert resident.get(_url(name, slug="draft")).status_code == 404
    assert "draft" not in resident.get(_url("dialogue_list")).content.decode()


def test_apply_form_in_spanish_lists_the_districts_and_works_without_javascript(resident, session):
    response = resident.get(_url("dialogue_apply", "es", slug="nest"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<option value="d1-natomas">Natomas</option>' in body
    assert 'name="form_ts"' in body
    assert 'method="post"' in body
    assert LOCATION not in body


def test_apply_saves_then_shows_received_and_mails_in_the_applicants_language(resident, session):
    response = resident.post(_url("dialogue_apply", "es", slug="nest"), _apply_data())
    assert response.status_code == 302
    application = DialogueApplication.objects.get()
    assert response["Location"] == _url("dialogue_apply_done", "es", slug="nest", public_id=application.public_id)
    assert application.status == Status.ELIGIBLE
    assert application.language == "es"
    email = OutboundEmail.objects.get(template="outreach/dialogue_received")
    assert email.to == "luz@example.org"
    assert email.language == "es"
    assert "/es/outreach/dialogues/nest/" in email.body_text
    done = resident.get(response["Location"])
    body = done.content.decode()
    assert done["X-Robots-Tag"] == "noindex"
    assert application.pseudonym in body
    assert "Luz Ortega" not in body
    assert "luz@example.org" not in body


def test_applying_twice_merges_and_says_so(resident, session):
    resident.post(_url("dialogue_apply", slug="nest"), _apply_data(language="en"))
    response = resident.post(
        _url("dialogue_apply", slug="nest"),
        _apply_data(language="en", name="Luz O.", email="LUZ@example.org"),
        follow=True,
    )
    assert response.status_code == 200
    assert "we updated your application" in response.content.decode()
    assert DialogueApplication.objects.count() == 1
    assert DialogueApplication.objects.get().merged_count == 1


def test_apply_errors_keep_answers_and_save_nothing(resident, session):
    data = _apply_data(group="youth", commits_to_research="", language="en")
    response = resident.post(_url("dialogue_apply", slug="nest"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give your date of birth for a youth seat." in body
    assert "Participants accept each of the three commitments." in body
    assert "Luz Ortega" in body
    assert not DialogueApplication.objects.exists()


def test_apply_refuses_bots_and_floods(resident, session, settings):
    response = resident.post(_url("dialogue_apply", slug="nest"), _apply_data(website="http://spam"))
    assert response.status_code == 200
    assert not DialogueApplication.objects.exists()
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "dialogue_apply": "1/h/ip"}
    assert resident.post(_url("dialogue_apply", slug="nest"), _apply_data()).status_code == 302
    response = resident.post(_url("dialogue_apply", slug="nest"), _apply_data(email="two@example.org", phone=""))
    assert response.status_code == 200
    assert "Too many submissions" in response.content.decode()
    assert DialogueApplication.objects.count() == 1


def test_apply_outside_the_window_shows_no_form(resident, session):
    _close(session.series)
    response = resident.get(_url("dialogue_apply", slug="nest"))
    assert response.status_code == 200
    assert 'name="form_ts"' not in response.content.decode()
    response = resident.post(_url("dialogue_apply", slug="nest"), _apply_data())
    assert response.status_code == 200
    assert not DialogueApplication.objects.exists()


def test_draw_record_shows_the_commitment_before_and_the_seed_and_results_after(resident, session):
    applications = [DialogueApplicationFactory(session=session) for _ in range(4)]
    before = resident.get(_url("dialogue_draw_record", slug="nest")).content.decode()
    assert session.series.commitment in before
    assert session.series.seed not in before
    assert session.series.seed not in resident.get(_url("dialogue_draw_record_json", slug="nest")).content.decode()
    services.dialogue_draw_run(series=_close(session.series))
    caches["pages"].clear()
    response = resident.get(_url("dialogue_draw_record", slug="nest"))
    body = response.content.decode()
    assert session.series.seed in body
    series = DialogueSeries.objects.get(pk=session.series.pk)
    assert series.draw_record["pool_hash"] in body
    assert lottery.ALGORITHM_VERSION in body
    for application in applications:
        assert application.pseudonym in body
        assert application.name not in body
        assert application.email not in body
    assert LOCATION not in body
    assert "dialogue_draw_verify" in body
    published = resident.get(_url("dialogue_draw_record_json", slug="nest")).json()
    assert lottery.record_verify(published).ok


def test_respond_page_shows_the_location_to_the_selected_person_and_takes_the_answer(resident, session):
    [DialogueApplicationFactory(session=session) for _ in range(3)]
    services.dialogue_draw_run(series=_close(session.series))
    offer = DialogueApplication.objects.filter(status=Status.SELECTED).first()
    url = _url("dialogue_respond", token=offer.response_token)
    page = resident.get(url)
    assert page.status_code == 200
    assert LOCATION in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    response = resident.post(url, {"answer": "decline"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Status.DECLINED
    assert resident.get(url).status_code == 404  # the link is spent
    assert DialogueApplication.objects.filter(status=Status.SELECTED).count() == 2  # the wait list moved up
    assert resident.get(_url("dialogue_respond", token="no-such-token")).status_code == 404


def test_accepting_keeps_the_page_with_the_location(resident, session):
    DialogueApplicationFactory(session=session)
    services.dialogue_draw_run(series=_close(session.series))
    offer = DialogueApplication.objects.get(status=Status.SELECTED)
    url = _url("dialogue_respond", token=offer.response_token)
    response = resident.post(url, {"answer": "accept"}, follow=True)
    body = response.content.decode()
    assert "You accepted your seat" in body
    assert LOCATION in body
    offer.refresh_from_db()
    assert offer.status == Status.ACCEPTED


def test_recommendation_pages_show_status_response_and_progress(resident, session):
    subcommittee = SubcommitteeFactory(series=session.series, title="Youth and policing", title_es="Juventud y policía")
    rec = RecommendationFactory(
        subcommittee=subcommittee, title="Quarterly data", response="The City agrees.", progress_percent=60
    )
    listing = resident.get(_url("dialogue_recommendation_list", "es", slug="nest")).content.decode()
    assert "Juventud y policía" in listing
    assert 'value="60"' in listing
    detail = resident.get(_url("dialogue_recommendation_detail", slug="nest", public_id=rec.public_id))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "The City agrees." in body
    assert "Under review by the City" in body
    other = DialogueSeriesFactory()
    assert (
        resident.get(_url("dialogue_recommendation_detail", slug=other.slug, public_id=rec.public_id)).status_code
        == 404
    )


def test_sitemap_lists_series_pages_but_not_personal_ones(resident, session):
    application = DialogueApplicationFactory(session=session)
    rec = RecommendationFactory(subcommittee=SubcommitteeFactory(series=session.series))
    body = resident.get("/sitemap.xml").content.decode()
    assert "/outreach/dialogues/nest/draw/" in body
    assert "/outreach/dialogues/nest/apply/" in body
    assert f"/outreach/dialogues/nest/recommendations/{rec.public_id}/" in body
    assert str(application.public_id) not in body


def _grow(session, n):
    for _ in range(n):
        DialogueApplicationFactory(session=session)
        rec_sub = SubcommitteeFactory(series=session.series)
        RecommendationFactory(subcommittee=rec_sub)
        RecommendationFactory(subcommittee=rec_sub)
    extra = DialogueSessionFactory(series=session.series)
    DialogueSeatsFactory(session=extra)


@pytest.mark.parametrize(
    "name", ["dialogue_detail", "dialogue_draw_record", "dialogue_recommendation_list", "dialogue_apply"]
)
def test_public_pages_run_the_same_few_queries_with_more_rows(resident, session, name):
    _grow(session, 2)
    if name == "dialogue_draw_record":
        services.dialogue_draw_run(series=_close(session.series))
    caches["pages"].clear()
    with assert_max_queries(8) as few:
        assert resident.get(_url(name, slug="nest")).status_code == 200
    _grow(session, 10)
    caches["pages"].clear()
    with assert_max_queries(len(few)):
        assert resident.get(_url(name, slug="nest")).status_code == 200


# --- Staff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("outreach_staff", 200),
        ("outreach_supervisor", 200),
        ("bureau_chief", 200),
        ("community_prosecutor", 403),
        ("jti_staff", 403),
        ("resident_user", 403),
    ],
)
def test_staff_pages_are_for_the_unit(personas, client_for, session, persona, expected):
    client = client_for(personas[persona])
    application = DialogueApplicationFactory(session=session)
    assert client.get(_url("staff_dialogue_list")).status_code == expected
    assert client.get(_url("staff_dialogue_series", slug="nest")).status_code == expected
    url = _url("staff_dialogue_application", slug="nest", public_id=application.public_id)
    assert client.get(url).status_code == expected


def test_staff_series_page_counts_against_seats_and_filters(client_for, outreach_staff, session):
    for _ in range(3):
        DialogueApplicationFactory(session=session)
    DialogueApplicationFactory(session=session, group=ParticipantGroup.BUSINESS, name="Bea Business")
    client = client_for(outreach_staff)
    response = client.get(_url("staff_dialogue_series", slug="nest"))
    body = response.content.decode()
    assert "Oversubscribed" in body
    table = response.context["table"][0]
    community = next(g for g in table["groups"] if g["group"] == "community")
    assert (community["seats"], community["eligible"], community["oversubscribed"]) == (2, 3, True)
    filtered = client.get(_url("staff_dialogue_series", slug="nest"), {"group": "business"})
    assert [a.name for a in filtered.context["page"].object_list] == ["Bea Business"]


def test_staff_series_page_queries_stay_constant(client_for, outreach_supervisor, session):
    client = client_for(outreach_supervisor)
    _grow(session, 2)
    with assert_max_queries(12) as few:
        client.get(_url("staff_dialogue_series", slug="nest"))
    _grow(session, 15)
    with assert_max_queries(len(few)):
        client.get(_url("staff_dialogue_series", slug="nest"))


def test_eligibility_decision_is_saved_and_audited(client_for, outreach_staff, bureau_chief, session):
    application = DialogueApplicationFactory(session=session, status=Status.INELIGIBLE, ineligible_reason="Age")
    url = _url("staff_dialogue_eligibility", slug="nest", public_id=application.public_id)
    assert client_for(outreach_staff).get(url).status_code == 405
    assert client_for(bureau_chief).post(url, {"eligible": "1", "reason": "x"}).status_code == 403
    bad = client_for(outreach_staff).post(url, {"eligible": "1", "reason": ""})
    assert bad.status_code == 400
    response = client_for(outreach_staff).post(url, {"eligible": "1", "reason": "Confirmed date of birth"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert AuditEntry.objects.filter(
        action="outreach.dialogue_application.eligibility", actor_id=outreach_staff.pk
    ).exists()


def test_only_supervisors_draw_and_only_after_retyping_the_name(
    client_for, outreach_staff, outreach_supervisor, session
):
    for _ in range(3):
        DialogueApplicationFactory(session=session)
    _close(session.series)
    url = _url("staff_dialogue_draw", slug="nest")
    assert client_for(outreach_staff).get(url).status_code == 403
    assert client_for(outreach_staff).post(url, {"confirm": "nest"}).status_code == 403
    supervisor = client_for(outreach_supervisor)
    assert supervisor.get(url).status_code == 200
    assert supervisor.post(url, {"confirm": "wrong"}).status_code == 400
    assert not DialogueSeries.objects.get(pk=session.series.pk).is_drawn
    response = supervisor.post(url, {"confirm": "nest"})
    assert response.status_code == 302
    series = DialogueSeries.objects.get(pk=session.series.pk)
    assert series.is_drawn
    assert series.drawn_by == outreach_supervisor
    assert supervisor.post(url, {"confirm": "nest"}).status_code == 400  # not twice


def test_export_is_a_reconfirmed_post_with_an_audit_entry(client_for, outreach_staff, bureau_chief, session):
    DialogueApplicationFactory(session=session, name="=HYPERLINK(1)")
    DialogueApplicationFactory(session=session, name="Carl Cruz")
    services.dialogue_draw_run(series=_close(session.series))
    url = _url("staff_dialogue_export", slug="nest")
    assert client_for(outreach_staff).get(url).status_code == 405
    assert client_for(bureau_chief).post(url, {"confirm": "nest"}).status_code == 403
    assert client_for(outreach_staff).post(url, {"confirm": "no"}).status_code == 400
    assert not AuditEntry.objects.filter(action="outreach.dialogue_series.export").exists()
    response = client_for(outreach_staff).post(url, {"confirm": "nest"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "District"
    names = {row[5] for row in rows[1:]}
    assert "Carl Cruz" in names
    assert "'=HYPERLINK(1)" in names
    assert AuditEntry.objects.filter(action="outreach.dialogue_series.export", actor_id=outreach_staff.pk).exists()


@pytest.mark.parametrize(
    ("district", "address", "status", "says"),
    [
        ("", "5866 Freeport Blvd", Status.ELIGIBLE, ""),  # the district found from the address
        ("d1-natomas", "1200 J Street", Status.INELIGIBLE, "está fuera de Natomas"),  # downtown; in her language
        ("", "742 Evergreen Terrace", None, "Choose your district: we could not tell it from your address."),
    ],
)
def test_residence_by_address(resident, session, settings, district, address, status, says):
    """Without a pin the typed address is looked up (demo geocoder): it decides the district
    left empty and is checked against the district chosen."""
    settings.JCR_GEOCODER_BOUNDS = "-121.87,38.01,-121.02,38.74"
    response = resident.post(_url("dialogue_apply", slug="nest"), _apply_data(district=district, address=address))
    application = DialogueApplication.objects.first()
    if status is None:
        assert response.status_code == 200
        assert application is None
        assert says in response.content.decode()
        assert address in response.content.decode()
        return
    assert response.status_code == 302
    assert (application.status, application.address) == (status, address)
    assert application.latitude is not None
    assert says in application.ineligible_reason
