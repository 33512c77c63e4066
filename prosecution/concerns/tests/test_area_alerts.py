"""Alerts of new concerns in a police district: double opt-in, the daily digest, the RSS feed."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jcr.core.abuse import form_timestamp
from jcr.core.models import OutboundEmail
from jcr.core.tests.factories import AreaFactory
from prosecution.concerns import tasks
from prosecution.concerns.models_follow import AreaAlert, AreaAlertDigest, OptInStatus
from prosecution.concerns.services import blur
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"prosecution:{name}", kwargs=kwargs)


def _concern(area, *, sensitive=False, **fields):
    category = CategoryFactory(code="alert-sensitive", is_sensitive=True) if sensitive else CategoryFactory()
    concern = ConcernFactory(category=category, **fields)
    concern.areas.set([area])
    return concern


@pytest.fixture
def district():
    return AreaFactory(name="Oak Park", slug="oak-park")


def _subscribe_and_confirm(client, district, email="alerts@example.org") -> AreaAlert:
    response = client.post(
        _url("area_alert", slug=district.slug),
        {"email": email, "website": "", "form_ts": form_timestamp(scope="area_alert", seconds_ago=30)},
    )
    assert response.status_code == 200
    assert AreaAlert.objects.get(email=email).status == OptInStatus.PENDING
    body = OutboundEmail.objects.get(template="prosecution/area_alert_confirm", to=email).body_text
    confirm = re.search(r"https?://\S*?(/community-prosecution/alerts/confirm/[^/\s]+/)", body).group(1)
    assert client.get(confirm).status_code == 200
    assert AreaAlert.objects.get(email=email).status == OptInStatus.PENDING
    client.post(confirm)
    return AreaAlert.objects.get(email=email)


def test_digest_lists_new_public_concerns_of_the_area_once_a_day(resident, district):
    alert = _subscribe_and_confirm(resident, district)
    assert alert.status == OptInStatus.CONFIRMED
    _concern(district, sensitive=True, description="zz sensitive")
    _concern(AreaFactory(), description="zz elsewhere")
    new = _concern(district)
    assert tasks.area_alert_digests_send() == 1
    assert tasks.area_alert_digests_send() == 0  # the same day: nothing again
    email = OutboundEmail.objects.get(template="prosecution/area_alert_digest")
    assert email.to == "alerts@example.org"
    assert email.subject == "1 new concern in Oak Park"
    assert _url("concern_public", public_ref=new.public_ref) in email.body_text
    assert new.tracking_code not in email.body_text
    assert email.body_text.count("/community-prosecution/concerns/") == 1
    unsubscribe = _url("area_alert_unsubscribe", token=alert.token)
    assert email.headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    # The next day lists only what is new since; a quiet day sends nothing.
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        later = _concern(district)
        assert tasks.area_alert_digests_send() == 1
    assert _url("concern_public", public_ref=later.public_ref) in OutboundEmail.objects.latest("pk").body_text
    assert new.public_ref not in OutboundEmail.objects.latest("pk").body_text
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert tasks.area_alert_digests_send() == 0
    assert AreaAlertDigest.objects.filter(alert=alert).count() == 3


def test_unsubscribed_alerts_get_no_digest(resident, district):
    alert = _subscribe_and_confirm(resident, district)
    assert Client(enforce_csrf_checks=True).post(_url("area_alert_unsubscribe", token=alert.token)).status_code == 200
    _concern(district)
    assert tasks.area_alert_digests_send() == 0
    assert AreaAlert.objects.get().status == OptInStatus.UNSUBSCRIBED


def test_area_feed_parses_with_snapped_positions_and_no_sensitive_items(resident, district):
    public = _concern(
        district, latitude=38.57661, longitude=-121.49437, public_latitude=38.5766, public_longitude=-121.4944
    )
    _concern(district, sensitive=True, latitude=38.5, longitude=-121.4, public_latitude=38.5, public_longitude=-121.4)
    _concern(AreaFactory())
    response = resident.get(_url("area_concerns_feed", slug=district.slug))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert "Oak Park" in feed.feed.title
    assert [entry.link.endswith(_url("concern_public", public_ref=public.public_ref)) for entry in feed.entries] == [
        True
    ]
    assert f"<georss:point>{blur(38.5766):.6f} {blur(-121.4944):.6f}</georss:point>" in response.content.decode()
    for exact in ("38.57661", "-121.49437", public.tracking_code, public.address):
        assert exact not in response.content.decode()
    area_page = resident.get(_url("area_detail", slug=district.slug)).content.decode()
    assert _url("area_concerns_feed", slug=district.slug) in area_page
    assert _url("area_alert", slug=district.slug) in area_page
