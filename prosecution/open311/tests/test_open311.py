"""Open311 GeoReport v2: every endpoint in both formats, success and every error, the privacy
rules (no sensitive request, contact detail, internal note or exact location), POST through
the web form's service, the key command, and constant query counts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jcr.core.models import Area, AreaAssignment, OutboundEmail
from jcr.core.tests.factories import AreaFactory
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.services import blur
from prosecution.concerns.tests.factories import (
    CategoryFactory,
    ConcernFactory,
    ConcernPhotoFactory,
    ConcernUpdateFactory,
)
from prosecution.open311.keys import open311_client_create, open311_client_revoke
from prosecution.open311.models import Open311Client
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
FORMATS = ["json", "xml"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def api_key():
    _client, key = open311_client_create(name="Test app")
    return key


def parse(response, fmt):
    """The body as Python data: JSON as is; XML as (root element)."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def error_of(response, fmt) -> tuple[int, str]:
    body = parse(response, fmt)
    if fmt == "json":
        assert isinstance(body, list)
        assert len(body) == 1
        return body[0]["code"], body[0]["description"]
    assert body.tag == "errors"
    (error,) = body.findall("error")
    return int(error.findtext("code")), error.findtext("description")


def requests_of(response, fmt) -> list[dict]:
    """Service requests as dicts of strings (JSON numbers kept), whatever the format."""
    body = parse(response, fmt)
    if fmt == "json":
        return body
    assert body.tag == "service_requests"
    return [{child.tag: child.text or "" for child in item} for item in body.findall("request")]


