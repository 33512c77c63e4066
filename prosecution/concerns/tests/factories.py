"""Factories of concerns and their categories."""

import factory
from factory.django import DjangoModelFactory

from prosecution.concerns.models import Concern, ConcernPhoto, ConcernUpdate
from prosecution.concerns.models_categories import Category, Question


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test-category-{n}")
    name = factory.Sequence(lambda n: f"Test category {n}")
    name_es = factory.LazyAttribute(lambda o: f"{o.name} (es)")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    prompt = "How many?"
    prompt_es = "¿Cuántos?"


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    category = factory.SubFactory(CategoryFactory)
    is_sensitive = factory.LazyAttribute(lambda o: o.category.is_sensitive)
    description = factory.Faker("sentence", nb_words=10)
    address = factory.Faker("street_address")
    latitude = 38.5766
    longitude = -121.4944
    public_latitude = 38.577
    public_longitude = -121.494


class ConcernPhotoFactory(DjangoModelFactory):
    class Meta:
        model = ConcernPhoto

    concern = factory.SubFactory(ConcernFactory)
    image = factory.Sequence(lambda n: f"concerns/test/{n:032x}.jpg")
    width = 800
    height = 600


class ConcernUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ConcernUpdate

    concern = factory.SubFactory(ConcernFactory)
    kind = ConcernUpdate.Kind.INTERNAL_NOTE
    text = "A note"


# --- Partners, referrals, projects, follow-ups
