"""Confidential means confidential everywhere: the history of a confidential record names the
fields that changed, never their values, and no person; an Administrator reads nothing of a
confidential record in any admin page, audit entry, e-mail row or dashboard; a person walled
off from a claim finds nothing of it anywhere, PC 1405 requests on the same case included."""

from __future__ import annotations

import importlib
import json
import smtplib
from datetime import date
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from integrity.records import (
    services,
    services_allegations,
    services_claims,
    services_disclosure,
    services_testing,
    services_wall,
)
from integrity.records.models import DisclosureEntry, EvidenceItem
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.audit import audit_record
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

# Values that must never leave the JTI pages.
SECRETS = (
    "Dana Whitfield",  # complainant
    "dana@example.org",
    "Sergeant Lowe",  # subject of the allegation
    "Lied under oath",  # finding summary
    "Your complaint was sustained",  # response to the complainant
    "Chris Poe",  # PC 1405 petitioner
    "Bloody shirt",  # evidence item
    "Crime lab 3",  # evidence location
    "No DNA of the petitioner",  # test result
    "Officer Pat Vega",  # Brady index
    "Alex Roe",  # claimant
    "Alibi witness never called",
    "We decline your claim",  # disposition letter
    "Tried the case in 1998",  # wall note
)


@pytest.fixture
def records(jti_chief, jti_staff):
    """Every kind of confidential record, taken through its services as the JTI would."""
    f.rule()
    f.criteria()
    allegation = services_allegations.allegation_submit(
        description="He lied in court",
        subject="Sergeant Lowe",
        complainant_name="Dana Whitfield",
        complainant_email="dana@example.org",
    )
    for step in ("review", "investigation"):
        services_allegations.allegation_advance(allegation=allegation, to_status=step, actor=jti_chief)
    services_allegations.allegation_advance(
        allegation=allegation,
        to_status="finding",
        finding="sustained",
        finding_summary="Lied under oath",
        actor=jti_chief,
    )
    services_allegations.allegation_advance(
        allegation=allegation, to_status="closed", response_text="Your complaint was sustained", actor=jti_chief
    )
    claim = services_claims.claim_submit(
        claimant_name="Alex Roe",
        case_number="05F09876",
        summary="Alibi witness never called",
        claimant_email="alex@example.org",
    )
    services_claims.claim_screen(claim=claim, answers={c.code: True for c in f.criteria()}, actor=jti_chief)
    services_wall.claim_wall_add(claim=claim, users=[jti_staff], actor=jti_chief, note="Tried the case in 1998")
    services_claims.claim_dispose(claim=claim, disposition="declined", letter="We decline your claim", actor=jti_chief)
    testing = services_testing.pc1405_request_create(
        petitioner="Chris Poe",
        case_number="05f09876",
        court="Superior Court",
        served_ag_on=date(2026, 3, 2),
        served_da_on=date(2026, 3, 2),
        actor=jti_chief,
    )
    services_testing.evidence_item_add(
        request=testing,
        description="Bloody shirt",
        location="Crime lab 3",
        custodian="Property room",
        preservation="preserved",
        actor=jti_chief,
    )
    services_testing.pc1405_request_advance(request=testing, to_status="response_filed", actor=jti_chief)
    services_testing.pc1405_request_advance(
        request=testing, to_status="ordered", order_summary="Test it", actor=jti_chief
    )
    services_testing.pc1405_request_advance(request=testing, to_status="testing", lab="State lab", actor=jti_chief)
    services_testing.pc1405_request_advance(
        request=testing, to_status="result", result="No DNA of the petitioner", actor=jti_chief
    )
    entry = services_disclosure.disclosure_entry_create(
        actor=jti_chief, officer_name="Officer Pat Vega", agency="City Police", basis=DisclosureEntry.Basis.BIAS
    )
    services_disclosure.disclosure_reconsider(entry=entry, decision="pending", text="Asked by counsel", actor=jti_chief)
    return {"allegation": allegation, "claim": claim, "testing": testing, "entry": entry}


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.lower() in text.lower()]


