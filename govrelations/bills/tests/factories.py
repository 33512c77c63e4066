import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from govrelations.bills.models import (
    Bill,
    BillAbstract,
    BillAction,
    BillAlert,
    BillComment,
    BillFollow,
    ImplementationTask,
    Jurisdiction,
    LegislativeSession,
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
