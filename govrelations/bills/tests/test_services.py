from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govrelations import services
from govrelations.models import (
    BillAlert,
    DigestSubscription,
    HearingReminder,
    Position,
    PositionEvent,
    PositionLetter,
)
from govrelations.tasks import govrel_dispatch
from govrelations.tests.factories import (
    BillActionFactory,
    BillAlertFactory,
    BillFactory,
    BillFollowFactory,
    HearingFactory,
    PositionFactory,
)
from jcr.accounts import roles
from jcr.accounts.tests.factories import StaffFactory
from jcr.core.models import AuditEntry, OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor2(db):
    return StaffFactory(email="gr.supervisor2@da.example.gov", roles=[roles.GR_SUPERVISOR])


def test_position_propose_then_approve_by_a_supervisor(gr_analyst, gr_supervisor):
    bill = BillFactory()
    position = services.position_propose(
        bill=bill, actor=gr_analyst, stance="oppose", reasons="Erodes victims' rights."
    )
    assert (position.status, position.proposed_by) == (Position.Status.PROPOSED, gr_analyst)

    services.position_approve(position=position, actor=gr_supervisor, comment="Signed off for the DA")

    position.refresh_from_db()
    assert (position.status, position.decided_by) == (Position.Status.APPROVED, gr_supervisor)
    assert list(position.events.values_list("kind", "actor")) == [
        (PositionEvent.Kind.PROPOSED, gr_analyst.pk),
        (PositionEvent.Kind.APPROVED, gr_supervisor.pk),
    ]
    actions = list(AuditEntry.objects.filter(object_id=str(position.public_id)).values_list("action", flat=True))
    assert sorted(actions) == ["govrelations.position.approve", "govrelations.position.propose"]


def test_nobody_approves_their_own_proposal(gr_supervisor):
    position = services.position_propose(bill=BillFactory(), actor=gr_supervisor, stance="support", reasons="Good.")
    with pytest.raises(PermissionDenied):
        services.position_approve(position=position, actor=gr_supervisor)
    position.refresh_from_db()
    assert position.status == Position.Status.PROPOSED


def test_analyst_cannot_approve(gr_analyst):
    position = PositionFactory()
    with pytest.raises(PermissionDenied):
        services.position_approve(position=position, actor=gr_analyst)


def test_outsider_cannot_propose(outreach_staff):
    with pytest.raises(PermissionDenied):
        services.position_propose(bill=BillFactory(), actor=outreach_staff, stance="support", reasons="x")


def test_one_proposal_at_a_time(gr_analyst):
    bill = BillFactory()
    services.position_propose(bill=bill, actor=gr_analyst, stance="support", reasons="First")
    with pytest.raises(ValidationError):
        services.position_propose(bill=bill, actor=gr_analyst, stance="oppose", reasons="Second")
    assert bill.positions.count() == 1


def test_return_needs_a_comment_and_is_kept_in_history(gr_analyst, gr_supervisor):
    position = services.position_propose(bill=BillFactory(), actor=gr_analyst, stance="support", reasons="Because")
    with pytest.raises(ValidationError):
        services.position_return(position=position, actor=gr_supervisor, comment="  ")
    services.position_return(position=position, actor=gr_supervisor, comment="Cite the fiscal analysis")
    position.refresh_from_db()
    assert position.status == Position.Status.RETURNED
    assert position.events.last().comment == "Cite the fiscal analysis"
    with pytest.raises(ValidationError):  # a decided position cannot be decided again
        services.position_approve(position=position, actor=gr_supervisor)
    # the analyst may now propose again
    again = services.position_propose(bill=position.bill, actor=gr_analyst, stance="support_if_amended", reasons="Ok")
    assert again.status == Position.Status.PROPOSED


def test_new_approval_supersedes_the_old_one(gr_analyst, gr_supervisor):
    bill = BillFactory()
    first = services.position_propose(bill=bill, actor=gr_analyst, stance="watch", reasons="Early")
    services.position_approve(position=first, actor=gr_supervisor)
    second = services.position_propose(bill=bill, actor=gr_analyst, stance="oppose", reasons="Amended badly")
    services.position_approve(position=second, actor=gr_supervisor)
    first.refresh_from_db()
    assert first.status == Position.Status.SUPERSEDED
    assert list(bill.positions.filter(status=Position.Status.APPROVED)) == [second]


def test_letter_only_for_an_approved_position(gr_analyst, gr_supervisor):
    position = services.position_propose(
        bill=BillFactory(identifier="AB 77"), actor=gr_analyst, stance="support", reasons="It closes a loophole."
    )
    with pytest.raises(ValidationError):
        services.position_letter_create(
            position=position, actor=gr_analyst, committee="Assembly Public Safety", addressee="Chair"
        )
    services.position_approve(position=position, actor=gr_supervisor)
    letter = services.position_letter_create(
        position=position, actor=gr_analyst, committee="Assembly Public Safety", addressee="The Honorable Chair"
    )
    assert "AB 77" in letter.body
    assert "It closes a loophole." in letter.body
    assert "Support" in letter.body
    assert position.events.filter(kind=PositionEvent.Kind.LETTER).exists()
    sent = services.position_letter_mark_sent(letter=letter, actor=gr_analyst, sent_on=timezone.localdate())
    assert PositionLetter.objects.get(pk=sent.pk).sent_on == timezone.localdate()


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


def test_late_reminder_is_skipped_not_sent(gr_analyst):
    bill = BillFactory(analyst=gr_analyst)
    hearing = services.hearing_create(
        bill=bill, actor=gr_analyst, starts_at=timezone.now() + timedelta(days=10), committee="Assembly Appropriations"
    )
    reminder = HearingReminder.objects.get(hearing=hearing, lead_days=3)
    with time_machine.travel(reminder.due_at + services.REMINDER_LATE_LIMIT + timedelta(minutes=5)):
        result = govrel_dispatch()
    assert result["reminders"]["skipped"] == 1
    reminder.refresh_from_db()
    assert reminder.status == HearingReminder.Status.CANCELLED
    assert not OutboundEmail.objects.exists()


def test_reminders_move_with_the_analyst(gr_analyst, gr_supervisor):
    bill = BillFactory(analyst=gr_analyst)
    hearing = HearingFactory(bill=bill)
    services.hearing_reminders_schedule(hearing=hearing)
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
    monkeypatch.setattr("govrelations.tasks.bill_alert_send.apply_async", lambda **kw: sent.append(kw))
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