def test_records_history_names_fields_never_values(records):
    entries = AuditEntry.objects.filter(object_type__startswith="integrity.")
    assert entries.count() >= 15
    dumped = json.dumps([[e.object_repr, e.before, e.after] for e in entries])
    assert _leaks(dumped) == []
    finding = entries.get(object_id=str(records["allegation"].public_id), after__step="finding")
    assert finding.before is None
    assert finding.after == {"fields": ["finding", "finding_summary", "status"], "step": "finding"}
    assert str(records["testing"]) == "PC 1405 request 05f09876"
    assert "Pat Vega" not in str(records["entry"])
    assert "Bloody shirt" not in str(EvidenceItem.objects.get())


def test_audit_record_applies_the_rule_to_any_caller(records, jti_chief):
    entry = audit_record(
        action="admin.change", obj=records["entry"], actor=jti_chief, before={"officer_name": "Officer Pat Vega"}
    )
    assert entry.before is None
    assert entry.after == {"fields": ["officer_name"]}
    export = audit_record(
        action="integrity.record.export", object_type="integrity.claim", after={"reason": "Board report", "rows": 3}
    )
    assert export.after == {"reason": "Board report", "rows": 3}


def test_administrator_reads_no_confidential_value_in_admin_or_dashboard(records, administrator, client_for):
    from jcr.core.audit import audit_entries_visible_to

    # Entries written before the rule (values in them) are hidden from the Administrator too.
    AuditEntry.objects.create(
        action="integrity.record.change",
        object_type="integrity.disclosureentry",
        object_id=str(records["entry"].public_id),
        object_repr="Officer Pat Vega (City Police)",
        before={"officer_name": "Officer Pat Vega"},
    )
    client = client_for(administrator)
    confidential = AuditEntry.objects.filter(object_type__startswith="integrity.")
    pages = [
        "/admin/core/auditentry/",
        "/admin/core/auditentry/?q=Vega",
        "/admin/core/auditentry/?object_type=integrity.allegation",
        "/admin/core/outboundemail/",
        "/admin/core/outboundemail/?q=dana",
        "/admin/",
        reverse("core:dashboard"),
        *(f"/admin/core/auditentry/{e.pk}/change/" for e in confidential[:5]),
        *(f"/admin/core/outboundemail/{e.pk}/change/" for e in OutboundEmail.objects.all()),
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert _leaks(body) == [], url
        for record in records.values():
            assert str(record.public_id) not in body, url
        for receipt in (records["allegation"].receipt_number, records["claim"].receipt_number):
            assert receipt not in body, url
    assert not audit_entries_visible_to(user=administrator).filter(object_type__startswith="integrity.").exists()


def test_confidential_emails_are_masked_for_the_administrator(records, administrator, jti_chief, client_for):
    from jcr.core.admin import outbound_email_readable_q

    emails = OutboundEmail.objects.filter(related_type="integrity.allegation")
    assert emails.count() == 2
    assert all(e.confidential for e in emails)
    assert OutboundEmail.objects.get(related_type="integrity.claim").confidential
    client = client_for(administrator)
    listing = client.get("/admin/core/outboundemail/").content.decode()
    assert "dana@example.org" not in listing
    assert "Confidential e-mail" in listing
    search = client.get("/admin/core/outboundemail/", {"q": "dana@example.org"}).content.decode()
    assert f"/admin/core/outboundemail/{emails[0].pk}/change/" not in search
    detail = client.get(f"/admin/core/outboundemail/{emails[0].pk}/change/").content.decode()
    assert "Your complaint was sustained" not in detail
    assert "the address, subject and text are shown only" in detail
    # The JTI Chief may read them (and a walled JTI member not the walled claim's).
    readable = OutboundEmail.objects.filter(outbound_email_readable_q(jti_chief))
    assert set(emails) <= set(readable)
    assert not OutboundEmail.objects.filter(outbound_email_readable_q(administrator), confidential=True).exists()


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"dana@example.org": (550, b"no such user dana@example.org")}), True),
        (smtplib.SMTPDataError(451, b"try later for dana@example.org"), False),
    ],
)
def test_confidential_email_errors_keep_no_address(records, error, permanent, caplog):
    email = OutboundEmail.objects.filter(related_type="integrity.allegation").first()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.PENDING)
    from jcr.core.services import outbound_email_send

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        outbound_email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == (OutboundEmail.Status.FAILED if permanent else OutboundEmail.Status.PENDING)
    assert "dana" not in email.last_error
    assert "dana" not in caplog.text


