"""Factories of programs, presentation requests, events and registrations."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.models import (
    Audience,
    Event,
    EventReminder,
    Language,
    PresentationRequest,
    Program,
    Registration,
    Topic,
)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    name_es = factory.LazyAttribute(lambda o: f"{o.name} (es)")


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"program-{n}")
    title = factory.Sequence(lambda n: f"Program {n}")
    title_es = factory.LazyAttribute(lambda o: f"Programa {o.title}")
    summary = "What the program covers."
    summary_es = "Lo que cubre el programa."
    audience = Audience.ADULT
    language = Language.BILINGUAL

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


def _future_dates():
    today = timezone.localdate()
    return [(today + timedelta(days=d)).isoformat() for d in (10, 12)]


class PresentationRequestFactory(DjangoModelFactory):
    class Meta:
        model = PresentationRequest

    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    contact_name = "Pat Rivera"
    contact_email = factory.Sequence(lambda n: f"requester{n}@example.org")
    audience = PresentationRequest.RequestAudience.ADULT
    audience_size = 30
    program = factory.SubFactory(ProgramFactory)
    presentation_language = Language.ENGLISH
    preferred_dates = factory.LazyFunction(_future_dates)
    location = "100 Main St"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Town hall {n}")
    title_es = factory.LazyAttribute(lambda o: f"Reunión {o.title}")
    summary = "A town hall on community safety."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 50
    status = Event.Status.PUBLISHED
    venue_name = "Community Center"
    venue_address = "915 I St, Sacramento"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = Registration.Status.CONFIRMED


class EventReminderFactory(DjangoModelFactory):
    class Meta:
        model = EventReminder

    registration = factory.SubFactory(RegistrationFactory)
    kind = EventReminder.Kind.DAY
    due_at = factory.LazyAttribute(lambda o: o.registration.event.starts_at - timedelta(days=1))
