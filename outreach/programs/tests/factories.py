"""Factories of topics, programs and presentation requests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.programs.models import Audience, Language, PresentationRequest, Program, Topic


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