def test_walled_person_sees_nothing_of_the_claim_or_its_pc1405_requests(jti_staff, jti_chief, client_for):
    from jcr.core.audit import audit_entries_visible_to

    claim = f.claim(case_number="98F01234")
    same_case = f.testing_request(case_number="98f01234 ", petitioner="Chris Poe")
    other = f.testing_request(case_number="07F00001", petitioner="Robin Fay")
    allegation = f.allegation(case_number="98F01234")
    item = EvidenceItem.objects.create(
        request=same_case, description="Bloody shirt", location="Crime lab 3", custodian="x", preservation="preserved"
    )
    services.record_step_add(record=same_case, step="received", actor=jti_chief)
    staff = signed_in(client_for, jti_staff)
    # Before the wall, the staff member works the request; it shows in their recent activity.
    detail = reverse("integrity:testing_detail", kwargs={"public_id": same_case.public_id})
    assert staff.get(detail).status_code == 200
    assert staff.get(reverse("integrity:claim_detail", kwargs={"public_id": claim.public_id})).status_code == 200
    assert claim.receipt_number in staff.get(reverse("core:dashboard")).content.decode()

    services_wall.claim_wall_add(claim=claim, users=[jti_staff, jti_chief], actor=None)

    assert staff.get(detail).status_code == 404
    for name in ("testing_evidence", "testing_advance"):
        url = reverse(f"integrity:{name}", kwargs={"public_id": same_case.public_id})
        assert staff.post(url, {"to_status": "response_filed"}).status_code == 404, name
    listing = staff.get(reverse("integrity:testing_list")).content.decode()
    assert str(same_case.public_id) not in listing
    assert str(other.public_id) in listing
    # A misconduct allegation on the same case is walled off too.
    assert (
        staff.get(reverse("integrity:allegation_detail", kwargs={"public_id": allegation.public_id})).status_code == 404
    )
    assert allegation.receipt_number not in staff.get(reverse("integrity:allegation_list")).content.decode()
    for page in (reverse("core:dashboard"), reverse("integrity:records_home")):
        body = staff.get(page).content.decode()
        assert claim.receipt_number not in body, page
        assert str(same_case.public_id) not in body, page
        assert "Chris Poe" not in body, page
    # The audit trail: nothing about the claim or the request on its case.
    visible = audit_entries_visible_to(user=jti_staff)
    assert not visible.filter(object_id__in=[str(claim.public_id), str(same_case.public_id)]).exists()
    assert visible.filter(object_id=str(other.public_id)).exists() is False  # nobody opened it

    # The admin, for a walled JTI Chief who may also read the audit trail.
    jti_chief.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    chief = signed_in(client_for, jti_chief)
    for url in (
        "/admin/integrity/testingrequest/",
        "/admin/integrity/evidenceitem/",
        "/admin/integrity/recordstep/",
        "/admin/integrity/recorddeadline/",
        "/admin/integrity/claim/",
        "/admin/integrity/allegation/",
        "/admin/core/auditentry/",
        "/admin/core/auditentry/?q=98F01234",
    ):
        response = chief.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Bloody shirt" not in body, url
        assert "Chris Poe" not in body, url
        assert claim.receipt_number not in body, url
        assert allegation.receipt_number not in body, url
    assert "Robin Fay" in chief.get("/admin/integrity/testingrequest/").content.decode()
    for url in (
        f"/admin/integrity/testingrequest/{same_case.pk}/change/",
        f"/admin/integrity/evidenceitem/{item.pk}/change/",
    ):
        response = chief.get(url)
        assert response.status_code == 302, url  # "does not exist", back to the list
    steps = chief.get("/admin/integrity/recordstep/").content.decode()
    assert "conflict_wall" not in steps


