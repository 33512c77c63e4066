from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from govrelations.models import (
    Bill,
    BillAbstract,
    BillAction,
    BillAlert,
    BillComment,
    BillFollow,
    Hearing,
    HearingReminder,
    ImplementationTask,
    Jurisdiction,
    LegislativeSession,
    Position,
    PositionEvent,
    PositionLetter,
    Subject,
)


class JurisdictionFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ["ocd_id"]

    ocd_id = "ocd-jurisdiction/country:us/state:ca/government"
    name = "California"


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = LegislativeSession
        django_get_or_create = ["jurisdiction", "identifier"]

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    identifier = "20252026"
    name = "2025-2026"


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["name"]

    name = "Crime"


class BillFactory(DjangoModelFactory):
    class Meta:
        model = Bill

    session = factory.SubFactory(SessionFactory)
    jurisdiction = factory.LazyAttribute(lambda o: o.session.jurisdiction)
    identifier = factory.Sequence(lambda n: f"AB {1000 + n}")
    title = factory.Sequence(lambda n: f"Criminal procedure: test bill {n}")
    classification = factory.LazyFunction(lambda: ["bill"])
    latest_action_date = factory.LazyFunction(timezone.localdate)
    latest_action_description = "Referred to Com. on PUB. S."
    status = Bill.Status.IN_COMMITTEE


class BillAbstractFactory(DjangoModelFactory):
    class Meta:
        model = BillAbstract

    bill = factory.SubFactory(BillFactory)
    abstract = "This bill would change the law."


class BillActionFactory(DjangoModelFactory):
    class Meta:
        model = BillAction

    bill = factory.SubFactory(BillFactory)
    date = factory.LazyFunction(timezone.localdate)
    description = "Referred to Com. on PUB. S."
    classification = factory.LazyFunction(lambda: ["referral-committee"])
    organization = "Assembly"
    chamber = "lower"
    order = factory.Sequence(lambda n: n)


class BillCommentFactory(DjangoModelFactory):
    class Meta:
        model = BillComment

    bill = factory.SubFactory(BillFactory)
    text = "An internal comment"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    bill = factory.SubFactory(BillFactory)
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


class HearingFactory(DjangoModelFactory):
    class Meta:
        model = Hearing

    bill = factory.SubFactory(BillFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    committee = "Assembly Committee on Public Safety"
    location = "1021 O Street, Room 1100"


class HearingReminderFactory(DjangoModelFactory):
    class Meta:
        model = HearingReminder

    hearing = factory.SubFactory(HearingFactory)
    recipient = factory.SubFactory("jcr.accounts.tests.factories.StaffFactory")
    lead_days = 3
    due_at = factory.LazyAttribute(lambda o: o.hearing.starts_at - timedelta(days=o.lead_days))


class BillFollowFactory(DjangoModelFactory):
    class Meta:
        model = BillFollow

    bill = factory.SubFactory(BillFactory)
    user = factory.SubFactory("jcr.accounts.tests.factories.StaffFactory")


class BillAlertFactory(DjangoModelFactory):
    class Meta:
        model = BillAlert

    bill = factory.SubFactory(BillFactory)
    recipient = factory.SubFactory("jcr.accounts.tests.factories.StaffFactory")
    action_key = factory.Sequence(lambda n: f"key{n}")
    action_date = factory.LazyFunction(timezone.localdate)
    action_description = "Read third time. Passed."


class ImplementationTaskFactory(DjangoModelFactory):
    class Meta:
        model = ImplementationTask

    bill = factory.SubFactory(BillFactory)
    kind = ImplementationTask.Kind.POLICY
    title = factory.Sequence(lambda n: f"Update policy {n}")
