"""Retention schedules as data, the monthly disposition run a records officer approves, the
dispose/anonymise buttons on a record's page, and the legal hold on the paths the ORM and the
database add (service, admin and command paths: test_records_holds.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from integrity.records import retention, services, services_retention
from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.models import Allegation, Claim, DisclosureEntry, RecordStep, TestingRequest
from integrity.records.models_retention import DispositionItem, DispositionRun, RetentionSchedule
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

FACTORIES = {
    Allegation: f.allegation,
    Claim: f.claim,
    TestingRequest: f.testing_request,
    DisclosureEntry: f.disclosure_entry,
}


def _schedule(record_type="integrity.allegation", **kwargs) -> RetentionSchedule:
    """A schedule in force from today (it replaces the seeded one, which started in 2000)."""
    values = {"name": "Test", "period_years": 2, "trigger": "created", "disposition": "destroy"}
    values |= {"citation": "Gov. Code § 26202", "effective_from": timezone.localdate() - timedelta(days=1)}
    return RetentionSchedule.objects.create(record_type=record_type, **values | kwargs)


def _due(factory=f.allegation, disposition="destroy", **kwargs):
    """A record whose retention date (computed from a two-year schedule) has passed."""
    record = factory(**kwargs)
    record_type = record._meta.label_lower
    if not RetentionSchedule.objects.filter(record_type=record_type, name="Test").exists():
        _schedule(record_type, disposition=disposition)
    type(record)._base_manager.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=3 * 366))
    record.refresh_from_db()
    retention.retention_refresh(record)
    return record


def _denied(record):
    return list(
        AuditEntry.objects.filter(action="integrity.record.denied", object_id=str(record.public_id)).order_by("id")
    )


# --- Schedules ----------------------------------------------------------------------------


def test_seeded_schedules_are_unverified_and_cite_what_they_rest_on(jti_chief):
    seeded = RetentionSchedule.objects.filter(effective_from=date(2000, 1, 1))
    assert sorted(seeded.values_list("record_type", flat=True)) == sorted(
        m._meta.label_lower for m in retention.RETAINED_MODELS
    )
    for schedule in seeded:
        assert schedule.verified_on is None
        assert schedule.disposition == "review", "nothing destroyed on an unchecked rule"
        assert "26202" in schedule.citation
        assert "34090" in schedule.notes, "the notes say why the city statute does not apply"
    assert jti_chief.has_perm(services_retention.APPROVE_PERMISSION)
    task = PeriodicTask.objects.get(task="integrity.records.disposition_run_create")
    assert task.crontab.day_of_month == "1"


LATER = "two years from today"


@pytest.mark.parametrize(
    ("trigger", "fields", "expected"),
    [
        ("created", {}, date(2028, 3, 31)),
        ("last_update", {}, LATER),
        ("closed", {"status": "closed"}, LATER),
        ("closed", {}, None),
        ("case_final", {"case_final_on": date(2025, 8, 31)}, date(2027, 8, 31)),
        ("case_final", {}, None),
    ],
)
def test_retention_date_is_computed_from_schedule_and_trigger(trigger, fields, expected):
    schedule = _schedule(trigger=trigger, period_years=1, period_months=12)
    record = f.allegation(**fields)
    received = timezone.make_aware(timezone.datetime(2026, 3, 31, 12))
    Allegation.objects.filter(pk=record.pk).update(created_at=received)
    record.refresh_from_db()
    assert retention.retention_refresh(record) is True
    record.refresh_from_db()
    today = timezone.localdate()
    assert record.retention_until == (retention.add_months(today, 24) if expected == LATER else expected)
    assert record.retention_schedule == schedule
    assert record.closed_on == (today if "status" in fields else None)
    assert retention.retention_refresh(record) is False, "nothing written when nothing changed"


def test_closing_a_record_starts_its_retention(jti_staff):
    from integrity.records import services_disclosure

    entry = f.disclosure_entry()
    services_disclosure.disclosure_reconsider(entry=entry, decision="pending", text="", actor=jti_staff)
    services_disclosure.disclosure_reconsider(entry=entry, decision="removed", text="Finding reversed", actor=jti_staff)
    entry.refresh_from_db()
    assert entry.closed_on == timezone.localdate()
    assert entry.retention_until == retention.add_months(timezone.localdate(), 5 * 12)


def test_staff_only_extend_retention_with_a_reason_and_the_page_cites_the_schedule(jti_staff, client_for):
    _schedule(citation="Pen. Code § 832.5(b)", policy_url="https://leginfo.legislature.ca.gov/x")
    record = f.allegation()
    retention.retention_refresh(record)
    floor = record.retention_until
    for bad in (
        {"extended_until": floor - timedelta(days=1), "reason": "Shorter"},
        {"extended_until": floor + timedelta(days=9)},
    ):
        with pytest.raises(services.ValidationError):
            services_retention.record_retention_set(record=record, actor=jti_staff, legal_hold=False, **bad)
    later = floor + timedelta(days=400)
    services_retention.record_retention_set(
        record=record, actor=jti_staff, legal_hold=False, extended_until=later, reason="Civil claim filed"
    )
    record.refresh_from_db()
    assert record.retention_until == later
    page = signed_in(client_for, jti_staff).get(
        reverse("integrity:allegation_detail", kwargs={"public_id": record.public_id})
    )
    html = page.content.decode()
    assert "Pen. Code § 832.5(b)" in html
    assert "https://leginfo.legislature.ca.gov/x" in html
    assert "Civil claim filed" in html
    assert (
        reverse("integrity:record_disposal", kwargs={"kind": "allegation", "public_id": record.public_id}) not in html
    )


@pytest.mark.parametrize("persona", ["jti_staff", "jti_chief"])
def test_schedules_are_edited_in_admin_by_the_jti_chief_only_and_audited(persona, personas, client_for):
    user = personas[persona]
    schedule = RetentionSchedule.objects.get(record_type="integrity.claim")
    closed = f.claim(status="disposed")
    client = signed_in(client_for, user)
    url = f"/admin/integrity/retentionschedule/{schedule.pk}/change/"
    data = {
        "record_type": schedule.record_type,
        "name": schedule.name,
        "period_years": 3,
        "period_months": 0,
        "trigger": "closed",
        "disposition": "review",
        "citation": schedule.citation,
        "policy_url": schedule.policy_url,
        "effective_from": "2000-01-01",
        "notes": schedule.notes,
    }
    response = client.post(url, data)
    schedule.refresh_from_db()
    closed.refresh_from_db()
    if persona == "jti_staff":
        assert response.status_code in (302, 403)
        assert schedule.period_years == 10
        return
    assert response.status_code == 302
    assert schedule.period_years == 3
    assert closed.retention_until == retention.add_months(timezone.localdate(), 36), "recomputed on save"
    entry = AuditEntry.objects.get(action="admin.change", object_type="integrity.retentionschedule")
    assert entry.after["period_years"] == 3
    assert entry.actor_id == user.pk
    assert client.post(f"/admin/integrity/retentionschedule/{schedule.pk}/delete/", {"post": "yes"}).status_code == 403


# --- The monthly run ----------------------------------------------------------------------


def test_monthly_run_lists_due_records_not_on_hold_once(jti_chief):
    due = _due()
    due_claim = _due(f.claim)
    held = _due(legal_hold=True)
    _due(is_deleted=True)
    f.allegation()  # not yet due
    run = services_retention.disposition_run_create()
    assert {(i.record_type, i.record_id) for i in run.items.all()} == {
        ("integrity.allegation", due.pk),
        ("integrity.claim", due_claim.pk),
    }
    assert held.pk not in run.items.values_list("record_id", flat=True)
    assert run.status == DispositionRun.Status.OPEN
    assert run.summary == {"listed": 2}
    assert services_retention.disposition_run_create() is None, "one run a month"
    assert OutboundEmail.objects.filter(to=jti_chief.email).count() == 1
    assert Allegation.objects.filter(pk=due.pk, is_deleted=False).exists(), "listing disposes of nothing"


def test_approval_carries_out_each_disposition_rechecks_holds_and_audits(jti_chief):
    destroy = _due()
    anonymise = _due(f.claim, disposition="anonymise", claimant_name="Alex Roe")
    excluded = _due(complainant_name="Kept")
    late_hold = _due(f.testing_request, disposition="archive")
    run = services_retention.disposition_run_create()
    TestingRequest.objects.filter(pk=late_hold.pk).update(legal_hold=True)  # placed after the listing
    item = {i.record_id: i for i in run.items.all()}
    with pytest.raises(services.ValidationError):
        services_retention.disposition_run_approve(run=run, actor=jti_chief, exclusions={item[excluded.pk].pk: " "})
    summary = services_retention.disposition_run_approve(
        run=run, actor=jti_chief, exclusions={item[excluded.pk].pk: "Audit pending"}
    )
    assert summary == {"done": 2, "held": 1, "not_due": 0, "excluded": 1, "listed": 4}
    assert Allegation.objects.get(pk=destroy.pk).is_deleted
    assert Claim.objects.get(pk=anonymise.pk).claimant_name == ""
    assert not Allegation.objects.get(pk=excluded.pk).is_deleted
    assert not TestingRequest.objects.get(pk=late_hold.pk).is_deleted
    assert [e.after["route"] for e in _denied(late_hold)] == ["disposition_run"]
    outcomes = dict(
        DispositionItem.objects.values_list("record_id", "outcome").filter(record_type="integrity.allegation")
    )
    assert outcomes == {destroy.pk: "done", excluded.pk: ""}
    assert AuditEntry.objects.filter(action="integrity.disposition.item").count() == 4
    approval = AuditEntry.objects.get(action="integrity.disposition.approve")
    assert approval.after == summary
    assert approval.actor_id == jti_chief.pk
    with pytest.raises(services.ValidationError):
        services_retention.disposition_run_approve(run=run, actor=jti_chief, exclusions={})
    # Anonymised records are not listed again next month.
    assert services_retention._already_done("integrity.claim") == {anonymise.pk}


def test_run_page_needs_the_permission_and_a_recent_sign_in_to_approve(jti_staff, jti_chief, client_for):
    record = _due()
    run = services_retention.disposition_run_create()
    url = reverse("integrity:disposition_run", kwargs={"run_id": run.public_id})
    assert signed_in(client_for, jti_staff).post(url).status_code == 404
    stale = signed_in(client_for, jti_chief, seconds_ago=REAUTH_AFTER_SECONDS + 5)
    assert stale.post(url)["Location"].startswith(reverse("account_reauthenticate"))
    client = signed_in(client_for, jti_chief)
    page = client.get(url).content.decode()
    assert record.receipt_number in page
    assert reverse("integrity:disposition_run_list") in page
    client.post(url)
    run.refresh_from_db()
    assert run.status == DispositionRun.Status.DONE
    assert run.approved_by == jti_chief
    assert Allegation.objects.get(pk=record.pk).is_deleted


def test_walled_approver_cannot_approve_a_run_with_that_claim(jti_chief):
    claim = _due(f.claim)
    claim.conflicted_users.add(jti_chief)
    run = services_retention.disposition_run_create()
    with pytest.raises(services.ValidationError):
        services_retention.disposition_run_approve(run=run, actor=jti_chief, exclusions={})
    assert DispositionRun.objects.get(pk=run.pk).status == DispositionRun.Status.OPEN


# --- Buttons on a record's page -----------------------------------------------------------


@pytest.mark.parametrize("action", ["dispose", "anonymise"])
def test_dispose_and_anonymise_buttons_for_due_records_not_on_hold(action, jti_staff, jti_chief, client_for):
    record = _due(complainant_name="Dana W")
    url = reverse("integrity:record_disposal", kwargs={"kind": "allegation", "public_id": record.public_id})
    detail = reverse("integrity:allegation_detail", kwargs={"public_id": record.public_id})
    data = {"action": action, "reason": "Schedule passed", "confirm": "on"}
    assert signed_in(client_for, jti_staff).post(url, data).status_code == 404
    client = signed_in(client_for, jti_chief)
    assert url in client.get(detail).content.decode()
    client.post(url, data | {"confirm": ""})
    record.refresh_from_db()
    assert not record.is_deleted, "not without the confirmation"
    assert record.complainant_name == "Dana W"
    client.post(url, data)
    record.refresh_from_db()
    assert (record.is_deleted, record.complainant_name) == ((True, "Dana W") if action == "dispose" else (False, ""))
    step = "disposed" if action == "dispose" else "anonymised"
    assert RecordStep.objects.filter(record_id=record.pk, step=step, note="Schedule passed").exists()
    held = _due(legal_hold=True)
    held_url = reverse("integrity:record_disposal", kwargs={"kind": "allegation", "public_id": held.public_id})
    assert (
        held_url
        not in client.get(reverse("integrity:allegation_detail", kwargs={"public_id": held.public_id})).content.decode()
    )
    client.post(held_url, data)
    assert not Allegation.objects.get(pk=held.pk).is_deleted
    assert [e.after["route"] for e in _denied(held)] == [services_retention.PAGE_ROUTE]


# --- Legal hold: the ORM and the database -------------------------------------------------


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.model_name)
def test_bulk_queryset_delete_and_update_refuse_held_rows_and_log_it(model):
    held = FACTORIES[model](legal_hold=True)
    free = FACTORIES[model]()
    with pytest.raises(services.RecordOnHold):
        model.objects.filter(pk__in=[held.pk, free.pk]).delete()
    with pytest.raises(services.RecordOnHold):
        model.active.filter(pk__in=[held.pk, free.pk]).update(is_deleted=True)
    with pytest.raises(services.RecordOnHold):
        held.delete()
    assert model.objects.filter(pk__in=[held.pk, free.pk], is_deleted=False).count() == 2
    assert [(e.after["route"], e.after["reason"]) for e in _denied(held)] == [
        ("orm:queryset_delete", "legal_hold"),
        ("orm:queryset_update", "legal_hold"),
        ("orm:delete", "legal_hold"),
    ]
    assert model.objects.filter(pk=free.pk).update(is_deleted=True) == 1


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m._meta.model_name)
def test_raw_sql_delete_of_a_held_row_hits_the_database_trigger(model):
    held = FACTORIES[model](legal_hold=True)
    with pytest.raises(IntegrityError, match="legal hold"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [held.pk])  # noqa: S608 (a model's table)
    assert model.objects.filter(pk=held.pk).exists()


def test_admin_bulk_delete_action_posted_anyway_deletes_nothing(jti_chief, client_for):
    held = f.claim(legal_hold=True)
    client = signed_in(client_for, jti_chief)
    client.post("/admin/integrity/claim/", {"action": "delete_selected", "_selected_action": [held.pk], "post": "yes"})
    assert Claim.objects.filter(pk=held.pk, is_deleted=False).exists()