def test_history_migration_scrubs_values_already_stored(records, jti_chief):
    from django.apps import apps

    migration = importlib.import_module("integrity.migrations.0006_confidential_history_scrub")
    testing, entry = records["testing"], records["entry"]
    old = [
        AuditEntry.objects.create(
            action="integrity.record.change",
            object_type="integrity.testingrequest",
            object_id=str(testing.public_id),
            object_repr="05f09876 (Chris Poe)",
            before={"result": ""},
            after={"result": "No DNA of the petitioner", "step": "result"},
        ),
        AuditEntry.objects.create(
            action="integrity.record.change",
            object_type="integrity.disclosureentry",
            object_id=str(entry.public_id),
            object_repr="Officer Pat Vega (City Police)",
            after={"officer_name": "Officer Pat Vega"},
        ),
        AuditEntry.objects.create(
            action="integrity.record.export",
            object_type="integrity.claim",
            after={"reason": "Board report", "rows": 2},
        ),
        AuditEntry.objects.create(action="outreach.thing.change", object_type="outreach.thing", after={"a": "b"}),
    ]
    OutboundEmail.objects.update(confidential=False)
    with connection.schema_editor() as editor:
        migration.forward(apps, editor)
    for row in old:
        row.refresh_from_db()
    assert (old[0].before, old[0].after) == (None, {"fields": ["result"], "step": "result"})
    assert old[0].object_repr == "PC 1405 request 05f09876"
    assert old[1].after == {"fields": ["officer_name"]}
    assert "Vega" not in old[1].object_repr
    assert old[2].after == {"reason": "Board report", "rows": 2}
    assert old[3].after == {"a": "b"}
    assert OutboundEmail.objects.filter(related_type="integrity.allegation", confidential=True).count() == 2


@pytest.mark.parametrize("kind", ["public form", "staff page"])
def test_error_reports_carry_no_confidential_value(kind, settings, mailoutbox, jti_staff, client_for):
    """A crash while a confidential record is handled e-mails the administrators a report
    without the POST values or the local variables (the traceback stays)."""
    from django.test import Client

    from integrity.records.tests.test_records_intake import allegation_data

    settings.ADMINS = [("Ops", "ops@da.example.gov")]
    if kind == "public form":
        client, url = Client(raise_request_exception=False), reverse("integrity:allegation_report")
        data = allegation_data(name="Dana Whitfield", description="Sergeant Lowe lied under oath")
        target = "integrity.records.services_allegations.allegation_submit"
    else:
        client = signed_in(client_for, jti_staff)
        client.raise_request_exception = False
        url, data = reverse("integrity:testing_new"), {"petitioner": "Chris Poe", "case_number": "05F1"}
        target = "integrity.records.views_staff_testing.TestingRequestForm.is_valid"
    with mock.patch(target, side_effect=RuntimeError("boom")):
        response = client.post(f"{url}?q=Chris+Poe", data)
    assert response.status_code == 500
    report = "\n".join(m.body + "".join(str(a[0]) for a in m.alternatives) for m in mailoutbox)
    assert "RuntimeError" in report
    assert "Dana Whitfield" not in report
    assert "Lowe" not in report
    assert "Chris Poe" not in report


def test_site_search_never_lists_a_confidential_model(records):
    from jcr.core import search
    from jcr.core.search import Source

    for q in ("Whitfield", "Chris Poe", "Vega", records["claim"].receipt_number):
        assert search.search(q, language="en").count() == 0, q
    source = Source(
        key="leak",
        label="Leak",
        queryset=lambda: DisclosureEntry.objects.all(),
        text={"en": ("officer_name",)},
        title={"en": "officer_name"},
        summary={"en": "agency"},
        url=lambda pk: f"/x/{pk}/",
        url_fields=("pk",),
    )
    with mock.patch.object(search, "_registered", [source]), pytest.raises(ImproperlyConfigured):
        list(search.search("Vega", language="en")[0:10])


def test_every_confidential_model_and_inline_in_admin_is_jti_only(administrator, client_for):
    """A guard for new admin classes: each confidential model's admin, and each inline of a
    confidential model wherever it appears, checks the JTI permission; the Administrator
    reaches none of them."""
    from django.contrib import admin

    from integrity.records.access import ConfidentialAdminMixin
    from jcr.core.audit import confidential_models

    client = client_for(administrator)
    registered = {m._meta.label_lower: a for m, a in admin.site._registry.items()}
    assert {"integrity.claim", "integrity.testingrequest", "core.auditentry"} <= set(registered)
    for label, model in confidential_models().items():
        model_admin = registered.get(label)
        if model_admin is not None:
            assert isinstance(model_admin, ConfidentialAdminMixin), label
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert client.get(url).status_code == 403, label
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            if inline.model._meta.label_lower in confidential_models():
                assert issubclass(inline, ConfidentialAdminMixin), inline
