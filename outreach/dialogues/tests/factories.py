"""Dialogue series with a session and seats per district, and applications, for tests."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jcr.core.tests.factories import AreaFactory
from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    ParticipantGroup,
    Recommendation,
    Subcommittee,
)


class DialogueSeriesFactory(DjangoModelFactory):
    """A published series whose application window is open now."""

    class Meta:
        model = DialogueSeries

    slug = factory.Sequence(lambda n: f"series-{n}")
    title = factory.Sequence(lambda n: f"Neighborhood dialogues {n}")
    title_es = factory.LazyAttribute(lambda o: f"{o.title} (es)")
    description = "Facilitated dialogues in each police district."
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    status = DialogueSeries.Status.PUBLISHED


class DialogueSessionFactory(DjangoModelFactory):
    class Meta:
        model = DialogueSession

    series = factory.SubFactory(DialogueSeriesFactory)
    district = factory.SubFactory(AreaFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    location = "Community Center, 1 Main St"


class DialogueSeatsFactory(DjangoModelFactory):
    class Meta:
        model = DialogueSeats

    session = factory.SubFactory(DialogueSessionFactory)
    group = ParticipantGroup.COMMUNITY
    seats = 2


class DialogueApplicationFactory(DjangoModelFactory):
    """An eligible application in the series and district of `session` (made if not given)."""

    class Meta:
        model = DialogueApplication

    class Params:
        session = factory.SubFactory(DialogueSessionFactory)

    series = factory.LazyAttribute(lambda o: o.session.series)
    district = factory.LazyAttribute(lambda o: o.session.district)
    group = ParticipantGroup.COMMUNITY
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    address = "100 Main St"
    date_of_birth = None
    language = "en"
    commits_to_learning = True
    commits_to_research = True
    commits_to_problem_solving = True
    status = DialogueApplication.Status.ELIGIBLE


class SubcommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Subcommittee

    series = factory.SubFactory(DialogueSeriesFactory)
    title = factory.Sequence(lambda n: f"Subcommittee {n}")


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    subcommittee = factory.SubFactory(SubcommitteeFactory)
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    summary = "Publish use-of-force data every quarter."
    submitted_on = factory.LazyFunction(lambda: date(2026, 3, 1))
    status = Recommendation.Status.UNDER_REVIEW
    progress_percent = 40
