"""Reminders of the determination due date: 3 days and 1 day before and on the day to the
person assigned, the escalation the day after; each sent once, none after the determination."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from integrity.publicrecords import services
from integrity.publicrecords.tests import factories as f
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _sent() -> list[tuple[str, str]]:
    return sorted(
        OutboundEmail.objects.filter(template="integrity/publicrecords_reminder").values_list("to", "subject")
    )


def test_each_reminder_goes_once_to_the_person_assigned(jti_staff, jti_chief):
    with time_machine.travel("2026-12-01 09:00:00-08:00", tick=False):
        request = f.pra()  # due 11 December
        services.request_assign(request=request, assigned_to=jti_staff, actor=jti_chief)
    with time_machine.travel("2026-12-08 09:00:00-08:00", tick=False):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert _sent() == [
        (jti_staff.email, f"Public records request {request.tracking_code}: determination due Dec. 11, 2026")
    ]
    with time_machine.travel("2026-12-12 09:00:00-08:00", tick=False):
        assert services.reminders_send() == 1  # the escalation; the late day-before and on-the-day ones are dropped
    assert {to for to, subject in _sent() if subject.startswith("Overdue")} == {jti_staff.email, jti_chief.email}


def test_no_reminder_after_the_determination(jti_staff):
    with time_machine.travel("2026-12-01 09:00:00-08:00", tick=False):
        request = f.pra()
        services.request_assign(request=request, assigned_to=jti_staff, actor=jti_staff)
    with time_machine.travel("2026-12-09 09:00:00-08:00", tick=False):
        services.request_determine(
            request=request, determination="no_records", notice_on=date(2026, 12, 9), actor=jti_staff
        )
    with time_machine.travel("2026-12-12 09:00:00-08:00", tick=False):
        assert services.reminders_send() == 0
    assert _sent() == []
