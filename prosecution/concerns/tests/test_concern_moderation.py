"""Moderation before publication: a resident's words are public only after staff publish them
(or a public version of them); the kind, area and status are public at once. Per category:
after review (the default), never, or at once."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse

from jcr.core.models import AuditEntry
from prosecution.concerns import selectors, services, services_record
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.concerns.tests.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

RAW = "Johnny Marker at 916-555-0101 tags the wall"


@pytest.fixture
def placed(area_in):
    """Where a concern of the area `community_prosecutor` works is, and the public surfaces."""
    point = {"latitude": area_in.min_lat + 0.005, "longitude": area_in.min_lon + 0.005}
    blurred = {
        "public_latitude": services.blur(point["latitude"]),
        "public_longitude": services.blur(point["longitude"]),
    }
    return {"fields": {**point, **blurred}, "point": point, "area": area_in}


def _concern(placed, **fields) -> Concern:
    concern = ConcernFactory(description=RAW, **placed["fields"], **fields)
    concern.areas.set([placed["area"]])
    return concern


def _public_bodies(client, concern: Concern, placed) -> dict[str, str]:
    urls = {
        "open311-json": reverse("open311:open311_requests_json"),
        "open311-xml": reverse("open311:open311_requests_xml"),
        "area": reverse("prosecution:area_detail", kwargs={"slug": placed["area"].slug}),
        "public page": reverse("prosecution:concern_public", kwargs={"public_ref": concern.public_ref}),
        "tracking page": reverse("prosecution:concern_track", kwargs={"tracking_code": concern.tracking_code}),
    }
    bodies = {name: client.get(url).content.decode() for name, url in urls.items()}
    nearby = selectors.concern_nearby_open(category=concern.category, **placed["point"])
    bodies["nearby"] = " ".join(row["public_text"] for row in nearby)
    return bodies


def test_concern_fresh_text_is_not_public_until_staff_publish_it(client, client_for, community_prosecutor, placed):
    concern = _concern(placed)
    for name, body in _public_bodies(client, concern, placed).items():
        assert "Johnny Marker" not in body, name
    # The concern itself is public at once: its kind and status.
    area_page = client.get(reverse("prosecution:area_detail", kwargs={"slug": placed["area"].slug})).content.decode()
    assert concern.public_ref in area_page
    assert "Received" in area_page

    url = reverse("prosecution:staff_concern_public_text", kwargs={"public_id": concern.public_id})
    response = client_for(community_prosecutor).post(url, {"public_text": RAW, "decision": "publish"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.public_text_state == Concern.TextState.PUBLISHED
    entry = AuditEntry.objects.get(action="prosecution.concern.public_text")
    assert entry.actor == community_prosecutor
    assert entry.after == {"public_text_state": "published"}
    caches["pages"].clear()  # public pages lag by JCR_PUBLIC_CACHE_SECONDS at most
    for name, body in _public_bodies(client, concern, placed).items():
        assert "Johnny Marker" in body, name


def test_concern_edited_public_version_is_all_the_public_reads(client, client_for, community_prosecutor, placed):
    concern = _concern(placed)
    url = reverse("prosecution:staff_concern_public_text", kwargs={"public_id": concern.public_id})
    client_for(community_prosecutor).post(url, {"public_text": "Tags on the wall", "decision": "publish"})
    for name, body in _public_bodies(client, concern, placed).items():
        assert "Tags on the wall" in body, name
        assert "Johnny Marker" not in body, name


def test_concern_text_withheld_stays_off_public_pages(client, client_for, community_prosecutor, placed):
    concern = _concern(placed)
    url = reverse("prosecution:staff_concern_public_text", kwargs={"public_id": concern.public_id})
    response = client_for(community_prosecutor).post(url, {"public_text": RAW, "decision": "withhold"})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.public_text_state == Concern.TextState.WITHHELD
    assert AuditEntry.objects.get(action="prosecution.concern.public_text").after == {"public_text_state": "withheld"}
    for name, body in _public_bodies(client, concern, placed).items():
        assert "Johnny Marker" not in body, name


@pytest.mark.parametrize(
    ("publication", "state", "public"),
    [
        (Category.TextPublication.AFTER_REVIEW, Concern.TextState.PENDING, False),
        (Category.TextPublication.AFTER_REVIEW, Concern.TextState.PUBLISHED, True),
        (Category.TextPublication.AT_ONCE, Concern.TextState.PENDING, True),
        (Category.TextPublication.AT_ONCE, Concern.TextState.WITHHELD, False),
        (Category.TextPublication.NEVER, Concern.TextState.PENDING, False),
        (Category.TextPublication.NEVER, Concern.TextState.PUBLISHED, False),
    ],
)
def test_concern_category_setting_decides_when_text_is_public(client, placed, publication, state, public):
    category = CategoryFactory(code=f"mod-{publication}", text_publication=publication)
    concern = _concern(placed, category=category, public_text_state=state)
    bodies = _public_bodies(client, concern, placed)
    assert {name: "Johnny Marker" in body for name, body in bodies.items()} == dict.fromkeys(bodies, public)


def test_concern_text_of_a_never_category_cannot_be_published(client_for, community_prosecutor, placed):
    category = CategoryFactory(code="mod-never", text_publication=Category.TextPublication.NEVER)
    concern = _concern(placed, category=category)
    with pytest.raises(ValidationError):
        services_record.concern_set_public_text(concern=concern, text="Tags", actor=community_prosecutor)
    url = reverse("prosecution:staff_concern_public_text", kwargs={"public_id": concern.public_id})
    response = client_for(community_prosecutor).post(url, {"public_text": "Tags", "decision": "publish"})
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.public_text_state == Concern.TextState.PENDING
    assert not AuditEntry.objects.filter(action="prosecution.concern.public_text").exists()


def test_concern_triage_queue_shows_and_filters_text_awaiting_review(client_for, community_prosecutor, placed):
    waiting = _concern(placed)
    reviewed = _concern(placed, public_text_state=Concern.TextState.PUBLISHED)
    at_once = _concern(placed, category=CategoryFactory(code="mod-at-once", text_publication="at_once"))
    client = client_for(community_prosecutor)
    queue = client.get(reverse("prosecution:staff_concern_list")).content.decode()
    assert queue.count("Text awaits review") == 1
    filtered = client.get(reverse("prosecution:staff_concern_list"), {"text_review": "on"}).content.decode()
    assert waiting.tracking_code in filtered
    assert reviewed.tracking_code not in filtered
    assert at_once.tracking_code not in filtered
    page = client.get(reverse("prosecution:staff_concern_detail", kwargs={"public_id": waiting.public_id}))
    assert "awaits review" in page.content.decode()
