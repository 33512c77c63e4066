"""MCLE records: versions of the rule set chosen by the period's end, the coordinators' entry
page (State Bar record, credit earned elsewhere capped by the minutes attended), their CSV,
the reminders 90, 30 and 7 days before a group's deadline, and who may open what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from integrity.training import selectors, services_mcle, tasks
from integrity.training.models import Attendance, ComplianceGroup, ExternalCredit, MCLEProfile, MCLEReminder
from integrity.training.tests.factories import (
    COMPLIANT_HOURS,
    attorney,
    credit_session,
    external_credit,
    non_attorney,
    pdf_bytes,
)
from jcr.accounts.tests.factories import StaffFactory
from jcr.core import work
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db

JTI = {"jti_staff", "jti_chief"}
D = Decimal


def _today():
    return timezone.localdate()


def _compliant(user):
    Attendance.objects.create(session=credit_session(hours=COMPLIANT_HOURS), user=user)
    return user


def _group3_ends_in(days: int):
    end = _today() + timedelta(days=days)
    ComplianceGroup.objects.filter(number=3).update(period_end=end)
    return end


def _version_with_more_ethics(*, starts):
    """Version 2 of rule 2.72: six hours of ethics instead of four, from `starts`."""
    current = selectors.rule_set_in_force(on=_today())
    minimums = {m.category: m.hours for m in current.minimums.all()} | {"ethics": D("6")}
    values = {f: getattr(current, f) for f in services_mcle.VERSIONED_FIELDS}
    return services_mcle.rule_set_version_create(effective_from=starts, actor=None, minimums=minimums, **values)


@pytest.mark.parametrize(
    ("period_ends", "version", "compliant"),
    [(59, 1, True), (60, 2, False), (400, 2, False)],
    ids=["ends-the-day-before", "ends-the-first-day", "ends-later"],
)
def test_period_judged_by_the_version_in_force_at_its_end(period_ends, version, compliant):
    _version_with_more_ethics(starts=_today() + timedelta(days=60))
    _group3_ends_in(period_ends)
    deputy = _compliant(attorney(group=3))
    row = selectors.standings_bulk(users=[selectors.staff_members().get(pk=deputy.pk)])[0]
    assert (row.rule_set.version, row.compliant) == (version, compliant)
    assert selectors.rule_set_in_force(on=_today()).version == 1  # the one in force today


@pytest.mark.parametrize(
    ("minutes", "hours", "recorded", "capped"),
    [(50, None, "0.75", False), (50, "1", "0.75", True), (90, "1", "1", False), (74, "1.25", "1", True)],
)
def test_external_credit_capped_by_minutes_to_the_quarter_hour(jti_staff, minutes, hours, recorded, capped):
    deputy = attorney(group=3)
    credit, was_capped = services_mcle.external_credit_add(
        user=deputy, actor=jti_staff, provider="County Bar", course_title="Ethics", earned_on=_today(),
        minutes=minutes, category="ethics", hours=D(hours) if hours else None, self_study=False,
    )  # fmt: skip
    assert (credit.hours, was_capped) == (D(recorded), capped)


def test_coordinator_enters_the_state_bar_record_and_credit_with_a_certificate(client_for, jti_staff, gr_analyst):
    person = StaffFactory(full_name="Robert Hale Jr.")
    client = client_for(jti_staff)
    url = reverse("integrity:training_mcle_person", kwargs={"public_id": person.public_id})
    page = client.get(url).content.decode()
    assert "Rules of the State Bar, rule 2.72" in page
    assert "not yet verified" in page
    record = {"action": "record", "status": "3", "bar_number": "287654", "admitted_on": "2012-12-03"}
    assert client.post(url, record | {"bar_number": ""}).status_code == 200  # an attorney needs a bar number
    assert client.post(url, record).status_code == 302
    assert MCLEProfile.objects.get(user=person).group_number == 3
    certificate = SimpleUploadedFile("cert.pdf", pdf_bytes(), content_type="application/pdf")
    credit = {"action": "credit", "provider": "County Bar", "course_title": "Civility", "category": "civility",
              "earned_on": str(_today()), "minutes": "70", "hours": "1.5", "self_study": "participatory"}  # fmt: skip
    assert client.post(url, credit | {"certificate": certificate}).status_code == 302
    entered = ExternalCredit.objects.get(user=person)
    assert (entered.hours, entered.recorded_by, entered.certificate_type) == (D("1"), jti_staff, "application/pdf")
    row = selectors.standings_bulk(users=[selectors.staff_members().get(pk=person.pk)])[0]
    assert row.standing.by_category["civility"] == D("1")
    assert AuditEntry.objects.filter(action="integrity.training.mcle_credit_add").exists()
    fake = SimpleUploadedFile("cert.pdf", b"<html>not a certificate</html>", content_type="application/pdf")
    assert client.post(url, credit | {"certificate": fake}).status_code == 200
    assert ExternalCredit.objects.filter(user=person).count() == 1
    cert_url = reverse("integrity:training_mcle_certificate", kwargs={"public_id": entered.public_id})
    assert client_for(person).get(cert_url).status_code == 200  # the person's own certificate
    assert client_for(gr_analyst).get(cert_url).status_code == 404


def test_export_lists_attorneys_with_their_hours_and_leaves_out_non_attorneys(client_for, jti_chief):
    short = attorney(group=3, full_name="Ana Quintero", bar_number="111111")
    _compliant(attorney(group=3, full_name="Sam Rivera", bar_number="222222"))
    non_attorney(full_name="Nia Zamora")
    external_credit(user=short, category="ethics", hours=D("1"), minutes=60)
    response = client_for(jti_chief).get(reverse("integrity:training_mcle_export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:5] == ["Name", "State Bar number", "Group", "Period", "Deadline"]
    assert header[-5:] == ["Participatory", "Total", "Compliant", "Missing", "Rule"]
    assert "Elimination of bias: implicit bias" in header
    assert "Nia Zamora" not in body
    ana, sam = body["Ana Quintero"], body["Sam Rivera"]
    assert (ana["State Bar number"], ana["Group"], ana["Legal ethics"], ana["Total"]) == ("111111", "3", "1.00", "1.00")
    assert (ana["Compliant"], sam["Compliant"], sam["Missing"]) == ("no", "yes", "")
    assert "Legal ethics: 3.00" in ana["Missing"]
    assert ana["Rule"] == "Rules of the State Bar, rule 2.72 (v1)"
    assert AuditEntry.objects.filter(action="integrity.training.mcle_export", actor=jti_chief).exists()


def _run_daily(monkeypatch):
    """The daily task, with the broker replaced by running the task at once."""
    monkeypatch.setattr(work, "_apply", lambda name, kwargs: work.task_named(name).run(**kwargs) or True)
    return tasks.mcle_reminders_send.run()


@pytest.mark.parametrize(("days_left", "summary"), [(90, False), (30, True), (7, True)])
def test_reminders_once_per_threshold_only_to_attorneys_short(monkeypatch, jti_chief, days_left, summary):
    end = _group3_ends_in(days_left)
    short = attorney(group=3, full_name="Ana Quintero", preferred_language="es")
    _compliant(attorney(group=3, full_name="Sam Rivera"))
    non_attorney(full_name="Nia Zamora")
    attorney(group=None, full_name="Omar Reyes")
    _run_daily(monkeypatch)
    assert _run_daily(monkeypatch)["planned"] == 0  # a second pass the same day plans nothing
    sent = MCLEReminder.objects.filter(status=MCLEReminder.Status.DONE)
    assert list(sent.filter(kind="attorney").values_list("user", "days_before", "period_end")) == [
        (short.pk, days_left, end)
    ]
    email = OutboundEmail.objects.get(template="integrity/mcle_reminder")
    assert (email.to, email.language) == (short.email, "es")
    assert "Rules of the State Bar, rule 2.72" in email.body_text
    summaries = OutboundEmail.objects.filter(template="integrity/mcle_coordinator_summary")
    assert list(sent.filter(kind="summary").values_list("user", flat=True)) == ([jti_chief.pk] if summary else [])
    if summary:
        body = summaries.get().body_text
        assert "Ana Quintero" in body
        assert "Sam Rivera" not in body
        assert "rule 2.72" in body


def test_reminder_not_sent_to_an_attorney_compliant_by_the_time_it_goes_out():
    _group3_ends_in(30)
    deputy = attorney(group=3)
    assert services_mcle.mcle_reminders_plan() == 1
    _compliant(deputy)
    reminder = MCLEReminder.objects.get()
    assert services_mcle.mcle_reminder_send(reminder_id=reminder.pk) == MCLEReminder.Status.CANCELLED
    assert not OutboundEmail.objects.filter(template="integrity/mcle_reminder").exists()


@pytest.mark.parametrize("name", ["training_mcle_records", "training_mcle_export", "training_mcle_person"])
def test_mcle_records_pages_only_for_jti(personas, client_for, name):
    dana = attorney(full_name="Dana Ortiz")
    kwargs = {"public_id": dana.public_id} if name == "training_mcle_person" else {}
    url = reverse(f"integrity:{name}", kwargs=kwargs) + ("?group=3" if name == "training_mcle_records" else "")
    for persona, user in personas.items():
        expected = {"resident": 302, "resident_user": 403}.get(persona, 200 if persona in JTI else 403)
        response = client_for(user).get(url)
        assert response.status_code == expected, persona
        if expected == 200 and name != "training_mcle_export":
            assert "Dana Ortiz" in response.content.decode()
