"""Areas, assignments and e-mail rows for tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from jcr.core.models import Area, AreaAssignment, OutboundEmail


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaFactory(DjangoModelFactory):
    """A small square police district near Sacramento; the bbox matches the geometry."""

    class Meta:
        model = Area
        skip_postgeneration_save = True

    class Params:
        lon = factory.Sequence(lambda n: -121.5 + n * 0.02)
        lat = 38.5

    kind = Area.Kind.POLICE_DISTRICT
    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    geometry = factory.LazyAttribute(lambda o: square(o.lon, o.lat))
    min_lon = factory.LazyAttribute(lambda o: o.lon)
    min_lat = factory.LazyAttribute(lambda o: o.lat)
    max_lon = factory.LazyAttribute(lambda o: o.lon + 0.01)
    max_lat = factory.LazyAttribute(lambda o: o.lat + 0.01)


class AreaAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = AreaAssignment

    area = factory.SubFactory(AreaFactory)
    user = factory.SubFactory("jcr.accounts.tests.factories.StaffFactory")
    role = AreaAssignment.Role.COMMUNITY_PROSECUTOR


class OutboundEmailFactory(DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    to = factory.Sequence(lambda n: f"recipient{n}@example.org")
    subject = "Your registration"
    body_text = "Thank you."
    language = "en"
