import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from govrelations.positions.models import Position, PositionEvent, PositionLetter


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    bill = factory.SubFactory("govrelations.bills.tests.factories.BillFactory")
    stance = Position.Stance.SUPPORT
    reasons = "The bill protects victims."
    status = Position.Status.PROPOSED


class ApprovedPositionFactory(PositionFactory):
    status = Position.Status.APPROVED
    decided_at = factory.LazyFunction(timezone.now)


class PositionEventFactory(DjangoModelFactory):
    class Meta:
        model = PositionEvent

    position = factory.SubFactory(PositionFactory)
    kind = PositionEvent.Kind.PROPOSED


class PositionLetterFactory(DjangoModelFactory):
    class Meta:
        model = PositionLetter

    position = factory.SubFactory(ApprovedPositionFactory)
    committee = "Assembly Committee on Public Safety"
    addressee = "The Honorable Chair"
    body = "Dear Chair, the office supports the bill."