def post_data(key, **extra):
    data = {
        "api_key": key,
        "service_code": "graffiti",
        "lat": "38.5766",
        "long": "-121.4944",
        "description": "Fresh tags on the fence",
        "attribute[surface]": "fence",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- Discovery and services ------------------------------------------------------------------


def test_open311_has_one_address_without_a_language_prefix(api):
    assert api.get(f"{BASE}/services.json").status_code == 200
    assert api.get(f"/es{BASE}/services.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(api, fmt):
    response = api.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        endpoint = body["endpoints"][0]
        assert body["changeset"]
        assert body["contact"]
        assert body["key_service"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2/")
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        assert body.tag == "discovery"
        assert body.findtext("changeset")
        assert body.findtext("key_service")
        endpoint = body.find("endpoints/endpoint")
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_active_categories_sensitive_included(api, fmt):
    CategoryFactory(code="retired", is_active=False)
    response = api.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        services = {s["service_code"]: s for s in body}
        graffiti = services["graffiti"]
        assert graffiti["metadata"] is True
        assert graffiti["type"] == "realtime"
        assert graffiti["group"] == "Property"
        assert set(graffiti) == {
            "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
        }  # fmt: skip
    else:
        assert body.tag == "services"
        services = {s.findtext("service_code"): s for s in body.findall("service")}
        assert services["graffiti"].findtext("metadata") == "true"
        assert services["graffiti"].findtext("type") == "realtime"
    assert "retired" not in services
    assert "prostitution" in services  # sensitive: listed as a service, its reports never returned
    expected = set(Category.objects.filter(is_active=True).values_list("code", flat=True))
    assert set(services) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(api, fmt):
    response = api.get(f"{BASE}/services/graffiti.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        assert body["service_code"] == "graffiti"
        surface = body["attributes"][0]
        assert surface["code"] == "surface"
        assert surface["variable"] is True
        assert surface["required"] is True
        assert surface["datatype"] == "singlevaluelist"
        assert surface["order"] == 1
        assert {"key": "fence", "name": "On a fence or wall"} in surface["values"]
        assert set(surface) == {
            "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"
        }  # fmt: skip
    else:
        assert body.tag == "service_definition"
        assert body.findtext("service_code") == "graffiti"
        surface = body.find("attributes/attribute")
        assert surface.findtext("variable") == "true"
        assert surface.findtext("required") == "true"
        assert surface.findtext("code") == "surface"
        assert surface.findtext("order") == "1"
        keys = [v.findtext("key") for v in surface.findall("values/value")]
        assert keys == ["building", "fence", "public"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_unknown_or_inactive_is_404(api, fmt):
    CategoryFactory(code="retired", is_active=False)
    for code in ("no-such-service", "retired"):
        response = api.get(f"{BASE}/services/{code}.{fmt}")
        assert response.status_code == 404
        assert error_of(response, fmt)[0] == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id_matching_is_accepted_other_is_404(api, fmt, settings):
    settings.JCR_OPEN311_JURISDICTION = "sacramento-da.example"
    assert api.get(f"{BASE}/services.{fmt}?jurisdiction_id=sacramento-da.example").status_code == 200
    response = api.get(f"{BASE}/services.{fmt}?jurisdiction_id=elsewhere.example")
    assert response.status_code == 404
    assert error_of(response, fmt)[0] == 404


# --- POST requests ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_concern_through_the_web_form_service(api, api_key, fmt, community_prosecutor, area_in):
    inside = {"lat": str(area_in.min_lat + 0.005), "long": str(area_in.min_lon + 0.005)}
    data = post_data(
        api_key,
        **inside,
        email="Ana@Example.org",
        first_name="Ana",
        last_name="Ruiz",
        phone="916-555-0100",
        media_url="https://example.org/photo.jpg",
        device_id="abc",
        account_id="42",
        **{"attribute[offensive]": "no"},
    )
    response = api.post(f"{BASE}/requests.{fmt}", data)
    assert response.status_code == 200, response.content
    (created,) = requests_of(response, fmt)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    concern = Concern.objects.get(public_ref=created["service_request_id"])
    assert concern.source == Concern.Source.OPEN311
    assert concern.category.code == "graffiti"
    assert concern.answers == {"surface": "fence", "offensive": "no"}
    assert concern.contact_name == "Ana Ruiz"
    assert concern.contact_email == "ana@example.org"
    assert concern.contact_phone == "916-555-0100"
    # Routing and blurring, as for the web form.
    assert list(concern.areas.all()) == [area_in]
    assert concern.assignee == community_prosecutor
    assert concern.public_latitude == blur(float(inside["lat"]))
    assert OutboundEmail.objects.filter(template="prosecution/concern_received", to="ana@example.org").count() == 1
    assert Open311Client.objects.get().last_used_at is not None


def test_post_multivaluelist_number_and_address_string(api, api_key):
    response = api.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "illegal-dumping",
            "address_string": "9th and K",
            "description": "Mattresses",
            "attribute[items][]": ["furniture", "tires"],
        },
    )
    assert response.status_code == 200, response.content
    concern = Concern.objects.get(public_ref=response.json()[0]["service_request_id"])
    assert concern.answers == {"items": ["furniture", "tires"]}
    assert concern.address == "9th and K"
    assert concern.latitude is None
    assert not OutboundEmail.objects.filter(template="prosecution/concern_received").exists()
    response = api.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "encampment",
            "address_id": "A-17",
            "description": "Tents",
            "attribute[tents]": "4",
        },
    )
    assert response.status_code == 200, response.content
    assert Concern.objects.get(public_ref=response.json()[0]["service_request_id"]).answers == {"tents": 4}


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_key_bad_key_or_revoked_key_is_403(api, fmt):
    client, key = open311_client_create(name="Soon revoked")
    for bad in (None, "", "not-a-key"):
        response = api.post(f"{BASE}/requests.{fmt}", post_data(bad))
        assert response.status_code == 403
        assert error_of(response, fmt)[0] == 403
    assert api.post(f"{BASE}/requests.{fmt}", post_data(key)).status_code == 200
    open311_client_revoke(client=client)
    response = api.post(f"{BASE}/requests.{fmt}", post_data(key))
    assert response.status_code == 403
    assert error_of(response, fmt)[0] == 403
    assert Concern.objects.count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_unknown_service_is_404(api, api_key, fmt):
    response = api.post(f"{BASE}/requests.{fmt}", post_data(api_key, service_code="no-such-service"))
    assert response.status_code == 404
    assert error_of(response, fmt)[0] == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_location_is_400(api, api_key, fmt):
    response = api.post(f"{BASE}/requests.{fmt}", post_data(api_key, lat=None, long=None))
    assert response.status_code == 400
    code, description = error_of(response, fmt)
    assert code == 400
    assert "address_string" in description
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"attribute[surface]": None},  # required attribute missing
        {"attribute[surface]": "moon"},  # not one of the keys
        {"attribute[nonsense]": "x"},  # not in the definition
        {"lat": "north", "long": "-121.49"},
        {"lat": "95", "long": "-121.49"},
        {"description": ""},
        {"email": "not-an-address"},
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_bad_input_is_400(api, api_key, fmt, extra):
    response = api.post(f"{BASE}/requests.{fmt}", post_data(api_key, **extra))
    assert response.status_code == 400, response.content
    assert error_of(response, fmt)[0] == 400
    assert not Concern.objects.exists()


