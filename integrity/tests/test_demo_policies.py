import pytest

from integrity import demo
from integrity.policies.models import Bulletin, BulletinRecipient, Policy, PolicyAcknowledgement, PolicyVersion
from jcr.accounts.demo import people_seed
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_sends_nothing(client):
    people_seed()
    demo.seed()
    demo.seed()
    assert Policy.objects.count() == 2
    assert PolicyVersion.objects.count() == 4
    assert Bulletin.objects.count() == 3
    assert Bulletin.objects.filter(status="published").count() == 2
    assert BulletinRecipient.objects.filter(acknowledged_at__isnull=False).exists()
    assert BulletinRecipient.objects.filter(acknowledged_at__isnull=True).exists()
    assert PolicyAcknowledgement.objects.exists()
    assert not OutboundEmail.objects.exists()
    listing = client.get("/justice-training-integrity/policies/").content.decode()
    assert "Discovery and Brady disclosure" in listing
    assert "Social media protocol" not in listing
