"""Public records requests through the pages: the public form and receipt, the status page
(nothing private), staff access, the queue, staff entry, the release log and its export."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from integrity.publicrecords import services
from integrity.publicrecords.models import PublicRecordsRequest, Release
from integrity.publicrecords.tests import factories as f
from jcr.core.abuse import HONEYPOT_FIELD, TIMESTAMP_FIELD, form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

FORM = "/justice-training-integrity/public-records/request/"
QUEUE = "/staff/justice-training-integrity/public-records/"
TODAY = "2026-12-07 12:00:00-08:00"


def _post(client: Client, **extra):
    data = {
        "description": "The office's policy on diversion, 2024.",
        "preferred_format": "electronic",
        "language": "en",
        TIMESTAMP_FIELD: form_timestamp(scope="public_records_request", seconds_ago=60),
    }
    return client.post(FORM, data | extra)


@pytest.mark.parametrize(("email", "emails"), [("", 0), ("reader@example.org", 1)])
def test_a_request_is_saved_before_the_receipt_shows_its_tracking_code(resident, email, emails):
    response = _post(resident, email=email)
    assert response.status_code == 302
    request = PublicRecordsRequest.objects.get()
    assert (request.requester_email, request.channel, request.requester_name) == (email, "web", "")
    page = resident.get(response["Location"]).content.decode()
    assert request.tracking_code in page
    assert request.determination_rule.citation in page
    assert OutboundEmail.objects.filter(template="integrity/publicrecords_received").count() == emails


def test_a_bot_filling_the_honeypot_saves_nothing(resident):
    response = _post(resident, **{HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 200
    assert not PublicRecordsRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_status_page_shows_the_status_and_clock_only(resident, jti_staff):
    jti_staff.first_name, jti_staff.last_name = "Quintessa", "Staffwright"
    jti_staff.save()
    request = f.pra(received_on=date(2026, 12, 1), name="Reader Privatename")
    services.request_assign(request=request, assigned_to=jti_staff, actor=jti_staff)
    services.request_notes_save(request=request, search_notes="Searched the Zanzibar share", actor=jti_staff)
    record = services.gathered_add(request=request, title="Memo Ultrasecret", actor=jti_staff)
    services.redaction_add(
        request=request, record=record, exemption="7923.600", description="Witness Hiddenname", actor=jti_staff
    )
    url = f"/justice-training-integrity/public-records/status/{request.tracking_code}/"
    page = resident.get(url).content.decode()
    assert "Received: a determination is due" in page
    assert "Dec. 11, 2026" in page
    assert "§ 7922.535" in page
    for private in (
        "Zanzibar",
        "Ultrasecret",
        "Hiddenname",
        "Quintessa",
        "Staffwright",
        jti_staff.email,
        "Privatename",
    ):
        assert private not in page
    services.request_determine(
        request=request, determination="no_records", notice_on=date(2026, 12, 7), actor=jti_staff
    )
    page = resident.get(url).content.decode()
    assert "no responsive records" in page
    assert "Dec. 11, 2026" not in page
    assert resident.get(url.replace(request.tracking_code, "PRAXXXXXXXXX")).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("jti_staff", 200), ("jti_chief", 200), ("community_prosecutor", 403), ("administrator", 403), (None, 302)],
)
def test_only_the_jti_roles_work_requests(request, client_for, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    pra = f.pra()
    client = client_for(user)
    assert client.get(QUEUE).status_code == status
    assert client.get(f"{QUEUE}{pra.public_id}/").status_code == status


@time_machine.travel(TODAY, tick=False)
def test_the_queue_puts_overdue_requests_first_and_filters_them(client_for, jti_staff):
    later = f.pra(received_on=date(2026, 12, 5))
    overdue = f.pra(received_on=date(2026, 11, 2))
    done = f.pra(received_on=date(2026, 10, 1))
    services.request_determine(request=done, determination="no_records", notice_on=date(2026, 10, 5), actor=None)
    client = client_for(jti_staff)
    page = client.get(QUEUE).content.decode()
    codes = re.findall(r"PRA[A-Z0-9]{9}", page)
    assert codes.index(overdue.tracking_code) < codes.index(later.tracking_code)
    assert codes.index(later.tracking_code) < codes.index(done.tracking_code)  # awaiting a determination first
    overdue_only = client.get(QUEUE, {"overdue": "on"}).content.decode()
    assert overdue.tracking_code in overdue_only
    assert later.tracking_code not in overdue_only


@time_machine.travel(TODAY, tick=False)
def test_staff_enter_a_request_received_earlier_and_its_clock_runs_from_then(client_for, jti_staff):
    client = client_for(jti_staff)
    data = {"description": "Letters", "preferred_format": "paper", "language": "en", "channel": "mail"}
    response = client.post(f"{QUEUE}new/", data | {"received_on": "2026-11-20"})
    request = PublicRecordsRequest.objects.get()
    assert response.status_code == 302
    assert (request.received_on, request.determination_due, request.entered_by) == (
        date(2026, 11, 20),
        date(2026, 11, 30),
        jti_staff,
    )
    assert client.post(f"{QUEUE}new/", data | {"received_on": "2026-12-08"}).status_code == 200
    assert PublicRecordsRequest.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Gov. Code § 7922.535, subd. (a)" in page
    assert "not verified yet" in page
    assert "Extend the time" in page
    client.post(
        f"{response['Location']}extend/",
        {"reason": "field_facilities", "explanation": "Files at the branch office.", "notice_on": "2026-11-25"},
    )
    request.refresh_from_db()
    assert (request.status, request.extended_due) == ("extended", date(2026, 12, 14))
    page = client.get(response["Location"]).content.decode()
    assert "Extend the time" not in page
    assert "Files at the branch office." in page


@time_machine.travel(TODAY, tick=False)
def test_a_release_is_logged_audited_and_exported_without_the_requesters_details(client_for, jti_chief):
    request = f.pra(received_on=date(2026, 12, 1), name="Reader Privatename")
    client = client_for(jti_chief)
    base = f"{QUEUE}{request.public_id}/"
    client.post(f"{base}records/", {"title": "Charging memo", "pages": "4"})
    record = request.gathered.get()
    client.post(f"{base}redactions/", {"record": record.pk, "exemption": "7927.700", "description": "Home address"})
    client.post(f"{base}determine/", {"determination": "part", "notice_on": "2026-12-07"})  # no reasons: refused
    assert PublicRecordsRequest.objects.get().status == "received"
    client.post(
        f"{base}determine/",
        {
            "determination": "part",
            "notice_on": "2026-12-07",
            "reasons": "§ 7927.700",
            "records_available_on": "2026-12-10",
        },
    )
    client.post(
        f"{base}release/", {"released_on": "2026-12-07", "scope": "full", "method": "email", "records_count": 1}
    )
    assert not Release.objects.exists()  # found disclosable in part: released in part only
    client.post(
        f"{base}release/", {"released_on": "2026-12-07", "scope": "partial", "method": "email", "records_count": 1}
    )
    release = Release.objects.get()
    assert (release.request.status, release.released_by) == ("released", jti_chief)
    assert OutboundEmail.objects.filter(
        template="integrity/publicrecords_released", to="requester@example.org"
    ).exists()
    page = client.get(base).content.decode()
    assert "Records released" in page
    assert "Redaction added" in page  # the timeline
    actions = set(AuditEntry.objects.filter(object_id=str(request.public_id)).values_list("action", flat=True))
    assert {"integrity.publicrecords.create", "integrity.publicrecords.gathered", "integrity.publicrecords.redaction",
            "integrity.publicrecords.determine", "integrity.publicrecords.release"} <= actions  # fmt: skip
    assert "Privatename" not in str(list(AuditEntry.objects.values_list("before", "after")))
    export = client.get(f"{QUEUE}releases/export/")
    body = export.content.decode()
    assert export["Content-Type"].startswith("text/csv")
    assert request.tracking_code in body
    assert "7927.700" in body
    assert "partial" in body
    assert "requester@example.org" not in body
    assert "Privatename" not in body
    assert AuditEntry.objects.filter(action="integrity.publicrecords.export", after__rows=1).exists()
