from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from prosecution.models import (
    Category,
    Concern,
    ConcernPhoto,
    ConcernUpdate,
    FollowUp,
    OwnerContact,
    Partner,
    PartnerContact,
    Project,
    ProjectAction,
    Question,
    Referral,
)


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


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Test partner {n}")
    kind = Partner.Kind.AGENCY


class PartnerContactFactory(DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example.org")
    is_primary = True


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    concern = factory.SubFactory(ConcernFactory)
    partner = factory.SubFactory(PartnerFactory)
    to_email = "referrals@partner.example.org"
    message = "Please inspect."


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Test project {n}")
    address = "1200 K St"
    latitude = 38.5766
    longitude = -121.4944
    public_latitude = 38.577
    public_longitude = -121.494


class ProjectActionFactory(DjangoModelFactory):
    class Meta:
        model = ProjectAction

    project = factory.SubFactory(ProjectFactory)
    description = "Walk the block with code enforcement"


class OwnerContactFactory(DjangoModelFactory):
    class Meta:
        model = OwnerContact

    project = factory.SubFactory(ProjectFactory)
    contacted_on = factory.LazyFunction(lambda: timezone.localdate())
    contact_name = "Property manager"
    summary = "Called; will fix the fence."


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    concern = factory.SubFactory(ConcernFactory, status=Concern.Status.RESOLVED)
    resolved_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=28))
    sent_at = factory.LazyFunction(timezone.now)
