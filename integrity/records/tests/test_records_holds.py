"""A legal hold holds everywhere: a record on hold is not deleted, soft-deleted, disposed of or
anonymised through any path - the services, the staff page, the admin's change form, bulk
actions and delete page, the management command, the ORM's delete, and a raw update (the
database's check constraint). Every refused attempt is logged as `integrity.record.denied`
with the reason `legal_hold`, naming fields, never values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from integrity.records import services
from integrity.records.models import Allegation, Claim, DisclosureEntry, RecordStep, TestingRequest
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FACTORIES = {
    Allegation: f.allegation,
    Claim: f.claim,
    TestingRequest: f.testing_request,
    DisclosureEntry: f.disclosure_entry,
}
DELETION = {"fields": ["deleted_at", "is_deleted"], "reason": "legal_hold", "step": "delete"}


def _past():
    return timezone.localdate() - timedelta(days=30)


def _refusals(record):
    return list(
        AuditEntry.objects.filter(action="integrity.record.denied", object_id=str(record.public_id)).order_by("id")
    )


def _still_there(record):
    record.refresh_from_db()
    assert record.legal_hold
    assert not record.is_deleted
    assert record.deleted_at is None


# --- Service calls ------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.model_name)
def test_service_refuses_soft_delete_dispose_and_anonymise_under_hold(model, jti_staff):
    record = FACTORIES[model](legal_hold=True, retention_until=_past())
    with pytest.raises(services.RecordOnHold):
        services.record_soft_delete(record=record, actor=jti_staff, reason="Old")
    with pytest.raises(services.RecordOnHold):
        services.record_dispose(record=record, actor=jti_staff, note="Schedule 3")
    with pytest.raises(services.RecordOnHold):
        services.record_anonymise(record=record, actor=jti_staff, reason="Request")
    _still_there(record)
    assert not RecordStep.objects.filter(record_id=record.pk).exists()
    refusals = _refusals(record)
    assert [r.after["step"] for r in refusals] == ["delete", "dispose", "anonymise"]
    assert all(r.actor_id == jti_staff.pk and r.after["route"] == "service" for r in refusals)
    assert refusals[0].after == {**DELETION, "route": "service"}
    anonymise = refusals[2].after["fields"]
    assert anonymise == sorted(services.ANONYMISED_FIELDS[model._meta.label_lower])
    assert refusals[2].before is None


def test_refusal_names_fields_never_values(jti_staff):
    claim = f.claim(legal_hold=True, claimant_name="Alex Roe", writer="family", writer_name="Sam Roe")
    with pytest.raises(services.RecordOnHold):
        services.record_anonymise(record=claim, actor=jti_staff, reason="Asked by Sam Roe")
    (entry,) = _refusals(claim)
    text = f"{entry.before} {entry.after} {entry.object_repr}"
    assert "Roe" not in text
    assert "writer_name" in entry.after["fields"]
    assert "claimant_name" in entry.after["fields"]


def test_without_a_hold_the_services_do_their_work(jti_staff):
    allegation = f.allegation(retention_until=_past(), complainant_name="Dana W", complainant_phone="555")
    assert services.record_anonymise(record=allegation, actor=jti_staff, reason="Schedule") == [
        "complainant_name",
        "complainant_email",
        "complainant_phone",
    ]
    allegation.refresh_from_db()
    assert (allegation.complainant_name, allegation.complainant_phone) == ("", "")
    services.record_dispose(record=allegation, actor=jti_staff, note="Schedule 3")
    allegation.refresh_from_db()
    assert allegation.is_deleted
    assert RecordStep.objects.filter(record_id=allegation.pk, step="disposed").exists()
    # Not yet past its retention date: not disposed of.
    young = f.allegation(retention_until=timezone.localdate() + timedelta(days=1))
    with pytest.raises(services.ValidationError):
        services.record_dispose(record=young, actor=jti_staff)
    assert not _refusals(allegation)


# --- Staff page ---------------------------------------------------------------------------


def test_staff_page_refuses_to_delete_a_held_record_and_logs_it(jti_staff, client_for):
    allegation = f.allegation(legal_hold=True)
    client = signed_in(client_for, jti_staff)
    url = reverse("integrity:record_delete", kwargs={"kind": "allegation", "public_id": allegation.public_id})
    response = client.post(url, {"reason": "Old"}, follow=True)
    assert "on legal hold" in response.content.decode()
    _still_there(allegation)
    (entry,) = _refusals(allegation)
    assert entry.after == {**DELETION, "route": "staff:record_delete"}
    assert entry.actor_id == jti_staff.pk


# --- Admin --------------------------------------------------------------------------------


def _admin_form_data(response) -> dict:
    """The POST data of an admin change page as it stands (fields and inline management forms)."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, AdminSplitDateTime):
            data[f"{name}_0"], data[f"{name}_1"] = ("", "") if not value else (value.date(), value.time())
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    return data


