from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from govrelations.hearings.models import Hearing, HearingReminder


class HearingFactory(DjangoModelFactory):
    class Meta:
        model = Hearing

    bill = factory.SubFactory("govrelations.bills.tests.factories.BillFactory")
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
