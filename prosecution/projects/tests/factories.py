"""Factories of problem-solving projects."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from prosecution.projects.models import OwnerContact, Project, ProjectAction


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
