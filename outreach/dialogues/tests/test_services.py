"""Services of the community dialogues: applying (eligibility, merging duplicates), staff
decisions, the draw, answers to offers, lapsed offers and the wait list, the export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from jcr.core.audit import object_key
from jcr.core.models import AuditEntry, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from outreach.dialogues import lottery, selectors, services
from outreach.dialogues.models import DialogueApplication, DialogueSeries, ParticipantGroup
from outreach.dialogues.tests.factories import (
    DialogueApplicationFactory,
    DialogueSeatsFactory,
    DialogueSeriesFactory,
    DialogueSessionFactory,
)

pytestmark = pytest.mark.django_db
Status = DialogueApplication.Status


@pytest.fixture
def session():
    """A session in a district whose square covers lon -121.5..-121.49, lat 38.5..38.51."""
    district = AreaFactory(lon=-121.5, lat=38.5, slug="natomas", name="Natomas")
    session = DialogueSessionFactory(district=district)
    DialogueSeatsFactory(session=session, group=ParticipantGroup.COMMUNITY, seats=2)
    DialogueSeatsFactory(session=session, group=ParticipantGroup.YOUTH, seats=1)
    return session


def _submit(session, **overrides):
    data = {
        "series": session.series,
        "district": session.district,
        "group": ParticipantGroup.COMMUNITY,
        "name": "Ana Pérez",
        "email": "Ana@Example.org ",
        "phone": "(916) 555-0101",
        "address": "12 Elm St",
        "language": "es",
        "commits_to_learning": True,
        "commits_to_research": True,
        "commits_to_problem_solving": True,
    } | overrides
    return services.dialogue_application_submit(**data)


def test_submit_saves_an_eligible_application_audits_and_queues_a_confirmation(session):
    application, merged = _submit(session)
    assert not merged
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert application.email == "ana@example.org"
    assert application.phone_digits == "9165550101"
    assert len(application.pseudonym) == 10
    entry = AuditEntry.objects.get(action="outreach.dialogue_application.submit")
    assert entry.object_id == str(application.public_id)
    assert "seed" not in json.dumps(entry.after)
    email = OutboundEmail.objects.get(template="outreach/dialogue_received")
    assert email.to == "ana@example.org"
    assert email.language == "es"
    assert application.pseudonym in email.body_text


@pytest.mark.parametrize(
    ("born_years_before_session", "eligible"),
    [(17, False), (18, True), (25, True), (26, False)],
)
def test_youth_age_is_checked_on_the_session_day(session, born_years_before_session, eligible):
    day = timezone.localtime(session.starts_at).date()
    born = date(day.year - born_years_before_session, day.month, day.day)
    if born_years_before_session == 26:
        born += timedelta(days=-1)  # 26 since yesterday
    application, _ = _submit(session, group=ParticipantGroup.YOUTH, date_of_birth=born, language="en")
    assert application.status == (Status.ELIGIBLE if eligible else Status.INELIGIBLE)
    if not eligible:
        assert "18 to 25" in application.ineligible_reason


def test_youth_turning_18_after_the_session_is_not_eligible(session):
    day = timezone.localtime(session.starts_at).date()
    born = date(day.year - 18, day.month, day.day) + timedelta(days=1)
    application, _ = _submit(session, group=ParticipantGroup.YOUTH, date_of_birth=born, language="en")
    assert application.status == Status.INELIGIBLE


def test_date_of_birth_is_kept_only_for_youth_seats(session):
    application, _ = _submit(session, date_of_birth=date(1970, 1, 1))
    assert application.date_of_birth is None


def test_a_pin_outside_the_district_is_not_eligible(session):
    inside, _ = _submit(session, latitude=38.505, longitude=-121.495)
    assert inside.status == Status.ELIGIBLE
    outside, _ = _submit(session, email="far@example.org", phone="", latitude=38.6, longitude=-121.2, language="en")
    assert outside.status == Status.INELIGIBLE
    assert "outside Natomas" in outside.ineligible_reason


def test_submit_outside_the_window_is_refused_and_saves_nothing(session):
    DialogueSeries.objects.filter(pk=session.series.pk).update(
        applications_close_at=timezone.now() - timedelta(minutes=1),
        applications_open_at=timezone.now() - timedelta(days=3),
    )
    with pytest.raises(ValidationError, match="not open"):
        _submit(session)
    assert not DialogueApplication.objects.exists()


def test_submit_needs_every_commitment_and_a_session_in_the_district(session):
    with pytest.raises(ValidationError, match="three commitments"):
        _submit(session, commits_to_research=False)
    with pytest.raises(ValidationError, match="no session"):
        _submit(session, district=AreaFactory())
    assert not DialogueApplication.objects.exists()


def test_duplicates_by_email_or_phone_are_merged_keeping_the_latest_answers(session):
    first, _ = _submit(session)
    again, merged = _submit(session, email="ANA@example.org", group=ParticipantGroup.BUSINESS, name="Ana P.")
    assert merged
    assert again.pk == first.pk
    by_phone, merged = _submit(session, email="other@example.org", phone="+1 916 555 0101", address="14 Elm St")
    assert merged
    assert by_phone.pk == first.pk
    assert DialogueApplication.objects.count() == 1
    application = DialogueApplication.objects.get()
    assert application.name == "Ana Pérez"  # the latest answers, not the second ones
    assert application.email == "other@example.org"
    assert application.address == "14 Elm St"
    assert application.group == ParticipantGroup.COMMUNITY  # the latest answer
    assert application.pseudonym == first.pseudonym
    assert application.merged_count == 2
    assert "group" in application.merge_log[0]["changed"]
    assert AuditEntry.objects.filter(action="outreach.dialogue_application.merge").count() == 2
    assert OutboundEmail.objects.filter(template="outreach/dialogue_received").count() == 3


def test_staff_decide_eligibility_with_a_reason_audited(session, outreach_staff):
    application = DialogueApplicationFactory(session=session, status=Status.INELIGIBLE, ineligible_reason="Too old")
    with pytest.raises(ValidationError, match="reason"):
        services.dialogue_application_set_eligibility(
            application=application, eligible=True, reason=" ", actor=outreach_staff
        )
    services.dialogue_application_set_eligibility(
        application=application, eligible=True, reason="Birth date typo, confirmed by phone", actor=outreach_staff
    )
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE
    assert application.eligibility_overridden
    entry = AuditEntry.objects.get(action="outreach.dialogue_application.eligibility")
    assert entry.actor_id == outreach_staff.pk
    assert entry.before["status"] == "ineligible"
    assert entry.after["status"] == "eligible"


def _close(series):
    DialogueSeries.objects.filter(pk=series.pk).update(
        applications_open_at=timezone.now() - timedelta(days=10),
        applications_close_at=timezone.now() - timedelta(minutes=1),
    )
    series.refresh_from_db()
    return series


def _oversubscribed(session, n=5):
    return [DialogueApplicationFactory(session=session) for _ in range(n)]


def test_the_draw_selects_waitlists_publishes_and_emails(session, outreach_supervisor):
    applications = _oversubscribed(session, 5)
    youth = DialogueApplicationFactory(session=session, group=ParticipantGroup.YOUTH, date_of_birth=date(2004, 1, 1))
    ineligible = DialogueApplicationFactory(session=session, status=Status.INELIGIBLE)
    series = _close(session.series)
    services.dialogue_draw_run(series=series, actor=outreach_supervisor)
    with pytest.raises(ValidationError, match="already"):
        services.dialogue_draw_run(series=series, actor=outreach_supervisor)
    series.refresh_from_db()
    record = series.draw_record
    assert series.status == DialogueSeries.Status.DRAWN
    assert series.drawn_by == outreach_supervisor
    assert record["seed"] == series.seed
    assert record["commitment"] == series.commitment
    assert record["pool"]["natomas/community"] == sorted(a.pseudonym for a in applications)
    assert record["pool"]["natomas/youth"] == [youth.pseudonym]
    assert ineligible.pseudonym not in json.dumps(record)
    assert lottery.record_verify(record).ok
    community = record["results"]["natomas/community"]
    statuses = dict(DialogueApplication.objects.values_list("pseudonym", "status"))
    assert [statuses[p] for p in community["selected"]] == [Status.SELECTED] * 2
    assert [statuses[p] for p in community["waitlist"]] == [Status.WAITLISTED] * 3
    assert statuses[youth.pseudonym] == Status.SELECTED  # not oversubscribed: everyone selected
    assert statuses[ineligible.pseudonym] == Status.INELIGIBLE
    ranks = dict(DialogueApplication.objects.filter(status=Status.WAITLISTED).values_list("pseudonym", "waitlist_rank"))
    assert [ranks[p] for p in community["waitlist"]] == [1, 2, 3]
    selected = DialogueApplication.objects.filter(status=Status.SELECTED)
    assert all(a.response_token and a.response_deadline for a in selected)
    assert OutboundEmail.objects.filter(template="outreach/dialogue_selected").count() == 3
    assert OutboundEmail.objects.filter(template="outreach/dialogue_waitlisted").count() == 3
    offer = OutboundEmail.objects.filter(template="outreach/dialogue_selected").first()
    assert session.location in offer.body_text
    assert "/outreach/dialogues/respond/" in offer.body_text
    assert "location" not in OutboundEmail.objects.filter(template="outreach/dialogue_waitlisted").first().body_text
    assert (
        session.location not in OutboundEmail.objects.filter(template="outreach/dialogue_waitlisted").first().body_text
    )
    assert AuditEntry.objects.filter(action="outreach.dialogue_series.draw", actor_id=outreach_supervisor.pk).exists()
    assert series.seed not in json.dumps(list(AuditEntry.objects.values_list("after", flat=True)))


def test_the_draw_waits_for_the_window_to_close(session):
    _oversubscribed(session, 3)
    with pytest.raises(ValidationError, match="still open"):
        services.dialogue_draw_run(series=session.series)
    assert not DialogueApplication.objects.exclude(status=Status.ELIGIBLE).exists()


def test_a_draw_with_no_applicants_is_still_recorded(session):
    series = _close(session.series)
    record = services.dialogue_draw_run(series=series)
    assert record["pool"] == {}
    assert record["results"] == {}
    assert record["seats"] == {"natomas/community": 2, "natomas/youth": 1}
    assert lottery.record_verify(record).ok


def test_draws_due_draws_only_automatic_closed_series(session):
    _oversubscribed(session, 3)
    series = _close(session.series)
    assert services.dialogue_draws_due() == 0
    DialogueSeries.objects.filter(pk=series.pk).update(draw_automatically=True)
    assert services.dialogue_draws_due() == 1
    assert services.dialogue_draws_due() == 0
    series.refresh_from_db()
    assert series.is_drawn


def _drawn(session, n=4):
    _oversubscribed(session, n)
    services.dialogue_draw_run(series=_close(session.series))
    return DialogueSeries.objects.get(pk=session.series.pk).draw_record


def test_accept_then_the_link_is_spent(session):
    _drawn(session)
    offer = DialogueApplication.objects.filter(status=Status.SELECTED).first()
    services.dialogue_application_respond(token=offer.response_token, accept=True)
    offer.refresh_from_db()
    assert offer.status == Status.ACCEPTED
    assert offer.responded_at
    with pytest.raises(ValidationError, match="no longer valid"):
        services.dialogue_application_respond(token=offer.response_token, accept=False)
    assert AuditEntry.objects.filter(action="outreach.dialogue_application.accept").count() == 1


def test_an_accepted_seat_is_confirmed_by_email_in_the_applicants_language(session):
    DialogueApplicationFactory(session=session, group=ParticipantGroup.YOUTH, date_of_birth=date(2004, 1, 1))
    _drawn(session)  # two community seats and one youth seat offered
    offers = list(DialogueApplication.objects.filter(status=Status.SELECTED).order_by("pk"))
    assert len(offers) == 3
    DialogueApplication.objects.filter(pk=offers[0].pk).update(language="es")
    DialogueApplication.objects.filter(pk=offers[1].pk).update(language="en")
    OutboundEmail.objects.all().delete()
    services.dialogue_application_respond(token=offers[0].response_token, accept=True)
    email = OutboundEmail.objects.get(template="outreach/dialogue_confirmed")
    assert email.to == offers[0].email
    assert email.language == "es"
    assert email.related_id == object_key(offers[0])
    assert session.location in email.body_text
    assert f"/es/outreach/dialogues/respond/{offers[0].response_token}/" in email.body_text
    with translation.override("es"):
        starts = date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
    assert starts in email.body_text
    services.dialogue_application_respond(token=offers[1].response_token, accept=True)
    english = OutboundEmail.objects.get(template="outreach/dialogue_confirmed", to=offers[1].email)
    assert english.language == "en"
    assert english.subject == f"Your seat is confirmed: {session.series.title}"
    assert "Date and time:" in english.body_text
    assert session.location in english.body_text
    assert timezone.localtime(session.starts_at).strftime("%Y") in english.body_text
    # The demo data (notify=False) sends nothing; a decline confirms nothing.
    OutboundEmail.objects.all().delete()
    services.dialogue_application_respond(token=offers[2].response_token, accept=True, notify=False)
    assert not OutboundEmail.objects.exists()
    assert DialogueApplication.objects.get(pk=offers[2].pk).status == Status.ACCEPTED


def test_a_decline_sends_no_confirmation(session):
    _drawn(session, 2)
    offer = DialogueApplication.objects.filter(status=Status.SELECTED).first()
    OutboundEmail.objects.all().delete()
    services.dialogue_application_respond(token=offer.response_token, accept=False)
    assert not OutboundEmail.objects.filter(template="outreach/dialogue_confirmed").exists()


def test_a_decline_promotes_the_first_on_the_wait_list_with_an_email(session):
    record = _drawn(session, 4)
    first_waiting = record["results"]["natomas/community"]["waitlist"][0]
    offer = DialogueApplication.objects.filter(status=Status.SELECTED).first()
    OutboundEmail.objects.all().delete()
    services.dialogue_application_respond(token=offer.response_token, accept=False)
    offer.refresh_from_db()
    assert offer.status == Status.DECLINED
    assert offer.response_token is None
    promoted = DialogueApplication.objects.get(pseudonym=first_waiting)
    assert promoted.status == Status.SELECTED
    assert promoted.response_token
    email = OutboundEmail.objects.get(template="outreach/dialogue_selected")
    assert email.to == promoted.email
    assert "next on the wait list" in email.body_text


def test_lapsed_offers_free_their_seats_once(session):
    record = _drawn(session, 3)
    waiting = record["results"]["natomas/community"]["waitlist"][0]
    later = timezone.now() + timedelta(days=8)
    assert services.dialogue_offers_lapse(now=later) == 2
    assert services.dialogue_offers_lapse(now=later) == 0  # a second sweep finds nothing to do
    assert DialogueApplication.objects.filter(status=Status.LAPSED).count() == 2
    promoted = DialogueApplication.objects.get(pseudonym=waiting)
    assert promoted.status == Status.SELECTED
    assert promoted.response_deadline > later
    assert AuditEntry.objects.filter(action="outreach.dialogue_application.lapse").count() == 2
    assert AuditEntry.objects.filter(action="outreach.dialogue_application.promote").count() == 1
    # Once the session has begun nobody is promoted any more.
    assert services.dialogue_offers_lapse(now=session.starts_at + timedelta(hours=1)) == 1
    assert not DialogueApplication.objects.filter(status__in=[Status.SELECTED, Status.WAITLISTED]).exists()


def test_an_answer_after_the_deadline_lapses_the_offer(session):
    _drawn(session, 3)
    offer = DialogueApplication.objects.filter(status=Status.SELECTED).first()
    result = services.dialogue_application_respond(
        token=offer.response_token, accept=True, now=offer.response_deadline + timedelta(seconds=1)
    )
    assert result.status == Status.LAPSED
    assert DialogueApplication.objects.filter(status=Status.SELECTED).count() == 2  # the seat went on


def test_export_lists_the_selected_and_wait_listed_participants(session):
    _drawn(session, 3)
    rows = selectors.participant_list_for_export(series=session.series)
    assert len(rows) == 3
    assert {r["status"] for r in rows} == {"Selected", "On the wait list"}


def test_verify_command_from_the_database_and_from_a_file(session, tmp_path):
    record = _drawn(session, 4)
    out = StringIO()
    call_command("dialogue_draw_verify", session.series.slug, stdout=out)
    assert "MATCH" in out.getvalue()
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(record))
    out = StringIO()
    call_command("dialogue_draw_verify", "--file", str(path), stdout=out)
    assert "MATCH: the published draw is reproduced exactly." in out.getvalue()
    record["pool"]["natomas/community"].append("INTRUDER01")
    path.write_text(json.dumps(record))
    out = StringIO()
    with pytest.raises(CommandError, match="MISMATCH"):
        call_command("dialogue_draw_verify", "--file", str(path), stdout=out)
    assert "Pool hash:         DOES NOT MATCH" in out.getvalue()


def test_verify_command_notices_a_database_that_differs_from_the_record(session):
    _drawn(session, 3)
    DialogueApplicationFactory(session=session, status=Status.WAITLISTED, waitlist_rank=9)
    with pytest.raises(CommandError, match="MISMATCH"):
        call_command("dialogue_draw_verify", session.series.slug, stdout=StringIO())
    with pytest.raises(CommandError, match="not been drawn"):
        call_command("dialogue_draw_verify", DialogueSeriesFactory().slug, stdout=StringIO())
