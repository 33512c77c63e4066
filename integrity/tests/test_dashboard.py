"""The unit's part of the staff dashboard (integrity/dashboard.py): training for every deputy,
what they still have to acknowledge; nothing for residents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrity.dashboard import panel
from integrity.policies.tests import factories as f

pytestmark = pytest.mark.django_db


def test_training_on_every_deputys_dashboard(client_for, outreach_staff, jti_staff, resident_user):
    page = client_for(outreach_staff).get(reverse("core:dashboard")).content.decode()
    assert reverse("integrity:training_my_transcript") in page
    assert reverse("integrity:training_compliance") not in page
    jti_page = client_for(jti_staff).get(reverse("core:dashboard")).content.decode()
    assert reverse("integrity:training_compliance") in jti_page
    assert panel(user=resident_user) is None


def test_no_mcle_transcript_on_the_dashboard_of_a_non_attorney(client_for, outreach_staff):
    from integrity.training.models import MCLEProfile

    MCLEProfile.objects.create(user=outreach_staff, status=MCLEProfile.Status.NOT_ATTORNEY)
    page = client_for(outreach_staff).get(reverse("core:dashboard")).content.decode()
    assert reverse("integrity:training_sessions") in page
    assert reverse("integrity:training_my_transcript") not in page


def test_dashboard_counts_what_to_acknowledge(client_for, community_prosecutor, jti_staff):
    nothing_waiting = panel(user=community_prosecutor)  # every deputy still has training here
    assert nothing_waiting["url"] == reverse("integrity:training_sessions")
    assert "acknowledge" not in " ".join(item["label"] for item in nothing_waiting["items"])
    f.version(policy=f.policy())
    f.bulletin(published=True)
    outside = panel(user=community_prosecutor)
    assert outside["url"] == reverse("integrity:my_acknowledgements")
    assert outside["items"][0]["label"] == "2 legal updates or policies to acknowledge"
    assert panel(user=jti_staff)["items"][0]["url"] == reverse("integrity:my_acknowledgements")
    page = client_for(community_prosecutor).get(reverse("integrity:my_acknowledgements"))
    assert page.status_code == 200
