"""Factories of partners, referrals and follow-ups."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from prosecution.concerns.models import Concern
from prosecution.concerns.tests.factories import ConcernFactory
from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral


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


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    concern = factory.SubFactory(ConcernFactory, status=Concern.Status.RESOLVED)
    resolved_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=28))
    sent_at = factory.LazyFunction(timezone.now)