def test_admin_change_form_refuses_ticking_deleted_on_a_held_record(jti_chief, client_for):
    """The reported bypass: the JTI Chief ticked "deleted" on a held record in the admin."""
    allegation = f.allegation(legal_hold=True)
    client = signed_in(client_for, jti_chief)
    url = f"/admin/integrity/allegation/{allegation.pk}/change/"
    data = _admin_form_data(client.get(url)) | {"is_deleted": "on"}
    response = client.post(url, data)
    assert response.status_code == 200, "the form comes back with the error"
    assert "on legal hold" in response.content.decode()
    _still_there(allegation)
    (entry,) = _refusals(allegation)
    assert entry.after == {**DELETION, "route": "admin:change"}
    # Ticking both the hold and "deleted" on a record that was not held is refused too.
    free = f.allegation()
    url = f"/admin/integrity/allegation/{free.pk}/change/"
    data = _admin_form_data(client.get(url)) | {"is_deleted": "on", "legal_hold": "on"}
    assert client.post(url, data).status_code == 200
    free.refresh_from_db()
    assert not free.is_deleted
    # Other changes to a held record still save.
    url = f"/admin/integrity/allegation/{allegation.pk}/change/"
    data = _admin_form_data(client.get(url)) | {"subject": "Records unit"}
    assert client.post(url, data).status_code == 302
    allegation.refresh_from_db()
    assert allegation.subject == "Records unit"


def test_admin_bulk_actions_refuse_held_records_and_log_each(jti_chief, client_for):
    held = f.allegation(legal_hold=True, retention_until=_past())
    free = f.allegation(retention_until=_past())
    client = signed_in(client_for, jti_chief)
    changelist = "/admin/integrity/allegation/"
    page = client.get(changelist).content.decode()
    assert "mark_deleted" in page
    assert "delete_selected" not in page
    response = client.post(changelist, {"action": "mark_deleted", "_selected_action": [held.pk, free.pk]}, follow=True)
    assert "on legal hold" in response.content.decode()
    _still_there(held)
    free.refresh_from_db()
    assert free.is_deleted
    client.post(changelist, {"action": "dispose_of_selected", "_selected_action": [held.pk]})
    _still_there(held)
    assert [(e.after["step"], e.after["route"]) for e in _refusals(held)] == [
        ("delete", "admin:action"),
        ("dispose", "admin:action"),
    ]


def test_admin_delete_page_stays_closed_and_an_attempt_on_a_held_record_is_logged(jti_chief, client_for):
    held = f.claim(legal_hold=True)
    client = signed_in(client_for, jti_chief)
    assert client.get(f"/admin/integrity/claim/{held.pk}/delete/").status_code == 403
    assert client.post(f"/admin/integrity/claim/{held.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=held.pk, is_deleted=False).exists()
    assert [e.after["route"] for e in _refusals(held)] == ["admin:delete", "admin:delete"]


# --- Management command -------------------------------------------------------------------


@pytest.mark.parametrize("action", ["dispose", "delete", "anonymise"])
def test_management_command_refuses_held_records(action, jti_chief):
    held = f.testing_request(legal_hold=True, retention_until=_past())
    free = f.testing_request(retention_until=_past(), case_number="07F1")
    with pytest.raises(CommandError):
        call_command(
            "records_retention",
            action,
            "testing",
            str(held.public_id),
            str(free.public_id),
            "--by",
            jti_chief.email,
            "--reason",
            "Schedule 3",
        )
    _still_there(held)
    (entry,) = _refusals(held)
    assert entry.after["step"] == action
    assert entry.after["route"] == "command:records_retention"
    free.refresh_from_db()
    assert free.is_deleted or action == "anonymise"


# --- ORM and database ---------------------------------------------------------------------


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.model_name)
def test_raw_update_hits_the_database_constraint(model):
    """The plain manager (no refusal of its own, unlike the records' QuerySet) reaches the
    database, whose check constraint refuses."""
    record = FACTORIES[model](legal_hold=True)
    constraint = f"integrity_{model._meta.model_name}_hold_not_deleted"
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model._base_manager.filter(pk=record.pk).update(is_deleted=True)
    _still_there(record)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.model_name)
def test_hard_delete_of_a_held_record_is_refused(model):
    record = FACTORIES[model](legal_hold=True)
    with pytest.raises(services.RecordOnHold), transaction.atomic():
        record.delete()
    with pytest.raises(services.RecordOnHold), transaction.atomic():
        model.objects.filter(pk=record.pk).delete()
    assert model.objects.filter(pk=record.pk).exists()


def test_the_migration_restores_records_deleted_on_hold():
    """Rows deleted while on hold before the constraint existed: the hold wins."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("integrity.migrations.0009_records_legal_hold_constraint")
    claim = f.claim()
    # The state the old admin left behind, written past the constraint as it could be then.
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events before ALTER
            cursor.execute(f"ALTER TABLE {Claim._meta.db_table} DROP CONSTRAINT integrity_claim_hold_not_deleted")
            Claim.objects.filter(pk=claim.pk).update(legal_hold=True, is_deleted=True, deleted_at=timezone.now())
            migration.restore_held_and_deleted(apps, None)
            cursor.execute(
                f"ALTER TABLE {Claim._meta.db_table} ADD CONSTRAINT integrity_claim_hold_not_deleted "
                "CHECK (NOT (is_deleted AND legal_hold))"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    _still_there(claim)
    assert RecordStep.objects.filter(record_id=claim.pk, step="restored_legal_hold").exists()
