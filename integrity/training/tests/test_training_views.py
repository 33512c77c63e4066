"""Staff pages of training and MCLE: who may open what, the actions they post, and query
counts that stay constant in the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.training.models import Attendance, Course, MCLEProfile, SessionRegistration, TrainingSession
from integrity.training.tests.factories import (
    COMPLIANT_HOURS,
    AttendanceFactory,
    TrainingSessionFactory,
    attorney,
    credit_session,
    non_attorney,
)
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

JTI = {"jti_staff", "jti_chief"}
STAFF = {
    "bureau_chief",
    "outreach_staff",
    "outreach_supervisor",
    "community_prosecutor",
    "prosecutor_other_area",
    "cpu_supervisor",
    "gr_analyst",
    "gr_supervisor",
    "administrator",
} | JTI
COMPLETE = COMPLIANT_HOURS


def _url(name, **kwargs):
    return reverse(f"integrity:{name}", kwargs=kwargs)


def _expect(persona, allowed):
    if persona == "resident":
        return 302
    if persona == "resident_user":
        return 403
    return 200 if persona in allowed else 403


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("training_sessions", STAFF), ("training_my_transcript", STAFF), ("training_compliance", JTI)],
)
def test_training_pages_persona_matrix(personas, client_for, name, allowed):
    TrainingSessionFactory()
    for persona, user in personas.items():
        response = client_for(user).get(_url(name))
        assert response.status_code == _expect(persona, allowed), persona
        if persona == "resident":
            assert "/login/" in response["Location"]


@pytest.mark.parametrize("kind", ["transcript", "certificate"])
def test_training_others_records_only_for_jti(personas, client_for, kind):
    attendance = AttendanceFactory(user=StaffFactory(full_name="Dana Ortiz"))
    url = (
        _url("training_transcript", public_id=attendance.user.public_id)
        if kind == "transcript"
        else _url("training_certificate", public_id=attendance.public_id)
    )
    for persona, user in personas.items():
        response = client_for(user).get(url)
        expected = {"resident": 302, "resident_user": 403}.get(persona, 200 if persona in JTI else 404)
        assert response.status_code == expected, persona
        if expected == 200:
            assert "Dana Ortiz" in response.content.decode()


def test_training_own_certificate_and_transcript(client_for, outreach_staff):
    MCLEProfile.objects.create(user=outreach_staff, status="3", bar_number="123456")
    session = credit_session(hours={"ethics": "2", "implicit_bias": "1"})
    attendance = Attendance.objects.create(session=session, user=outreach_staff)
    client = client_for(outreach_staff)
    page = client.get(_url("training_certificate", public_id=attendance.public_id)).content.decode()
    assert "Certificate of attendance" in page
    assert "training-certificate.css" in page
    assert session.course.title in page
    assert "style=" not in page
    transcript = client.get(_url("training_my_transcript")).content.decode()
    assert session.course.title in transcript
    assert "Short of hours" in transcript
    assert "Rules of the State Bar, rule 2.72" in transcript


def test_training_transcript_of_a_non_attorney_and_of_an_unrecorded_group(client_for, outreach_staff):
    """Staff recorded as not attorneys have no MCLE obligation; an attorney without a recorded
    group is asked for it: nothing is guessed from the name ("Jr." decides nothing)."""
    profile = MCLEProfile.objects.create(user=outreach_staff, status="not_attorney")
    client = client_for(outreach_staff)
    page = client.get(_url("training_my_transcript")).content.decode()
    assert "No MCLE obligation" in page
    assert "Short of hours" not in page
    profile.status = ""
    profile.save()
    outreach_staff.full_name = "Aaron Smith Jr."
    outreach_staff.save()
    page = client.get(_url("training_my_transcript")).content.decode()
    assert "Record the State Bar compliance group" in page
    assert "Group 1" not in page


def test_training_register_and_unregister_through_the_pages(client_for, gr_analyst):
    session = TrainingSessionFactory()
    client = client_for(gr_analyst)
    assert client.get(_url("training_session_register", public_id=session.public_id)).status_code == 405
    response = client.post(_url("training_session_register", public_id=session.public_id))
    assert response.status_code == 302
    assert SessionRegistration.objects.get(session=session, user=gr_analyst).status == "registered"
    assert "Registered" in client.get(_url("training_sessions")).content.decode()
    client.post(_url("training_session_unregister", public_id=session.public_id))
    assert SessionRegistration.objects.get(session=session, user=gr_analyst).status == "cancelled"


def test_training_register_when_full_shows_an_error(client_for, gr_analyst):
    session = TrainingSessionFactory(capacity=1)
    SessionRegistration.objects.create(session=session, user=StaffFactory())
    response = client_for(gr_analyst).post(_url("training_session_register", public_id=session.public_id), follow=True)
    assert "This session is full." in response.content.decode()
    assert not SessionRegistration.objects.filter(user=gr_analyst).exists()


def test_training_attendance_recorded_by_jti_only(client_for, jti_staff, outreach_staff):
    session = credit_session(hours={"ethics": "1"}, days_ago=1)
    deputy = StaffFactory(full_name="Ira Moss")
    SessionRegistration.objects.create(session=session, user=deputy)
    url = _url("training_session_attendance", public_id=session.public_id)
    assert client_for(outreach_staff).post(url, {"attendees": [deputy.pk]}).status_code == 403
    assert not Attendance.objects.exists()
    client = client_for(jti_staff)
    assert "Ira Moss" in client.get(url).content.decode()
    assert client.post(url, {"attendees": [deputy.pk]}).status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.user, attendance.recorded_by) == (deputy, jti_staff)
    # Someone not registered cannot be slipped in.
    assert client.post(url, {"attendees": [outreach_staff.pk]}).status_code == 200
    assert Attendance.objects.count() == 1


def test_training_course_and_session_created_by_jti(client_for, jti_staff, outreach_staff):
    data = {"title": "Implicit bias in charging", "description": "", "provider": "DA", "hours_implicit_bias": "1.5"}
    assert client_for(outreach_staff).post(_url("training_course_create"), data).status_code == 403
    client = client_for(jti_staff)
    assert client.post(_url("training_course_create"), data).status_code == 302
    course = Course.objects.get()
    assert [(c.category, str(c.hours)) for c in course.credits.all()] == [("implicit_bias", "1.50")]
    starts = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    session_data = {
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=1, minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "presenter": "J. Wu",
        "location": "",
        "online_url": "",
        "capacity": "10",
        "credit_format": "participatory",
    }
    url = _url("training_session_create", public_id=course.public_id)
    response = client.post(url, session_data)
    assert response.status_code == 200
    assert "Give a place or an online link." in response.content.decode()
    session_data["online_url"] = "https://meet.example.org/bias"
    assert client.post(url, session_data).status_code == 302
    assert TrainingSession.objects.get().course == course


def test_training_compliance_filters(client_for, jti_chief):
    compliant = attorney(group=3, full_name="Nora Zane")
    short = attorney(group=3, full_name="Olga Pryce")
    non_attorney(full_name="Nils Zimmer")
    attorney(group=None, full_name="Owen Quill Jr.")
    Attendance.objects.create(session=credit_session(hours=COMPLETE), user=compliant)
    client = client_for(jti_chief)
    short_page = client.get(_url("training_compliance"), {"group": "3", "state": "short"}).content.decode()
    assert "Olga Pryce" in short_page
    assert "Nora Zane" not in short_page
    assert "Nils Zimmer" not in client.get(_url("training_compliance")).content.decode()
    everyone = client.get(_url("training_compliance")).content.decode()
    assert "Owen Quill Jr." in everyone
    assert "Record the State Bar group" in everyone
    assert "Rules of the State Bar, rule 2.72" in everyone
    assert "not yet verified" in everyone
    ok_page = client.get(_url("training_compliance"), {"state": "compliant"}).content.decode()
    assert "Nora Zane" in ok_page
    assert short.full_name not in ok_page
    group1 = client.get(_url("training_compliance"), {"group": "1"}).content.decode()
    assert "Nora Zane" not in group1


def _grow(count):
    for i in range(count):
        deputy = StaffFactory(full_name=f"Deputy Number{i}")
        Attendance.objects.create(session=credit_session(hours={"ethics": "1", "general": "2"}), user=deputy)


def test_training_compliance_queries_constant_in_deputies(client_for, jti_staff):
    client = client_for(jti_staff)
    _grow(2)
    with assert_max_queries(12) as few:
        assert client.get(_url("training_compliance")).status_code == 200
    _grow(12)
    with assert_max_queries(len(few)):
        assert client.get(_url("training_compliance")).status_code == 200


def test_training_list_and_transcript_queries_constant(client_for, jti_staff):
    client = client_for(jti_staff)

    def grow(n):
        for _ in range(n):
            TrainingSessionFactory()
            Attendance.objects.create(session=credit_session(hours={"ethics": "1", "bias": "1"}), user=jti_staff)

    grow(2)
    for name in ("training_sessions", "training_my_transcript"):
        with assert_max_queries(12) as few:
            assert client.get(_url(name)).status_code == 200
        grow(8)
        with assert_max_queries(len(few)):
            assert client.get(_url(name)).status_code == 200


def test_training_attendance_removed_by_jti_only(client_for, jti_staff, outreach_staff):
    attendance = AttendanceFactory()
    url = _url("training_attendance_remove", public_id=attendance.public_id)
    assert client_for(outreach_staff).post(url).status_code == 403
    client = client_for(jti_staff)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action="integrity.training.attendance_remove", actor_id=jti_staff.pk).exists()


def test_training_jti_reading_a_transcript_is_logged(client_for, jti_chief, outreach_staff):
    client_for(outreach_staff).get(_url("training_my_transcript"))
    assert not AuditEntry.objects.filter(action="integrity.training.transcript_view").exists()
    client_for(jti_chief).get(_url("training_transcript", public_id=outreach_staff.public_id))
    entry = AuditEntry.objects.get(action="integrity.training.transcript_view")
    assert (entry.actor_id, entry.object_id) == (jti_chief.pk, str(outreach_staff.public_id))


def test_training_recent_sessions_listed_for_jti_to_record_attendance(client_for, jti_staff, outreach_staff):
    session = credit_session(hours={"ethics": "1"}, days_ago=3)
    url = _url("training_session_attendance", public_id=session.public_id)
    assert url in client_for(jti_staff).get(_url("training_sessions")).content.decode()
    assert url not in client_for(outreach_staff).get(_url("training_sessions")).content.decode()
