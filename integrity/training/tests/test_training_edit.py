"""Editing courses and sessions, and cancelling a session: refusals, the e-mails to those
registered, audit rows, and the pages' permissions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from integrity.training import services
from integrity.training.models import CourseCredit, SessionRegistration, TrainingSession
from integrity.training.tests.factories import (
    AttendanceFactory,
    CourseCreditFactory,
    CourseFactory,
    SessionRegistrationFactory,
    TrainingSessionFactory,
)
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db


def _session_fields(session: TrainingSession, **changes) -> dict:
    fields = {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "presenter": session.presenter,
        "location": session.location,
        "online_url": session.online_url,
        "capacity": session.capacity,
        "credit_format": session.credit_format,
    }
    return {**fields, **changes}


def _emails(template: str):
    return OutboundEmail.objects.filter(template=f"integrity/{template}")


# --- Courses -------------------------------------------------------------------------------


def test_course_update_changes_credits_and_audits(jti_staff):
    course = CourseFactory(title="Old title")
    CourseCreditFactory(course=course, category="general", hours=Decimal("2"))
    CourseCreditFactory(course=course, category="ethics", hours=Decimal("1"))
    services.course_update(
        course=course,
        title="New title",
        description="",
        provider=course.provider,
        is_active=False,
        credits={"general": None, "ethics": Decimal("1.5"), "bias": Decimal("1")},
        actor=jti_staff,
    )
    course.refresh_from_db()
    assert course.title == "New title"
    assert not course.is_active
    assert dict(CourseCredit.objects.filter(course=course).values_list("category", "hours")) == {
        "ethics": Decimal("1.50"),
        "bias": Decimal("1.00"),
    }
    entry = AuditEntry.objects.get(action="integrity.training.course_change")
    assert entry.before["credits"] == {"ethics": "1.00", "general": "2.00"}
    assert entry.after["credits"] == {"bias": "1.00", "ethics": "1.50"}
    assert entry.before["title"] == "Old title"
    assert entry.after["title"] == "New title"


def test_course_update_refused_without_permission(outreach_staff):
    course = CourseFactory(title="Kept")
    with pytest.raises(PermissionDenied):
        services.course_update(
            course=course,
            title="Changed",
            description="",
            provider="",
            is_active=True,
            credits={},
            actor=outreach_staff,
        )
    course.refresh_from_db()
    assert course.title == "Kept"
    assert not AuditEntry.objects.filter(action="integrity.training.course_change").exists()


def test_course_edit_page(client_for, jti_staff, outreach_staff):
    course = CourseFactory(title="Evidence basics")
    CourseCreditFactory(course=course, category="general", hours=Decimal("3"))
    url = reverse("integrity:training_course_edit", kwargs={"public_id": course.public_id})
    assert client_for(outreach_staff).get(url).status_code == 403
    page = client_for(jti_staff).get(url)
    assert page.status_code == 200
    assert 'value="3.00"' in page.content.decode()  # the credits are shown to edit
    response = client_for(jti_staff).post(
        url, {"title": "Evidence basics II", "provider": "DA", "is_active": "on", "hours_ethics": "2"}
    )
    assert response.status_code == 302
    assert dict(course.credits.values_list("category", "hours")) == {"ethics": Decimal("2.00")}


# --- Sessions ------------------------------------------------------------------------------


def test_session_update_notifies_registrants_of_a_new_time_and_audits(jti_staff):
    session = TrainingSessionFactory()
    spanish = StaffFactory(preferred_language="es")
    SessionRegistrationFactory(session=session, user=spanish)
    SessionRegistrationFactory(session=session)
    gone = SessionRegistrationFactory(session=session, status=SessionRegistration.Status.CANCELLED)
    later = session.starts_at + timedelta(days=1)
    services.session_update(
        session=session,
        actor=jti_staff,
        **_session_fields(session, starts_at=later, ends_at=later + timedelta(hours=2)),
    )
    session.refresh_from_db()
    assert session.starts_at == later
    emails = _emails("training_session_changed")
    assert emails.count() == 2
    assert not emails.filter(to=gone.user.email).exists()
    assert emails.get(to=spanish.email).language == "es"
    entry = AuditEntry.objects.get(action="integrity.training.session_change")
    assert set(entry.before) == {"starts_at", "ends_at"}
    assert entry.after["notified"] == 2


def test_session_update_of_presenter_only_sends_nothing(jti_staff):
    session = TrainingSessionFactory()
    SessionRegistrationFactory(session=session)
    services.session_update(session=session, actor=jti_staff, **_session_fields(session, presenter="Judge M. Alvarez"))
    assert not _emails("training_session_changed").exists()
    assert AuditEntry.objects.get(action="integrity.training.session_change").after["presenter"] == "Judge M. Alvarez"


def test_session_update_refusals(jti_staff, outreach_staff):
    session = TrainingSessionFactory(capacity=5)
    for _i in range(3):
        SessionRegistrationFactory(session=session)
    with pytest.raises(PermissionDenied):
        services.session_update(session=session, actor=outreach_staff, **_session_fields(session, capacity=10))
    with pytest.raises(ValidationError, match="capacity cannot be lower"):
        services.session_update(session=session, actor=jti_staff, **_session_fields(session, capacity=2))
    with pytest.raises(ValidationError, match="place or an online link"):
        services.session_update(session=session, actor=jti_staff, **_session_fields(session, location=""))
    session.refresh_from_db()
    assert session.capacity == 5
    assert session.location
    assert not AuditEntry.objects.filter(action="integrity.training.session_change").exists()


def test_session_update_after_attendance_keeps_date_and_format(jti_staff):
    attendance = AttendanceFactory()
    session = attendance.session
    with pytest.raises(ValidationError, match="Attendance has already been recorded"):
        services.session_update(
            session=session, actor=jti_staff, **_session_fields(session, credit_format="self_study")
        )
    # The presenter may still be corrected.
    services.session_update(session=session, actor=jti_staff, **_session_fields(session, presenter="Corrected"))
    session.refresh_from_db()
    assert session.credit_format == "participatory"
    assert session.presenter == "Corrected"


def test_session_edit_page(client_for, jti_staff, outreach_staff):
    session = TrainingSessionFactory()
    url = reverse("integrity:training_session_edit", kwargs={"public_id": session.public_id})
    assert client_for(outreach_staff).get(url).status_code == 403
    assert client_for(jti_staff).get(url).status_code == 200
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "presenter": "Owen Brooks",
        "location": "",
        "online_url": "https://meet.example.gov/x",
        "capacity": "12",
        "credit_format": "participatory",
    }
    assert client_for(jti_staff).post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.presenter, session.location, session.capacity) == ("Owen Brooks", "", 12)


# --- Cancelling ----------------------------------------------------------------------------


def test_session_cancel_emails_registrants_and_audits(jti_staff, django_capture_on_commit_callbacks):
    session = TrainingSessionFactory()
    registered = [SessionRegistrationFactory(session=session).user for _i in range(2)]
    gone = SessionRegistrationFactory(session=session, status=SessionRegistration.Status.CANCELLED).user
    with django_capture_on_commit_callbacks():
        services.session_cancel(session=session, actor=jti_staff, reason="The presenter is ill.")
    session.refresh_from_db()
    assert session.is_cancelled
    emails = _emails("training_session_cancelled")
    assert set(emails.values_list("to", flat=True)) == {u.email for u in registered}
    assert not emails.filter(to=gone.email).exists()
    assert all("The presenter is ill." in e.body_text for e in emails)
    assert all(e.related_type == "integrity.trainingsession" for e in emails)
    entry = AuditEntry.objects.get(action="integrity.training.session_cancel")
    assert entry.after == {"is_cancelled": True, "reason": "The presenter is ill.", "notified": 2}
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=session, actor=jti_staff)
    assert emails.count() == 2


def test_session_cancel_refused_once_attendance_is_recorded(jti_staff):
    attendance = AttendanceFactory()
    SessionRegistrationFactory(session=attendance.session)
    with pytest.raises(ValidationError, match="1 attendance is recorded"):
        services.session_cancel(session=attendance.session, actor=jti_staff)
    attendance.session.refresh_from_db()
    assert not attendance.session.is_cancelled
    assert not _emails("training_session_cancelled").exists()
    assert not AuditEntry.objects.filter(action="integrity.training.session_cancel").exists()


def test_session_cancel_refused_without_permission(outreach_staff):
    session = TrainingSessionFactory()
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, actor=outreach_staff)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_session_cancel_page(client_for, jti_chief, outreach_staff):
    session = TrainingSessionFactory()
    SessionRegistrationFactory(session=session)
    url = reverse("integrity:training_session_cancel", kwargs={"public_id": session.public_id})
    assert client_for(outreach_staff).post(url).status_code == 403
    session.refresh_from_db()
    assert not session.is_cancelled
    page = client_for(jti_chief).get(url).content.decode()
    assert "1 person is registered" in page
    assert client_for(jti_chief).post(url, {"reason": ""}).status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    assert _emails("training_session_cancelled").count() == 1
    # A cancelled session is no longer offered for registration nor editable.
    listing = client_for(jti_chief).get(reverse("integrity:training_sessions")).content.decode()
    assert str(session.public_id) not in listing
    edit = client_for(jti_chief).get(
        reverse("integrity:training_session_edit", kwargs={"public_id": session.public_id})
    )
    assert edit.status_code == 302


def test_session_cancel_page_shows_the_attendance_error(client_for, jti_chief):
    attendance = AttendanceFactory()
    url = reverse("integrity:training_session_cancel", kwargs={"public_id": attendance.session.public_id})
    page = client_for(jti_chief).get(url).content.decode()
    assert "cannot be cancelled" in page
    response = client_for(jti_chief).post(url, {"reason": ""})
    assert response.status_code == 200
    assert "cannot be cancelled" in response.content.decode()
    attendance.session.refresh_from_db()
    assert not attendance.session.is_cancelled


def test_inactive_course_listed_for_editing_only_to_jti(client_for, jti_staff, outreach_staff):
    course = CourseFactory(title="Retired course", is_active=False)
    edit = reverse("integrity:training_course_edit", kwargs={"public_id": course.public_id})
    page = client_for(jti_staff).get(reverse("integrity:training_sessions")).content.decode()
    assert edit in page
    other = client_for(outreach_staff).get(reverse("integrity:training_sessions")).content.decode()
    assert "Retired course" not in other
    assert client_for(jti_staff).post(edit, {"title": "Retired course", "is_active": "on"}).status_code == 302
    course.refresh_from_db()
    assert course.is_active


def test_session_edit_page_after_attendance_keeps_times_entered_in_local_time(client_for, jti_staff):
    """The form shows local times to the minute: sending them back unchanged is no change of
    date (allowed after attendance) and tells nobody."""
    attendance = AttendanceFactory()
    session = attendance.session
    SessionRegistrationFactory(session=session)
    stored = session.starts_at
    url = reverse("integrity:training_session_edit", kwargs={"public_id": session.public_id})
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "presenter": "Corrected presenter",
        "location": session.location,
        "online_url": "",
        "capacity": str(session.capacity),
        "credit_format": session.credit_format,
    }
    assert client_for(jti_staff).post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.presenter == "Corrected presenter"
    assert session.starts_at == stored
    assert not _emails("training_session_changed").exists()
    assert set(AuditEntry.objects.get(action="integrity.training.session_change").before) == {"presenter"}
