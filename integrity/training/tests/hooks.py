"""Quality-gate hooks of training and MCLE (collected by integrity/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample

# Staff personas outside the JTI: they may open their own transcript and certificates only.
NOT_JTI = frozenset(
    {
        "bureau_chief",
        "outreach_staff",
        "outreach_supervisor",
        "community_prosecutor",
        "prosecutor_other_area",
        "cpu_supervisor",
        "gr_analyst",
        "gr_supervisor",
        "administrator",
    }
)


def _course_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import CourseFactory

    return Sample(kwargs={"public_id": CourseFactory().public_id})


def _session_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import credit_session

    return Sample(kwargs={"public_id": credit_session(hours={"ethics": "1"}, days_ago=-7).public_id})


def _transcript_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from jcr.accounts.tests.factories import StaffFactory

    return Sample(kwargs={"public_id": StaffFactory(full_name="Dana Ortiz").public_id}, outside=NOT_JTI)


def _certificate_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import AttendanceFactory

    return Sample(kwargs={"public_id": AttendanceFactory().public_id}, outside=NOT_JTI)


def _attendance_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import AttendanceFactory

    return Sample(kwargs={"public_id": AttendanceFactory().public_id})


def _mcle_person_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import attorney

    return Sample(kwargs={"public_id": attorney(full_name="Dana Ortiz").public_id})


def _mcle_certificate_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from integrity.training.tests.factories import external_credit

    return Sample(kwargs={"public_id": external_credit(with_certificate=True).public_id}, outside=NOT_JTI)


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "integrity:training_mcle_person": _mcle_person_sample,
        "integrity:training_mcle_certificate": _mcle_certificate_sample,
        "integrity:training_session_create": _course_sample,
        "integrity:training_course_edit": _course_sample,
        "integrity:training_session_edit": _session_sample,
        "integrity:training_session_cancel": _session_sample,
        "integrity:training_session_register": _session_sample,
        "integrity:training_session_unregister": _session_sample,
        "integrity:training_session_attendance": _session_sample,
        "integrity:training_transcript": _transcript_sample,
        "integrity:training_certificate": _certificate_sample,
        "integrity:training_attendance_remove": _attendance_sample,
    }


def admin_rows_ensure() -> None:
    """One row of each training model for the admin's object pages."""
    from integrity.training.models import Attendance, ExternalCredit, MCLEProfile, MCLEReminder, SessionRegistration
    from integrity.training.tests.factories import (
        AttendanceFactory,
        CourseCreditFactory,
        SessionRegistrationFactory,
        attorney,
        external_credit,
    )
    from jcr.accounts.tests.factories import StaffFactory

    CourseCreditFactory()
    if not SessionRegistration.objects.exists():
        SessionRegistrationFactory()
    if not Attendance.objects.exists():
        AttendanceFactory()
    if not MCLEReminder.objects.exists():
        from datetime import date

        MCLEReminder.objects.create(user=StaffFactory(), period_end=date(2027, 1, 31), days_before=90)
    if not MCLEProfile.objects.exists():
        attorney(group=3)
    if not ExternalCredit.objects.exists():
        external_credit()


def seed_private_markers(*, personas, marker) -> list[str]:
    """A deputy's name (their transcript is private) and a session's place and link."""
    from integrity.training.tests.factories import AttendanceFactory, credit_session
    from jcr.accounts.tests.factories import StaffFactory

    name, place, link = marker("training-deputy"), marker("training-place"), marker("training-link")
    session = credit_session(hours={"ethics": "2"})
    session.location = place
    session.online_url = f"https://meet.example.org/{link}"
    session.save()
    AttendanceFactory(session=session, user=StaffFactory(full_name=name))
    return [name, place, link]
