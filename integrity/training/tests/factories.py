"""Courses with MCLE credit, sessions, registrations and attendance, for tests."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from pypdf import PdfWriter

from integrity.training.models import (
    Attendance,
    Course,
    CourseCredit,
    ExternalCredit,
    MCLEProfile,
    SessionRegistration,
    TrainingSession,
)
from jcr.accounts.tests.factories import StaffFactory


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Trial advocacy {n}")
    provider = "Office of the District Attorney"


class CourseCreditFactory(DjangoModelFactory):
    class Meta:
        model = CourseCredit

    course = factory.SubFactory(CourseFactory)
    category = "general"
    hours = Decimal("1.5")


class TrainingSessionFactory(DjangoModelFactory):
    """A participatory session two weeks from now, in a training room."""

    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    presenter = "Chief Deputy R. Alvarez"
    location = "Training Room B, Hall of Justice"
    capacity = 20


class SessionRegistrationFactory(DjangoModelFactory):
    class Meta:
        model = SessionRegistration

    session = factory.SubFactory(TrainingSessionFactory)
    user = factory.SubFactory(StaffFactory)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(
        TrainingSessionFactory, starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    )
    user = factory.SubFactory(StaffFactory)


def credit_session(*, hours: dict[str, str], days_ago: int = 30, self_study: bool = False) -> TrainingSession:
    """A past session of a course carrying `hours` (category -> hours)."""
    course = CourseFactory()
    for category, value in hours.items():
        CourseCreditFactory(course=course, category=category, hours=Decimal(value))
    return TrainingSessionFactory(
        course=course,
        starts_at=timezone.now() - timedelta(days=days_ago),
        credit_format=TrainingSession.Format.SELF_STUDY if self_study else TrainingSession.Format.PARTICIPATORY,
    )


def attorney(*, group: int | None = 3, bar_number: str = "123456", **fields):
    """A member of staff with the State Bar group `group` on record (None: not recorded yet)."""
    user = StaffFactory(**fields)
    MCLEProfile.objects.create(user=user, status=str(group) if group else "", bar_number=bar_number if group else "")
    return user


def non_attorney(**fields):
    """A member of staff recorded as not an attorney: no MCLE obligation."""
    user = StaffFactory(**fields)
    MCLEProfile.objects.create(user=user, status=MCLEProfile.Status.NOT_ATTORNEY)
    return user


# Hours meeting every subfield of rule 2.72 as amended (25 in all).
COMPLIANT_HOURS = {
    "ethics": "4",
    "competence": "1",
    "substance_mh": "1",
    "bias": "1",
    "implicit_bias": "1",
    "technology": "1",
    "civility": "1",
    "general": "15",
}


def pdf_bytes() -> bytes:
    """A small, well-formed one-page PDF (written by pypdf)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def external_credit(*, user=None, with_certificate: bool = False, **fields) -> ExternalCredit:
    """An hour of ethics from another provider, last month (with a PDF certificate if asked)."""
    values = {
        "user": user or attorney(),
        "provider": "County Bar Association",
        "course_title": "Ethics for prosecutors",
        "earned_on": timezone.localdate() - timedelta(days=30),
        "minutes": 60,
        "category": "ethics",
        "hours": Decimal("1"),
    } | fields
    credit = ExternalCredit(**values)
    if with_certificate:
        credit.certificate.save("certificate.pdf", ContentFile(pdf_bytes()), save=False)
        credit.certificate_type = "application/pdf"
    credit.save()
    return credit