def test_post_number_attribute_must_be_numeric(api, api_key):
    data = {
        "api_key": api_key,
        "service_code": "encampment",
        "address_string": "Riverbank",
        "description": "Tents",
        "attribute[tents]": "many",
    }
    response = api.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400
    assert "tents" in response.json()[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_rate_limited_is_429_with_the_error_body(api, api_key, fmt, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "open311_post": "2/h/ip"}
    for _ in range(2):
        assert api.post(f"{BASE}/requests.{fmt}", post_data(api_key)).status_code == 200
    response = api.post(f"{BASE}/requests.{fmt}", post_data(api_key))
    assert response.status_code == 429
    assert error_of(response, fmt)[0] == 429
    assert int(response["Retry-After"]) > 0
    assert Concern.objects.count() == 2


def test_post_needs_no_csrf_token(api_key):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"{BASE}/requests.json", post_data(api_key)).status_code == 200


# --- GET requests ----------------------------------------------------------------------------


@pytest.fixture
def neighborhood():
    hood = AreaFactory(kind=Area.Kind.NEIGHBORHOOD, name="Downtown/Midtown", lon=-121.5, lat=38.57)
    city = AreaFactory(kind=Area.Kind.CITY, name="City of Sacramento", lon=-121.5, lat=38.57)
    return hood, city


@pytest.fixture
def public_concern(neighborhood):
    graffiti = Category.objects.get(code="graffiti")
    concern = ConcernFactory(
        category=graffiti,
        description="Tags at 1234 Private Street, call Ana",
        public_description="Tags on a fence",
        public_text_state=Concern.TextState.PUBLISHED,
        address="1234 Private Street",
        contact_name="Ana Secret",
        contact_email="ana.secret@example.org",
        contact_phone="916-555-0199",
        status=Concern.Status.REFERRED,
        expected_by=timezone.localdate() + timedelta(days=7),
    )
    concern.areas.set(neighborhood)
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, text="internal only note")
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text="Code enforcement will visit")
    return concern


@pytest.fixture
def sensitive_concern():
    category = Category.objects.get(code="prostitution")
    return ConcernFactory(category=category, description="sensitive words", address="9 Hidden Lane")


PRIVATE = ["1234 Private Street", "call Ana", "Ana Secret", "ana.secret", "555-0199", "internal only", "38.5766"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_public_fields_only(api, fmt, public_concern, sensitive_concern):
    response = api.get(f"{BASE}/requests.{fmt}")
    assert response.status_code == 200
    items = requests_of(response, fmt)
    assert [i["service_request_id"] for i in items] == [public_concern.public_ref]
    item = items[0]
    assert set(item) == set(REQUEST_FIELDS)
    assert item["status"] == "open"
    assert item["status_notes"] == "Referred to a partner. Code enforcement will visit"
    assert item["description"] == "Tags on a fence"
    assert item["service_code"] == "graffiti"
    assert item["service_name"] == "Graffiti"
    assert item["address"] == "Downtown/Midtown, City of Sacramento"
    assert item["address_id"] == ""
    assert item["zipcode"] == ""
    assert item["media_url"] == ""
    assert float(item["lat"]) == public_concern.public_latitude
    assert float(item["long"]) == public_concern.public_longitude
    assert item["requested_datetime"].startswith(str(timezone.localdate(public_concern.created_at)))
    assert item["expected_datetime"].startswith(str(public_concern.expected_by))
    body = response.content.decode()
    for private in [*PRIVATE, "sensitive words", "9 Hidden Lane", sensitive_concern.public_ref]:
        assert private not in body


def test_requests_json_types(api, public_concern):
    item = api.get(f"{BASE}/requests.json").json()[0]
    assert isinstance(item["service_request_id"], str)
    assert isinstance(item["service_code"], str)
    assert isinstance(item["lat"], float)


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_filters(api, fmt, public_concern):
    closed = ConcernFactory(category=CategoryFactory(code="blight-x"), status=Concern.Status.RESOLVED)
    old = ConcernFactory(category=public_concern.category)
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))

    def ids(query):
        response = api.get(f"{BASE}/requests.{fmt}?{query}")
        assert response.status_code == 200, response.content
        return {i["service_request_id"] for i in requests_of(response, fmt)}

    assert ids("") == {public_concern.public_ref, closed.public_ref}
    assert ids("status=open") == {public_concern.public_ref}
    assert ids("status=closed") == {closed.public_ref}
    assert ids("status=open,closed") == {public_concern.public_ref, closed.public_ref}
    assert ids("service_code=blight-x") == {closed.public_ref}
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(f"start_date={start.replace('+', '%2B')}&end_date={end.replace('+', '%2B')}") == {old.public_ref}
    # A list of ids: every other parameter is ignored, old ones included.
    both = f"{old.public_ref},{public_concern.public_ref.upper()}"
    assert ids(f"service_request_id={both}&status=closed") == {old.public_ref, public_concern.public_ref}
    assert ids("page_size=1&page=1") | ids("page_size=1&page=2") == {public_concern.public_ref, closed.public_ref}
    assert ids("page_size=1&page=3") == set()


