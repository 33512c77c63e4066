from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govrelations.bills import services
from govrelations.bills.models import BillAlert, DigestSubscription
from govrelations.bills.tasks import govrel_dispatch
from govrelations.bills.tests.factories import BillActionFactory, BillAlertFactory, BillFactory, BillFollowFactory
from govrelations.hearings import services as hearing_services
from govrelations.hearings.models import HearingReminder
from govrelations.hearings.tests.factories import HearingFactory
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor2(db):
    return StaffFactory(email="gr.supervisor2@da.example.gov", roles=[roles.GR_SUPERVISOR])


def test_track_records_memo_change_without_its_text(gr_analyst):
    bill = BillFactory()
    services.bill_track(
        bill=bill,
        actor=gr_analyst,
        is_watched=True,
        priority="high",
        analyst=gr_analyst,
        analysis_memo="Secret reasoning",
    )
    bill.refresh_from_db()
    assert (bill.is_watched, bill.priority, bill.analyst, bill.analysis_memo) == (
        True,
        "high",
        gr_analyst,
        "Secret reasoning",
    )
    entry = AuditEntry.objects.get(action="govrelations.bill.track")
    assert entry.after["analysis_memo"] == "changed"
    assert "Secret reasoning" not in str(entry.before) + str(entry.after)


def test_late_reminder_is_skipped_not_sent(gr_analyst):
    bill = BillFactory(analyst=gr_analyst)
    hearing = hearing_services.hearing_create(
        bill=bill, actor=gr_analyst, starts_at=timezone.now() + timedelta(days=10), committee="Assembly Appropriations"
    )
    reminder = HearingReminder.objects.get(hearing=hearing, lead_days=3)
    with time_machine.travel(reminder.due_at + hearing_services.REMINDER_LATE_LIMIT + timedelta(minutes=5)):
        result = govrel_dispatch()
    assert result["reminders"]["skipped"] == 1
    reminder.refresh_from_db()
    assert reminder.status == HearingReminder.Status.CANCELLED
    assert not OutboundEmail.objects.exists()


def test_reminders_move_with_the_analyst(gr_analyst, gr_supervisor):
    bill = BillFactory(analyst=gr_analyst)
    hearing = HearingFactory(bill=bill)
    hearing_services.hearing_reminders_schedule(hearing=hearing)
    services.bill_track(
        bill=bill, actor=gr_supervisor, is_watched=True, priority="", analyst=gr_supervisor, analysis_memo=""
    )
    pending = HearingReminder.objects.filter(hearing=hearing, status=HearingReminder.Status.PENDING)
    assert set(pending.values_list("recipient", flat=True)) == {gr_supervisor.pk}
    assert HearingReminder.objects.filter(recipient=gr_analyst, status=HearingReminder.Status.CANCELLED).count() == 2


def test_alert_send_queues_one_email_and_failures_stay_visible(gr_analyst):
    alert = BillAlertFactory(recipient=gr_analyst)
    assert services.bill_alert_send(alert_id=alert.pk) == BillAlert.Status.DONE
    assert services.bill_alert_send(alert_id=alert.pk) is None
    alert.refresh_from_db()
    assert alert.sent_at is not None
    assert OutboundEmail.objects.filter(to=gr_analyst.email, template="govrelations/bill_alert").count() == 1


def test_dispatch_enqueues_lost_alerts(monkeypatch):
    alert = BillAlertFactory()
    sent = []
    monkeypatch.setattr("govrelations.bills.tasks.bill_alert_send.apply_async", lambda **kw: sent.append(kw))
    result = govrel_dispatch()
    assert result["alerts"]["enqueued"] == 1
    assert sent == [{"kwargs": {"alert_id": alert.pk}, "retry": False}]


def test_weekly_digest_filters_noise_and_is_sent_once(gr_analyst):
    bill = BillFactory(identifier="SB 9")
    BillFollowFactory(bill=bill, user=gr_analyst)
    today = timezone.localdate()
    BillActionFactory(
        bill=bill, date=today - timedelta(days=1), description="Read first time.", classification=["reading-1"]
    )
    BillActionFactory(
        bill=bill, date=today - timedelta(days=2), description="Passed the Senate.", classification=["passage"]
    )
    services.digest_subscribe(user=gr_analyst, active=True)

    assert services.weekly_digest_send() == 1
    assert services.weekly_digest_send() == 0  # a second run the same week sends nothing
    email = OutboundEmail.objects.get(template="govrelations/weekly_digest")
    assert "Passed the Senate." in email.body_text
    assert "Read first time." not in email.body_text
    assert DigestSubscription.objects.get(user=gr_analyst).last_sent_at is not None


def test_digest_unsubscribed_gets_nothing(gr_analyst):
    bill = BillFactory()
    BillFollowFactory(bill=bill, user=gr_analyst)
    BillActionFactory(bill=bill, classification=["passage"])
    services.digest_subscribe(user=gr_analyst, active=False)
    assert services.weekly_digest_send() == 0


def test_tasks_add_and_complete(gr_analyst, outreach_staff):
    bill = BillFactory()
    task = services.implementation_task_create(
        bill=bill, actor=gr_analyst, kind="training", title="Train deputies", owner=gr_analyst, due_on=None
    )
    with pytest.raises(PermissionDenied):
        services.implementation_task_complete(task=task, actor=outreach_staff)
    services.implementation_task_complete(task=task, actor=gr_analyst)
    task.refresh_from_db()
    assert task.completed_by == gr_analyst
    assert AuditEntry.objects.filter(action="govrelations.task.complete").count() == 1


def test_follow_is_idempotent(gr_analyst):
    bill = BillFactory()
    services.bill_follow(bill=bill, user=gr_analyst)
    services.bill_follow(bill=bill, user=gr_analyst)
    assert bill.follows.count() == 1
    services.bill_unfollow(bill=bill, user=gr_analyst)
    assert bill.follows.count() == 0


def test_weekly_digest_lists_next_weeks_hearings(gr_analyst):
    bill = BillFactory(identifier="AB 5")
    BillFollowFactory(bill=bill, user=gr_analyst)
    HearingFactory(bill=bill, starts_at=timezone.now() + timedelta(days=3), committee="Assembly Appropriations")
    services.digest_subscribe(user=gr_analyst, active=True)
    assert services.weekly_digest_send() == 1
    body = OutboundEmail.objects.get(template="govrelations/weekly_digest").body_text
    assert "AB 5" in body
    assert "Assembly Appropriations" in body


def test_failed_alert_is_visible_and_sent_again(client, django_capture_on_commit_callbacks):
    from jcr.accounts.tests.factories import StaffFactory

    admin_user = StaffFactory(roles=[roles.ADMINISTRATOR])
    alert = BillAlertFactory(status=BillAlert.Status.FAILED, attempts=7, last_error="recipient refused")
    pending = BillAlertFactory()
    client.force_login(admin_user)
    listing = client.get("/admin/govrelations/billalert/?status__exact=failed").content.decode()
    assert "recipient refused" in listing
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            "/admin/govrelations/billalert/",
            {"action": "retry", "_selected_action": [alert.pk, pending.pk]},
        )
    alert.refresh_from_db()
    assert (alert.status, alert.attempts) == (BillAlert.Status.PENDING, 0)
    assert len(callbacks) == 1  # only the failed one is queued again
    assert AuditEntry.objects.filter(action="govrelations.alert.retry").count() == 1
