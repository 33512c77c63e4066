"""PC 1405 requests after they are entered: the court continues the response date for good
cause (the court's date replaces the computed one, every continuance kept, the reminders planned
again), the assigned prosecutor gets the reminders (the JTI Chief when nobody is assigned, or
when a conflict wall now keeps the assignee out), and nobody walled off the case is assigned."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from integrity.records import services, services_testing
from integrity.records.models import RecordDeadline, RecordStep, TestingRequest
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import signed_in
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _request(**kwargs) -> TestingRequest:
    return services_testing.pc1405_request_create(
        petitioner="Chris Poe",
        case_number=kwargs.pop("case_number", "05F09876"),
        court="Superior Court",
        served_ag_on=TODAY - timedelta(days=10),
        served_da_on=TODAY - timedelta(days=12),
        actor=None,
        **kwargs,
    )


def _open(testing) -> list[tuple[date, date]]:
    rows = RecordDeadline.objects.filter(
        record_id=testing.pk, record_type="integrity.testingrequest", cancelled_at__isnull=True
    )
    return sorted({(d.due_on, d.remind_on) for d in rows})


def test_a_continuance_moves_the_due_date_and_the_reminders(jti_staff, client_for):
    testing = _request()
    computed = testing.response_due
    new_due = computed + timedelta(days=45)
    client = signed_in(client_for, jti_staff)
    response = client.post(
        reverse("integrity:testing_continuance", kwargs={"public_id": testing.public_id}),
        {"ordered_on": TODAY.isoformat(), "response_due": new_due.isoformat(), "cause": "Lab backlog"},
    )
    assert response.status_code == 302
    testing.refresh_from_db()
    assert testing.response_due == new_due
    assert {due for due, _remind in _open(testing)} == {new_due}, "old reminders cancelled, new ones planned"
    assert RecordDeadline.objects.filter(record_id=testing.pk, due_on=computed, cancelled_at__isnull=False).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"continued by court order of {date_format(TODAY, 'DATE_FORMAT')}" in page
    assert "Pen. Code § 1405, subd. (d)" not in page, "the court's order replaces the statutory citation"
    assert "Continued by the court" in page, "a timeline entry with its label"
    assert AuditEntry.objects.filter(
        action="integrity.record.change", object_id=str(testing.public_id), after__step="continued"
    ).exists()


def test_every_continuance_is_kept_and_the_latest_is_in_force():
    testing = _request()
    first, second = testing.response_due + timedelta(days=30), testing.response_due + timedelta(days=60)
    services_testing.pc1405_continuance_record(
        request=testing, ordered_on=TODAY - timedelta(days=3), response_due=first, cause="Counsel ill", actor=None
    )
    services_testing.pc1405_continuance_record(
        request=testing, ordered_on=TODAY, response_due=second, cause="Lab backlog", actor=None
    )
    testing.refresh_from_db()
    history = [(c.previous_due, c.response_due) for c in testing.continuances.order_by("recorded_at", "id")]
    assert history == [(first - timedelta(days=30), first), (first, second)]
    assert services_testing.continuance_in_force(testing).response_due == second == testing.response_due
    assert {due for due, _remind in _open(testing)} == {second}
    assert RecordStep.objects.filter(record_id=testing.pk, step="continued").count() == 2


@pytest.mark.parametrize(
    ("ordered", "due", "cause", "filed"),
    [
        (0, 30, "", False),  # no cause
        (-1, 30, "Cause", False),  # an order dated tomorrow
        (10, -15, "Cause", False),  # the new date before the order (10 days ago)
        (0, 30, "Cause", True),  # the response is filed
    ],
)
def test_a_continuance_that_cannot_be_is_refused_and_nothing_moves(ordered, due, cause, filed):
    testing = _request()
    if filed:
        services_testing.pc1405_request_advance(request=testing, to_status="response_filed", actor=None)
    before, planned = testing.response_due, _open(testing)
    with pytest.raises(ValidationError):
        services_testing.pc1405_continuance_record(
            request=testing,
            ordered_on=TODAY - timedelta(days=ordered),
            response_due=TODAY + timedelta(days=due) if not filed else before + timedelta(days=due),
            cause=cause,
            actor=None,
        )
    testing.refresh_from_db()
    assert testing.response_due == before
    assert _open(testing) == planned
    assert not testing.continuances.exists()


@pytest.mark.parametrize("who", ["walled", "outside_jti"])
def test_a_walled_person_or_someone_outside_jti_cannot_be_assigned(who, jti_staff, jti_chief, client_for):
    testing = _request()
    person = jti_staff
    if who == "walled":
        f.claim(case_number=" 05f09876 ").conflicted_users.add(jti_staff)
    else:
        person = StaffFactory(email="comms@da.example.gov", roles=[roles.COMMUNITY_PROSECUTOR])
    assert person not in services_testing.assignable_prosecutors(testing)
    assert jti_chief in services_testing.assignable_prosecutors(testing)
    with pytest.raises(ValidationError):
        services_testing.pc1405_request_assign(request=testing, person=person, actor=jti_chief)
    signed_in(client_for, jti_chief).post(
        reverse("integrity:testing_assign", kwargs={"public_id": testing.public_id}), {"person": person.pk}
    )
    testing.refresh_from_db()
    assert testing.assigned_to is None


def test_the_chief_assigns_a_prosecutor_and_the_pending_reminders_follow(jti_staff, jti_chief, client_for):
    testing = _request()
    response = signed_in(client_for, jti_chief).post(
        reverse("integrity:testing_assign", kwargs={"public_id": testing.public_id}), {"person": jti_staff.pk}
    )
    assert response.status_code == 302
    testing.refresh_from_db()
    assert testing.assigned_to == jti_staff
    rows = RecordDeadline.objects.filter(record_id=testing.pk, record_type="integrity.testingrequest")
    assert {d.remind_to_id for d in rows.filter(label="Response")} == {jti_staff.pk}
    assert rows.get(label="Response overdue").remind_to is None, "the overdue notice goes to the chief"
    assert RecordStep.objects.filter(record_id=testing.pk, step="prosecutor_assigned").exists()


def _sent_for(testing, label: str) -> set[str]:
    deadline = RecordDeadline.objects.filter(record_id=testing.pk, label=label).order_by("remind_on").first()
    services.record_deadline_reminders_send(today=deadline.remind_on)
    return set(
        OutboundEmail.objects.filter(template="integrity/record_deadline", related_id=str(deadline.pk)).values_list(
            "to", flat=True
        )
    )


@pytest.mark.parametrize(
    ("assigned", "walled_later", "label", "expected"),
    [
        (True, False, "Response", "assignee"),
        (False, False, "Response", "chief"),
        (True, True, "Response", "chief"),  # a wall set since the assignment keeps the assignee out
        (True, False, "Response overdue", "chief"),  # escalation to the supervisor
    ],
)
def test_reminders_go_to_the_assignee_else_the_chief(assigned, walled_later, label, expected, jti_staff, jti_chief):
    testing = _request(assigned_to=jti_staff if assigned else None)
    if walled_later:
        f.claim(case_number="05F09876").conflicted_users.add(jti_staff)
    assert _sent_for(testing, label) == {(jti_staff if expected == "assignee" else jti_chief).email}
