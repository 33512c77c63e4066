"""Demo courses, sessions, registrations and attendance for `manage.py seed_demo`
(idempotent: nothing is added once the demo courses exist). Ana Reyes is compliant in her
group's period; Sam Patel and Marcus Bell are short of hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from integrity.training.models import (
    Attendance,
    Course,
    CourseCredit,
    MCLEProfile,
    SessionRegistration,
    TrainingSession,
)
from jcr.accounts.models import User

COURSES = [
    # key, title, description, credits, format
    (
        "ethics",
        "Prosecutorial ethics and discretion",
        "The duties of a prosecutor under the Rules of Professional Conduct, rule 3.8.",
        {"ethics": "4"},
        "participatory",
    ),
    (
        "wellbeing",
        "Substance use and attorney well-being",
        "Recognising and preventing impairment.",
        {"competence": "1", "substance_mh": "1"},
        "participatory",
    ),
    (
        "bias",
        "Implicit bias in charging decisions",
        "How implicit bias enters charging and plea decisions, and what the office does about it.",
        {"bias": "1", "implicit_bias": "1"},
        "participatory",
    ),
    (
        "trial",
        "Trial advocacy intensive",
        "Openings, direct and cross-examination, closings.",
        {"general": "11", "civility": "1"},
        "participatory",
    ),
    (
        "search",
        "Search and seizure update (recorded)",
        "The year's Fourth Amendment decisions and digital evidence, recorded for self-study.",
        {"general": "5", "technology": "1"},
        "self_study",
    ),
]
TRAINING_ROOM = "Training Room B, Hall of Justice, 4th floor"
ATTENDANCE = {
    "prosecutor2@demo.jcr.example": ["ethics", "wellbeing", "bias", "trial", "search"],  # Ana Reyes: compliant
    "analyst@demo.jcr.example": ["ethics", "trial"],  # Sam Patel: short
    "prosecutor@demo.jcr.example": ["bias", "search"],  # Marcus Bell: short
}
# The State Bar's record of each demo attorney (made-up bar numbers); the outreach staff member
# is not an attorney and has no MCLE obligation.
MCLE_RECORDS = {
    "prosecutor2@demo.jcr.example": ("2", "300001"),
    "analyst@demo.jcr.example": ("3", "300002"),
    "prosecutor@demo.jcr.example": ("1", "300003"),
}


@transaction.atomic
def seed() -> None:
    if Course.objects.filter(title=COURSES[0][1]).exists():
        return
    # Sessions start at 9 in the morning, local time.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    recorder = User.objects.filter(email="jti@demo.jcr.example").first()
    past = {}
    upcoming = []
    for offset, (key, title, description, credits, credit_format) in enumerate(COURSES):
        course = Course.objects.create(title=title, description=description, provider="Office of the District Attorney")
        for category, hours in credits.items():
            CourseCredit.objects.create(course=course, category=category, hours=Decimal(hours))
        hours = sum(Decimal(h) for h in credits.values())
        starts = now - timedelta(days=300 - offset * 40)
        past[key] = TrainingSession.objects.create(
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=float(hours)),  # credit never exceeds the session's length
            presenter="Priya Shah, JTI Chief",
            location=TRAINING_ROOM if credit_format == "participatory" else "",
            online_url="" if credit_format == "participatory" else "https://learning.example.gov/search-update",
            capacity=40,
            credit_format=credit_format,
        )
        if key in ("bias", "trial"):
            starts = now + timedelta(days=10 if key == "bias" else 21)
            upcoming.append(
                TrainingSession.objects.create(
                    course=course,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2 if key == "bias" else 6),
                    presenter="Owen Brooks" if key == "bias" else "Judge (ret.) M. Alvarez",
                    location=TRAINING_ROOM if key == "bias" else "",
                    online_url="" if key == "bias" else "https://meet.example.gov/trial-advocacy",
                    capacity=25 if key == "bias" else 12,
                )
            )
    for email, (status, bar_number) in MCLE_RECORDS.items():
        user = User.objects.filter(email=email).first()
        if user is not None:
            MCLEProfile.objects.get_or_create(user=user, defaults={"status": status, "bar_number": bar_number})
    for email, keys in ATTENDANCE.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        for key in keys:
            SessionRegistration.objects.get_or_create(session=past[key], user=user)
            Attendance.objects.get_or_create(session=past[key], user=user, defaults={"recorded_by": recorder})
    for email in ("analyst@demo.jcr.example", "prosecutor@demo.jcr.example"):
        user = User.objects.filter(email=email).first()
        if user is not None:
            SessionRegistration.objects.get_or_create(session=upcoming[0], user=user)
