from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from govrelations.bills.tests.factories import BillFactory
from govrelations.hearings import services
from govrelations.hearings.models import HearingReminder
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_hearing_reminders_three_and_one_day_before(gr_analyst, mailoutbox):
    bill = BillFactory(analyst=gr_analyst, is_watched=True)
    starts = timezone.now() + timedelta(days=10)
    hearing = services.hearing_create(bill=bill, actor=gr_analyst, starts_at=starts, committee="Senate Public Safety")
    reminders = HearingReminder.objects.filter(hearing=hearing).order_by("due_at")
    assert [(r.lead_days, r.due_at) for r in reminders] == [
        (3, starts - timedelta(days=3)),
        (1, starts - timedelta(days=1)),
    ]

    three_days = reminders[0]
    assert services.hearing_reminder_send(reminder_id=three_days.pk) is None  # not due yet
    with time_machine.travel(three_days.due_at + timedelta(minutes=1)):
        assert services.hearing_reminder_send(reminder_id=three_days.pk) == HearingReminder.Status.DONE
        assert services.hearing_reminder_send(reminder_id=three_days.pk) is None  # redelivery: no-op
    three_days.refresh_from_db()
    email = OutboundEmail.objects.get(pk=three_days.email_id)
    assert email.to == gr_analyst.email
    assert bill.identifier in email.subject
    assert "Senate Public Safety" in email.body_text


def test_moved_hearing_moves_its_reminders(gr_analyst):
    bill = BillFactory(analyst=gr_analyst)
    hearing = services.hearing_create(
        bill=bill, actor=gr_analyst, starts_at=timezone.now() + timedelta(days=10), committee="Senate Appropriations"
    )
    three = HearingReminder.objects.get(hearing=hearing, lead_days=3)
    with time_machine.travel(three.due_at + timedelta(minutes=1)):
        services.hearing_reminder_send(reminder_id=three.pk)
    three.refresh_from_db()
    assert three.status == HearingReminder.Status.DONE
    # postponed by a week: both reminders are planned for the new date
    hearing.starts_at += timedelta(days=7)
    hearing.save()
    services.hearing_reminders_schedule(hearing=hearing)
    rows = {r.lead_days: r for r in HearingReminder.objects.filter(hearing=hearing)}
    assert rows[3].status == HearingReminder.Status.PENDING
    assert rows[3].due_at == hearing.starts_at - timedelta(days=3)
    assert rows[1].due_at == hearing.starts_at - timedelta(days=1)
    # moved to tomorrow morning: the 3-day reminder is too late, the 1-day one too
    hearing.starts_at = timezone.now() + timedelta(hours=20)
    hearing.save()
    services.hearing_reminders_schedule(hearing=hearing)
    statuses = dict(HearingReminder.objects.filter(hearing=hearing).values_list("lead_days", "status"))
    assert statuses == {3: HearingReminder.Status.CANCELLED, 1: HearingReminder.Status.CANCELLED}
