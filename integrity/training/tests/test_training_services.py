"""Services of training and MCLE: registration, attendance, courses, sessions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from integrity.training import mcle, services
from integrity.training.models import (
    Attendance,
    ComplianceGroup,
    Course,
    SessionRegistration,
    TrainingSession,
)
from integrity.training.tests.factories import (
    AttendanceFactory,
    TrainingSessionFactory,
    credit_session,
)
from jcr.accounts.tests.factories import StaffFactory, UserFactory
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_training_register_records_and_audits():
    session, user = TrainingSessionFactory(), StaffFactory()
    registration = services.session_register(session=session, user=user)
    assert registration.status == SessionRegistration.Status.REGISTERED
    assert AuditEntry.objects.filter(action="integrity.training.register", actor_id=user.pk).count() == 1
    # Registering twice is harmless.
    assert services.session_register(session=session, user=user).pk == registration.pk
    assert SessionRegistration.objects.count() == 1


def test_training_register_refused_when_full_and_allowed_after_a_cancellation():
    session = TrainingSessionFactory(capacity=1)
    first, second = StaffFactory(), StaffFactory()
    services.session_register(session=session, user=first)
    with pytest.raises(ValidationError, match="full"):
        services.session_register(session=session, user=second)
    services.session_unregister(session=session, user=first)
    assert SessionRegistration.objects.get(user=first).status == SessionRegistration.Status.CANCELLED
    services.session_register(session=session, user=second)
    # The first person's cancelled row comes back when they register again, if a seat is free.
    with pytest.raises(ValidationError):
        services.session_register(session=session, user=first)


@pytest.mark.parametrize("change", [{"is_cancelled": True}, {"starts_at_delta": -1}])
def test_training_register_refused_for_cancelled_or_started_sessions(change):
    session = TrainingSessionFactory()
    if "is_cancelled" in change:
        session.is_cancelled = True
    else:
        session.starts_at = timezone.now() - timedelta(hours=1)
        session.ends_at = timezone.now() + timedelta(hours=1)
    session.save()
    with pytest.raises(ValidationError, match="closed"):
        services.session_register(session=session, user=StaffFactory())
    assert not SessionRegistration.objects.exists()


def test_training_attendance_record_is_idempotent_and_audited():
    session = credit_session(hours={"ethics": "2"})
    actor, a, b = StaffFactory(), StaffFactory(), StaffFactory()
    created = services.attendance_record(session=session, user_ids=[a.pk, b.pk], actor=actor)
    assert {x.user_id for x in created} == {a.pk, b.pk}
    assert services.attendance_record(session=session, user_ids=[a.pk], actor=actor) == []
    assert Attendance.objects.filter(session=session).count() == 2
    assert Attendance.objects.filter(recorded_by=actor).count() == 2
    assert AuditEntry.objects.filter(action="integrity.training.attendance_record").count() == 2


def test_training_attendance_refused_before_start_and_for_residents():
    future = TrainingSessionFactory()
    with pytest.raises(ValidationError, match="started"):
        services.attendance_record(session=future, user_ids=[StaffFactory().pk], actor=None)
    past = credit_session(hours={"general": "1"})
    with pytest.raises(ValidationError, match="staff"):
        services.attendance_record(session=past, user_ids=[UserFactory().pk], actor=None)
    assert not Attendance.objects.exists()


def test_training_attendance_remove_keeps_an_audit_trace():
    attendance = AttendanceFactory()
    services.attendance_remove(attendance=attendance, actor=None)
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(action="integrity.training.attendance_remove").exists()


@pytest.mark.parametrize(
    ("minutes", "allowed"),
    [(89, "1.25"), (60, "1.00"), (74, "1.00"), (14, "0")],
)
def test_training_credit_claimed_capped_by_the_session_length(minutes, allowed, jti_staff):
    """Rule 2.51(D): a credit hour is sixty minutes actually spent, in quarter hours; a course
    claiming 1.5 hours cannot be given in a session shorter than 90 minutes."""
    assert mcle.credit_hours_max(minutes) == Decimal(allowed)
    course = services.course_create(
        title="Brady and discovery", description="", provider="DA", credits={"ethics": Decimal("1.5")}, actor=None
    )
    starts = timezone.now() + timedelta(days=3)
    fields = {"starts_at": starts, "presenter": "X", "online_url": "https://meet.example.org/b"}
    with pytest.raises(ValidationError, match="session lasts only"):
        services.session_create(course=course, actor=None, ends_at=starts + timedelta(minutes=minutes), **fields)
    session = services.session_create(course=course, actor=None, ends_at=starts + timedelta(minutes=90), **fields)
    with pytest.raises(ValidationError, match="session lasts only"):
        services.session_update(session=session, actor=jti_staff, ends_at=starts + timedelta(minutes=minutes))


def test_training_course_and_session_create():
    course = services.course_create(
        title="Brady and discovery",
        description="",
        provider="DA",
        credits={"ethics": Decimal("1.5"), "general": None, "competence": Decimal("0")},
        actor=None,
    )
    assert {(c.category, c.hours) for c in course.credits.all()} == {("ethics", Decimal("1.50"))}
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError, match="place or an online link"):
        services.session_create(
            course=course, actor=None, starts_at=starts, ends_at=starts + timedelta(hours=1), presenter="X"
        )
    session = services.session_create(
        course=course,
        actor=None,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=34),  # 1.5 hours once rounded down to the quarter
        presenter="X",
        online_url="https://meet.example.org/brady",
    )
    assert TrainingSession.objects.get(pk=session.pk).course == course
    assert Course.objects.count() == 1
    assert AuditEntry.objects.filter(action="integrity.training.session_create").exists()


# --- Reminders -------------------------------------------------------------------------------


def test_training_reminders_seeded_groups_unverified():
    assert list(ComplianceGroup.objects.values_list("number", "deadline_verified")) == [
        (1, False),
        (2, False),
        (3, False),
    ]


def test_training_rule_2_72_as_amended_is_the_current_rule_set_with_its_citation():
    """Seeded as data: rule 2.72 as amended for compliance periods ending in 2025 and later."""
    from integrity.training.models import MCLERuleSet

    rule_set = MCLERuleSet.objects.get(effective_to__isnull=True)
    assert rule_set.version == 1
    assert rule_set.citation == "Rules of the State Bar, rule 2.72"
    assert rule_set.official_url.startswith("https://www.calbar.ca.gov/")
    assert rule_set.effective_from == date(2025, 1, 1)
    assert rule_set.verified_on is None  # until an administrator checks it against the official text
    assert (rule_set.hours_per_period, rule_set.period_years, rule_set.self_study_max) == (
        Decimal("25"),
        3,
        Decimal("12.5"),
    )
    assert {m.category: m.hours for m in rule_set.minimums.all()} == {
        "ethics": Decimal("4"),
        "competence": Decimal("2"),
        "substance_mh": Decimal("1"),
        "bias": Decimal("2"),
        "implicit_bias": Decimal("1"),
        "technology": Decimal("1"),
        "civility": Decimal("1"),
    }
    # The earlier rules are kept, ending the day before.
    assert MCLERuleSet.objects.filter(effective_to=date(2024, 12, 31)).exists()