@pytest.mark.parametrize(
    "query",
    [
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # 151 days
        "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",  # backwards
        "start_date=yesterday",
        "status=pending",
        "page=0",
        "page_size=1001",
        "page_size=ten",
        "page=abc",
        "page=99999999999999999999",  # would overflow the database's OFFSET
        "page=9223372036854775807&page_size=1000",
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_bad_query_is_400(api, fmt, query):
    response = api.get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code == 400
    assert error_of(response, fmt)[0] == 400


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_detail(api, fmt, public_concern):
    response = api.get(f"{BASE}/requests/{public_concern.public_ref}.{fmt}")
    assert response.status_code == 200
    (item,) = requests_of(response, fmt)  # the specification answers a list of one
    assert item["service_request_id"] == public_concern.public_ref
    assert set(item) == set(REQUEST_FIELDS)
    for private in PRIVATE:
        assert private not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_detail_unknown_or_sensitive_is_404(api, fmt, sensitive_concern):
    for code in ("NOSUCH99", sensitive_concern.public_ref):
        response = api.get(f"{BASE}/requests/{code}.{fmt}")
        assert response.status_code == 404
        assert error_of(response, fmt)[0] == 404
        assert "sensitive words" not in response.content.decode()
    response = api.get(f"{BASE}/requests.{fmt}?service_request_id={sensitive_concern.public_ref}")
    assert requests_of(response, fmt) == []


def test_a_concern_of_a_category_marked_sensitive_later_is_hidden(api, public_concern):
    Category.objects.filter(pk=public_concern.category_id).update(is_sensitive=True)
    assert api.get(f"{BASE}/requests.json").json() == []
    assert api.get(f"{BASE}/requests/{public_concern.public_ref}.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens_are_never_issued(api, fmt):
    response = api.get(f"{BASE}/tokens/12345.{fmt}")
    assert response.status_code == 404
    assert error_of(response, fmt)[0] == 404


def _concerns(count: int, areas) -> None:
    for i in range(count):
        concern = ConcernFactory(category=Category.objects.get(code="graffiti"))
        concern.areas.set(areas)
        ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text=f"update {i}")
        ConcernPhotoFactory(concern=concern)


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_query_count_is_constant(api, fmt, neighborhood):
    _concerns(5, neighborhood)
    with assert_max_queries(10) as five:
        assert len(requests_of(api.get(f"{BASE}/requests.{fmt}"), fmt)) == 5
    _concerns(45, neighborhood)
    with assert_max_queries(len(five)) as fifty:
        assert len(requests_of(api.get(f"{BASE}/requests.{fmt}"), fmt)) == 50
    assert len(fifty) == len(five)


# --- Keys ------------------------------------------------------------------------------------


def test_key_command_create_list_revoke(api):
    out = StringIO()
    call_command("open311_key", "create", "City app", "--email", "dev@city.example", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    client = Open311Client.objects.get()
    assert client.name == "City app"
    assert client.contact_email == "dev@city.example"
    assert key.startswith(client.key_prefix)
    assert key not in client.key_hash
    assert len(client.key_hash) == 64
    assert api.post(f"{BASE}/requests.json", post_data(key)).status_code == 200
    out = StringIO()
    call_command("open311_key", "list", stdout=out)
    assert client.key_prefix in out.getvalue()
    assert key not in out.getvalue()
    call_command("open311_key", "revoke", client.key_prefix, stdout=StringIO())
    assert api.post(f"{BASE}/requests.json", post_data(key)).status_code == 403
    client.refresh_from_db()
    assert not client.is_active
    assert client.revoked_at is not None


@pytest.fixture
def admin_client(django_user_model):
    """A superuser with a second factor (the admin asks for one)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = django_user_model.objects.create_superuser("open311-admin@da.example.gov", "x" * 16)
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client


def test_admin_creates_a_key_shown_once_and_revokes(admin_client):
    response = admin_client.post(
        "/admin/prosecution/open311client/add/", {"name": "Admin app", "contact_email": ""}, follow=True
    )
    assert response.status_code == 200, response.content
    client = Open311Client.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any(client.key_prefix in m for m in shown)
    page = admin_client.get(f"/admin/prosecution/open311client/{client.pk}/change/").content.decode()
    assert client.key_hash not in page
    admin_client.post(
        "/admin/prosecution/open311client/",
        {"action": "revoke", "_selected_action": [client.pk]},
    )
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert not client.is_usable


def test_public_surfaces_show_no_assignee(api, public_concern, community_prosecutor):
    Concern.objects.filter(pk=public_concern.pk).update(assignee=community_prosecutor)
    assert AreaAssignment.objects.exists()
    assert community_prosecutor.email not in api.get(f"{BASE}/requests.json").content.decode()
