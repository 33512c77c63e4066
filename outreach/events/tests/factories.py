"""Factories of events, registrations and event reminders."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.events.models import Event, EventReminder, Registration


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
