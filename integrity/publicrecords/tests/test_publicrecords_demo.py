"""The demo requests: loaded once, through the services, without e-mailing anyone."""

from __future__ import annotations

import pytest

from integrity.publicrecords import demo
from integrity.publicrecords.models import PublicRecordsRequest, Release
from jcr.accounts.demo import people_seed
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_sends_nothing():
    people_seed()
    demo.seed()
    demo.seed()
    assert sorted(PublicRecordsRequest.objects.values_list("status", flat=True)) == ["received", "released"]
    assert Release.objects.get().scope == "partial"
    assert not OutboundEmail.objects.exists()
