"""Every read of the confidential records needs a recent sign-in and is logged, lists,
searches and by-case views included; every refused attempt is logged with who, what and
from where; the JTI Chief reads that log on a page of its own."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.tests import factories as f
from integrity.records.tests.hooks import route_samples
from integrity.records.tests.test_records_access import NON_JTI_STAFF, signed_in
from jcr.core.models import AuditEntry
from tests.support import all_routes

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
STALE = REAUTH_AFTER_SECONDS + 5


def _is_reauth(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("account_reauthenticate")


# --- Lists, searches and by-case views ----------------------------------------------------

LISTS = [
    ("integrity:records_home", {}, "", {}),
    ("integrity:allegation_list", {"status": "received"}, "integrity.allegation", {"status": "received"}),
    ("integrity:claim_list", {"q": "23F", "mine": "1"}, "integrity.claim", {"q": "23F", "mine": True}),
    ("integrity:testing_list", {}, "integrity.testingrequest", {}),
    ("integrity:disclosure_list", {}, "integrity.disclosureentry", {}),
    ("integrity:disclosure_case", {"case": "23F04567"}, "integrity.disclosurelog", {"case": "23F04567"}),
    ("integrity:retention_list", {"show": "hold"}, "", {"show": "hold", "page": 1}),
]


@pytest.mark.parametrize(("name", "query", "object_type", "filters"), LISTS, ids=[n for n, *_ in LISTS])
def test_records_confidential_list_needs_a_recent_sign_in_and_the_read_is_logged(
    name, query, object_type, filters, jti_staff, client_for
):
    url = reverse(name)
    stale = signed_in(client_for, jti_staff, seconds_ago=STALE)
    response = stale.get(url, query, REMOTE_ADDR=ADDRESS)
    assert _is_reauth(response)
    assert parse_qs(urlsplit(response["Location"]).query)["next"][0].startswith(url)
    assert not AuditEntry.objects.filter(action="integrity.record.list").exists()
    denied = AuditEntry.objects.get(action="integrity.record.denied")
    assert (denied.actor_id, denied.ip, denied.after["reason"], denied.after["route"]) == (
        jti_staff.pk,
        ADDRESS,
        "reauth",
        name,
    )

    response = signed_in(client_for, jti_staff).get(url, query, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="integrity.record.list")
    assert (entry.actor_id, entry.ip, entry.object_type) == (jti_staff.pk, ADDRESS, object_type)
    assert entry.after["route"] == name
    assert entry.after["filters"] == filters
    assert entry.after["rows"] == 0


def test_records_list_log_counts_the_rows_shown_and_leaves_out_walled_claims(jti_staff, client_for):
    for _ in range(3):
        f.claim(case_number="23F04567")
    f.claim(case_number="23F04567").conflicted_users.add(jti_staff)
    f.claim(case_number="99X00001")
    response = signed_in(client_for, jti_staff).get(reverse("integrity:claim_list"), {"q": "23F045"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="integrity.record.list")
    assert entry.after == {"route": "integrity:claim_list", "filters": {"q": "23F045"}, "rows": 3}


# --- Refused attempts ---------------------------------------------------------------------


def test_records_refusals_are_logged_with_who_what_and_where_from(personas, jti_staff, client_for):
    claim = f.claim()
    claim.conflicted_users.add(jti_staff)
    detail = reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})
    missing = reverse("integrity:claim_detail", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"})
    outsider = personas[NON_JTI_STAFF[0]]
    resident = personas["resident_user"]

    assert signed_in(client_for, jti_staff).get(detail, REMOTE_ADDR=ADDRESS).status_code == 404
    assert signed_in(client_for, jti_staff).get(missing, REMOTE_ADDR=ADDRESS).status_code == 404
    assert signed_in(client_for, outsider).get(detail, REMOTE_ADDR=ADDRESS).status_code == 404
    assert client_for(resident).get(reverse("integrity:claim_list"), REMOTE_ADDR=ADDRESS).status_code == 403
    # A walled person posting a change is refused and logged the same way.
    note = reverse("integrity:claim_note", kwargs={"public_id": claim.public_id})
    assert signed_in(client_for, jti_staff).post(note, {"note": "x"}, REMOTE_ADDR=ADDRESS).status_code == 404

    rows = set(
        AuditEntry.objects.filter(action="integrity.record.denied").values_list(
            "actor_id", "object_type", "object_id", "after__reason", "after__route", "ip"
        )
    )
    assert rows == {
        (jti_staff.pk, "integrity.claim", str(claim.public_id), "walled", "integrity:claim_detail", ADDRESS),
        (
            jti_staff.pk,
            "integrity.claim",
            "00000000-0000-4000-8000-000000000000",
            "not_found",
            "integrity:claim_detail",
            ADDRESS,
        ),
        (outsider.pk, "integrity.claim", str(claim.public_id), "permission", "integrity:claim_detail", ADDRESS),
        (resident.pk, "integrity.claim", "", "permission", "integrity:claim_list", ADDRESS),
        (jti_staff.pk, "integrity.claim", str(claim.public_id), "walled", "integrity:claim_note", ADDRESS),
    }
    # The refusal names the record by its id only, never by anything a person could be read from.
    assert not AuditEntry.objects.filter(action="integrity.record.denied").exclude(object_repr="").exists()
    assert not AuditEntry.objects.filter(action__in=["integrity.record.view", "integrity.record.list"]).exists()


def test_records_refused_change_for_an_old_sign_in_is_logged(jti_chief, client_for):
    claim = f.claim()
    url = reverse("integrity:claim_wall_add", kwargs={"public_id": claim.public_id})
    response = signed_in(client_for, jti_chief, seconds_ago=STALE).post(url, {"user": "x"})
    assert _is_reauth(response)
    assert str(claim.public_id) in parse_qs(urlsplit(response["Location"]).query)["next"][0]
    denied = AuditEntry.objects.get(action="integrity.record.denied")
    assert (denied.object_id, denied.after["reason"], denied.after["method"]) == (
        str(claim.public_id),
        "reauth",
        "POST",
    )


# --- The walk over every confidential route ------------------------------------------------

# Pages that show no record (blank forms): a recent sign-in, but no read to log.
FORMS = {
    "integrity:allegation_new",
    "integrity:testing_new",
    "integrity:disclosure_new",
    "integrity:allegation_export",
    "integrity:claim_export",
    "integrity:disclosure_export",
    "integrity:disclosure_lookup",  # the question is posted, and each one logged (test_records_disclosure_lookup)
}
# Query strings a read needs to show anything.
QUERIES = {"integrity:disclosure_case": {"case": "23F04567"}}
RECORDS_PREFIX = "staff/justice-training-integrity/records/"


def _confidential_routes():
    routes = [r for r in all_routes(languages=["en"]) if r.view_name.startswith("integrity:")]
    return [r for r in routes if r.access is not None and r.access.confidential]


def test_records_every_route_under_the_records_area_goes_through_the_gate():
    """A new staff route of the records must be declared with jti_staff_required or
    JTIStaffRequiredMixin (confidential, reads re-authenticated, refusals logged)."""
    routes = [r for r in all_routes(languages=["en"]) if r.route.startswith(RECORDS_PREFIX)]
    assert len(routes) > 30
    ungated = [str(r) for r in routes if not getattr(r.view, "jti_guarded", False) or not r.access.confidential]
    assert ungated == []


def test_records_every_confidential_read_needs_a_recent_sign_in_and_is_logged(personas, jti_chief, client_for):
    samples = route_samples()
    reads = [r for r in _confidential_routes() if r.access.allows("GET")]
    assert len(reads) > 15
    stale = signed_in(client_for, jti_chief, seconds_ago=STALE)
    fresh = signed_in(client_for, jti_chief)
    failures = []
    for route in reads:
        if route.view_name not in samples:
            failures.append(f"{route}: no sample in integrity/records/tests/hooks.py")
            continue
        sample = samples[route.view_name](personas, route)
        url = reverse(route.view_name, kwargs=sample.kwargs)
        query = QUERIES.get(route.view_name, {})
        before = AuditEntry.objects.count()
        response = stale.get(url, query)
        new = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "after__reason"))
        if not _is_reauth(response) or new != [("integrity.record.denied", "reauth")]:
            failures.append(f"{route}: old sign-in got {response.status_code}, logged {new}")
        before = AuditEntry.objects.count()
        response = fresh.get(url, query)
        new = list(AuditEntry.objects.order_by("id")[before:].values_list("action", flat=True))
        if response.status_code != 200:
            failures.append(f"{route}: recent sign-in got {response.status_code}")
        elif route.view_name not in FORMS and not set(new) & {"integrity.record.view", "integrity.record.list"}:
            failures.append(f"{route}: the read was not logged ({new})")
    assert failures == []


# --- The JTI Chief's access log ------------------------------------------------------------


def test_records_access_log_is_for_the_jti_chief_only(personas, jti_staff, jti_chief, client_for):
    url = reverse("integrity:access_log")
    for name in (*NON_JTI_STAFF, "jti_staff"):
        assert signed_in(client_for, personas[name]).get(url).status_code == 404, name
    assert client_for(personas["resident_user"]).get(url).status_code == 403
    assert _is_reauth(signed_in(client_for, jti_chief, seconds_ago=STALE).get(url))
    response = signed_in(client_for, jti_chief).get(url)
    assert response.status_code == 200
    # Each refusal above is in the log, and so is this read of it.
    page = response.content.decode()
    assert jti_staff.email in page
    entry = AuditEntry.objects.filter(action="integrity.record.list", object_type="integrity.accesslog").get()
    assert entry.actor_id == jti_chief.pk


def test_records_access_log_filters(jti_staff, jti_chief, client_for):
    allegation = f.allegation()
    claim = f.claim()
    staff = signed_in(client_for, jti_staff)
    staff.get(reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id}))
    staff.get(reverse("integrity:claim_list"), {"q": "needle"})
    claim.conflicted_users.add(jti_staff)
    staff.get(reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id}))
    chief = signed_in(client_for, jti_chief)
    chief.get(reverse("integrity:allegation_list"))
    url = reverse("integrity:access_log")

    def shown(**filters):
        response = chief.get(url, filters)
        assert response.status_code == 200
        return [(r["entry"].actor_id, r["entry"].action, r["entry"].object_id) for r in response.context["rows"]]

    staff_rows = shown(person=jti_staff.email)
    assert staff_rows == [
        (jti_staff.pk, "integrity.record.denied", str(claim.public_id)),
        (jti_staff.pk, "integrity.record.list", ""),
        (jti_staff.pk, "integrity.record.view", str(allegation.public_id)),
    ]
    assert shown(action="denied") == [(jti_staff.pk, "integrity.record.denied", str(claim.public_id))]
    assert shown(kind="integrity.allegation", action="view") == [
        (jti_staff.pk, "integrity.record.view", str(allegation.public_id))
    ]
    assert shown(record=allegation.receipt_number) == [
        (jti_staff.pk, "integrity.record.view", str(allegation.public_id))
    ]
    assert shown(record=str(claim.public_id)) == [(jti_staff.pk, "integrity.record.denied", str(claim.public_id))]
    assert shown(date_from="2000-01-01", date_to="2000-01-02") == []
    assert "needle" in chief.get(url, {"person": jti_staff.email, "action": "list"}).content.decode()
    # Each read of the log is logged with its filters.
    last = AuditEntry.objects.filter(object_type="integrity.accesslog").order_by("-id").first()
    assert last.after["filters"] == {"person": jti_staff.email, "action": "list"}


def test_records_access_log_is_paginated(jti_chief, client_for):
    from integrity.records import views_access_log

    client = signed_in(client_for, jti_chief)
    for _ in range(3):
        client.get(reverse("integrity:testing_list"))
    views_access_log.PAGE_SIZE, old = 2, views_access_log.PAGE_SIZE
    try:
        filters = {"action": "list", "kind": "integrity.testingrequest"}
        first = client.get(reverse("integrity:access_log"), filters)
        second = client.get(reverse("integrity:access_log"), filters | {"page": 2})
    finally:
        views_access_log.PAGE_SIZE = old
    assert len(first.context["rows"]) == 2
    assert "page=2" in first.content.decode()
    assert "action=list" in first.content.decode()
    assert len(second.context["rows"]) == 1


def test_records_admin_list_and_search_need_a_recent_sign_in_and_are_logged(jti_chief, client_for):
    f.allegation(case_number="23F04567")
    f.allegation(case_number="99X00001")
    url = "/admin/integrity/allegation/"
    response = client_for(jti_chief).get(url, {"q": "23F"})
    assert _is_reauth(response)
    assert AuditEntry.objects.get(action="integrity.record.denied").after["reason"] == "reauth"
    response = signed_in(client_for, jti_chief).get(url, {"q": "23F", "o": "1"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="integrity.record.list")
    assert (entry.actor_id, entry.object_type) == (jti_chief.pk, "integrity.allegation")
    assert entry.after["filters"] == {"q": "23F"}
    assert entry.after["rows"] == 1


def test_records_a_read_that_skips_record_get_is_still_checked_and_its_writes_undone(jti_staff, rf):
    """The gate's last line: a record page written without record_get is not sent on an old
    sign-in, and what it logged is rolled back; the refusal is kept."""
    from importlib import import_module

    from django.conf import settings
    from django.http import HttpResponse
    from django.views.decorators.http import require_GET

    from integrity.records.access import jti_staff_required, record_access_log
    from tests.support import sign_in_recently

    allegation = f.allegation()

    @jti_staff_required()
    @require_GET
    def careless_view(request, public_id):
        record_access_log(user=request.user, obj=allegation, action="view")
        return HttpResponse(allegation.description)

    class _Client:  # what sign_in_recently needs of a test client: its session
        session = import_module(settings.SESSION_ENGINE).SessionStore()

    request = rf.get("/")
    request.user = jti_staff
    request.session = sign_in_recently(_Client(), jti_staff, seconds_ago=STALE).session
    response = careless_view(request, public_id=allegation.public_id)
    assert _is_reauth(response)
    assert list(AuditEntry.objects.values_list("action", "after__reason")) == [("integrity.record.denied", "reauth")]
