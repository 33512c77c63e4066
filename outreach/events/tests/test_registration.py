"""Registration: seats, wait list, promotion, cancellation tokens, reminders, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from outreach.events import services
from outreach.events.models import Event, EventReminder, Registration
from outreach.events.tests.factories import EventFactory, RegistrationFactory
from outreach.programs.models import ReminderStatus

pytestmark = pytest.mark.django_db


def _emails(template: str, to: str | None = None):
    qs = OutboundEmail.objects.filter(template=f"outreach/{template}")
    return qs.filter(to=to) if to else qs


def _register(event, email, **kwargs):
    return services.registration_create(event=event, name=kwargs.pop("name", "Ana"), email=email, **kwargs)


# --- Seats and the wait list -------------------------------------------------------------------


def test_registration_create_confirms_while_seats_remain():
    event = EventFactory(capacity=2)
    registration, outcome = _register(event, " Ana@Example.org ", language="es")
    assert outcome == services.RegistrationOutcome.CONFIRMED
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "ana@example.org"
    email = _emails("registration_confirmed").get()
    assert email.to == "ana@example.org"
    assert email.language == "es"
    assert registration.token in email.body_text
    assert AuditEntry.objects.filter(action="outreach.registration.create", object_id=str(registration.public_id))


def test_registration_create_reserved_seats_are_not_offered():
    event = EventFactory(capacity=3, reserved_seats=2)
    _register(event, "a@example.org")
    registration, outcome = _register(event, "b@example.org")
    assert outcome == services.RegistrationOutcome.WAITLISTED
    assert registration.status == Registration.Status.WAITLISTED
    assert _emails("registration_waitlisted", "b@example.org").count() == 1


def test_registration_create_twice_returns_the_first_and_changes_nothing():
    event = EventFactory(capacity=5)
    first, _ = _register(event, "a@example.org")
    again, outcome = _register(event, "A@example.org")
    assert outcome == services.RegistrationOutcome.ALREADY
    assert again.pk == first.pk
    assert Registration.objects.filter(event=event).count() == 1
    assert _emails("registration_confirmed").count() == 1


def test_registration_after_cancelling_may_register_again():
    event = EventFactory(capacity=5)
    first, _ = _register(event, "a@example.org")
    services.registration_cancel(registration=first)
    second, outcome = _register(event, "a@example.org")
    assert outcome == services.RegistrationOutcome.CONFIRMED
    assert second.pk != first.pk


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": Event.Status.CANCELLED}, "cancelled"),
        ({"status": Event.Status.DRAFT}, "closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not_yet"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
    ],
)
def test_registration_create_refused_outside_the_window(changes, code):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError) as info:
        _register(event, "a@example.org")
    assert info.value.code == code
    assert not Registration.objects.exists()


def test_registration_refused_once_the_event_started():
    event = EventFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        _register(event, "a@example.org")


# --- Cancellation and promotion ---------------------------------------------------------------


def test_registration_cancel_promotes_the_first_waitlisted_person():
    event = EventFactory(capacity=1)
    seat, _ = _register(event, "seat@example.org")
    first, _ = _register(event, "first@example.org")
    second, _ = _register(event, "second@example.org")
    assert first.status == second.status == Registration.Status.WAITLISTED

    services.registration_cancel(registration=seat)

    seat.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    assert seat.cancelled_at
    assert first.status == Registration.Status.CONFIRMED
    assert first.promoted_at
    assert second.status == Registration.Status.WAITLISTED
    assert _emails("registration_promoted", "first@example.org").count() == 1
    assert not _emails("registration_promoted", "second@example.org").exists()
    assert _emails("registration_cancelled", "seat@example.org").count() == 1
    # The promoted person now has reminders; the cancelled one's are dropped.
    assert EventReminder.objects.filter(registration=first, status=ReminderStatus.PENDING).count() == 3
    assert not EventReminder.objects.filter(registration=seat, status=ReminderStatus.PENDING).exists()
    assert AuditEntry.objects.filter(action="outreach.registration.promote").count() == 1


def test_registration_cancel_of_waitlisted_person_promotes_nobody():
    event = EventFactory(capacity=1)
    _register(event, "seat@example.org")
    waiting, _ = _register(event, "wait@example.org")
    services.registration_cancel(registration=waiting)
    assert not _emails("registration_promoted").exists()


def test_registration_cancel_twice_is_a_no_op():
    registration, _ = _register(EventFactory(), "a@example.org")
    services.registration_cancel(registration=registration)
    services.registration_cancel(registration=registration)
    assert _emails("registration_cancelled").count() == 1


def test_registration_token_is_random_and_long():
    event = EventFactory()
    a, _ = _register(event, "a@example.org")
    b, _ = _register(event, "b@example.org")
    assert a.token != b.token
    assert len(a.token) >= 43


# --- Capacity alert ------------------------------------------------------------------------------


def test_capacity_alert_sent_once_at_90_percent(outreach_staff):
    event = EventFactory(capacity=10, owner=outreach_staff)
    for i in range(8):
        _register(event, f"p{i}@example.org")
    assert not _emails("event_capacity_alert").exists()
    _register(event, "p8@example.org")  # 9 of 10
    alert = _emails("event_capacity_alert").get()
    assert alert.to == outreach_staff.email
    _register(event, "p9@example.org")
    assert _emails("event_capacity_alert").count() == 1
    event.refresh_from_db()
    assert event.capacity_alert_sent_at is not None


# --- Event cancellation -----------------------------------------------------------------------


def test_event_cancel_drops_pending_reminders_and_tells_everyone(outreach_supervisor):
    event = EventFactory(capacity=1)
    _seat, _ = _register(event, "seat@example.org", language="es")
    _register(event, "wait@example.org")
    assert EventReminder.objects.filter(status=ReminderStatus.PENDING).count() == 3

    services.event_cancel(event=event, actor=outreach_supervisor, message="The hall is closed.")

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert not EventReminder.objects.filter(status=ReminderStatus.PENDING).exists()
    assert EventReminder.objects.filter(status=ReminderStatus.CANCELLED).count() == 3
    notices = _emails("event_cancelled")
    assert {e.to for e in notices} == {"seat@example.org", "wait@example.org"}
    assert notices.get(to="seat@example.org").language == "es"
    assert "The hall is closed." in notices.first().body_text


def test_event_cancel_needs_the_publish_permission(outreach_staff):
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, actor=outreach_staff)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


# --- Reminders ------------------------------------------------------------------------------------


def test_reminders_planned_for_the_three_offsets():
    start = timezone.now() + timedelta(days=14)
    registration, _ = _register(EventFactory(starts_at=start), "a@example.org")
    reminders = {r.kind: r for r in registration.reminders.all()}
    assert reminders["week"].due_at == start - timedelta(days=7)
    assert reminders["day"].due_at == start - timedelta(days=1)
    assert reminders["hours"].due_at == start - timedelta(hours=2)
    assert all(r.status == ReminderStatus.PENDING for r in reminders.values())


def test_reminder_already_past_at_registration_is_skipped_not_sent():
    start = timezone.now() + timedelta(days=3)
    registration, _ = _register(EventFactory(starts_at=start), "late@example.org")
    week = registration.reminders.get(kind="week")
    assert week.status == ReminderStatus.SKIPPED
    services.reminders_dispatch()
    assert not _emails("event_reminder").exists()


def test_reminder_sent_when_due_and_only_once():
    start = timezone.now() + timedelta(days=14)
    registration, _ = _register(EventFactory(starts_at=start), "a@example.org")
    with time_machine.travel(start - timedelta(days=7) + timedelta(minutes=1), tick=False):
        assert services.reminders_dispatch() == {"sent": 1, "skipped": 0}
        assert services.reminders_dispatch() == {"sent": 0, "skipped": 0}
    week = registration.reminders.get(kind="week")
    assert week.status == ReminderStatus.DONE
    email = _emails("event_reminder").get()
    assert email.to == "a@example.org"
    assert registration.reminders.filter(status=ReminderStatus.PENDING).count() == 2


def test_reminder_whose_time_passed_while_the_worker_was_down_is_skipped():
    start = timezone.now() + timedelta(days=14)
    registration, _ = _register(EventFactory(starts_at=start), "a@example.org")
    # The dispatcher first runs three days after the one-week mark: too late for that one.
    with time_machine.travel(start - timedelta(days=4), tick=False):
        assert services.reminders_dispatch() == {"sent": 0, "skipped": 1}
    assert registration.reminders.get(kind="week").status == ReminderStatus.SKIPPED
    assert not _emails("event_reminder").exists()


def test_reminders_after_the_event_started_are_all_skipped():
    start = timezone.now() + timedelta(days=14)
    registration, _ = _register(EventFactory(starts_at=start), "a@example.org")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert services.reminders_dispatch() == {"sent": 0, "skipped": 3}
    assert not _emails("event_reminder").exists()
    assert not registration.reminders.filter(status=ReminderStatus.PENDING).exists()


def test_reminder_within_grace_is_still_sent():
    start = timezone.now() + timedelta(days=14)
    _register(EventFactory(starts_at=start), "a@example.org")
    with time_machine.travel(start - timedelta(hours=2) + timedelta(minutes=20), tick=False):
        counts = services.reminders_dispatch()
    # the week and day reminders are long past (skipped); the two-hour one is 20 min late (sent)
    assert counts == {"sent": 1, "skipped": 2}


def test_reminder_send_claims_with_a_conditional_update():
    start = timezone.now() + timedelta(days=14)
    registration, _ = _register(EventFactory(starts_at=start), "a@example.org")
    week = registration.reminders.get(kind="week")
    with time_machine.travel(week.due_at + timedelta(seconds=5), tick=False):
        assert services.event_reminder_send(reminder_id=week.pk) == ReminderStatus.DONE
        assert services.event_reminder_send(reminder_id=week.pk) is None  # redelivery: no-op
    assert _emails("event_reminder").count() == 1


def test_reminder_not_due_is_not_claimed():
    registration, _ = _register(EventFactory(), "a@example.org")
    week = registration.reminders.get(kind="week")
    assert services.event_reminder_send(reminder_id=week.pk) is None
    week.refresh_from_db()
    assert week.status == ReminderStatus.PENDING


def test_reminders_dispatch_task_runs_the_service():
    from outreach.events.tasks import reminders_dispatch

    assert reminders_dispatch.apply().get() == {"sent": 0, "skipped": 0}


# --- Token page and online link -------------------------------------------------------------------


def test_online_link_only_on_confirmed_registrants_page(client):
    event = EventFactory(capacity=1, format=Event.Format.ONLINE, online_url="https://meet.example.org/secret-room")
    seat, _ = _register(event, "seat@example.org")
    waiting, _ = _register(event, "wait@example.org")
    assert "secret-room" in _emails("registration_confirmed", "seat@example.org").get().body_text
    assert "secret-room" not in _emails("registration_waitlisted", "wait@example.org").get().body_text
    page = client.get(reverse("outreach:registration_detail", kwargs={"token": seat.token}))
    assert page.status_code == 200
    assert b"secret-room" in page.content
    assert page["X-Robots-Tag"] == "noindex"
    page = client.get(reverse("outreach:registration_detail", kwargs={"token": waiting.token}))
    assert b"secret-room" not in page.content
    assert b"number 1 on the wait list" in page.content
    public = client.get(reverse("outreach:event_detail", kwargs={"slug": event.slug}))
    assert b"secret-room" not in public.content


def test_cancel_through_the_token_link_promotes_and_needs_post(client):
    event = EventFactory(capacity=1)
    seat, _ = _register(event, "seat@example.org")
    waiting, _ = _register(event, "wait@example.org")
    url = reverse("outreach:registration_cancel", kwargs={"token": seat.token})
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


def test_unknown_token_is_404(client):
    assert client.get(reverse("outreach:registration_detail", kwargs={"token": "nope"})).status_code == 404
    assert client.post(reverse("outreach:registration_cancel", kwargs={"token": "nope"})).status_code == 404


# --- Registration form ----------------------------------------------------------------------------


def _form(email="ana@example.org", **extra):
    return {
        "name": "Ana Pérez",
        "email": email,
        "language": "en",
        "accessibility_needs": "",
        "form_ts": form_timestamp(scope="event_register", seconds_ago=60),
        "website": "",
        **extra,
    }


def test_register_view_twice_keeps_one_registration_and_mails_its_link(client):
    event = EventFactory(capacity=5)
    url = reverse("outreach:event_register", kwargs={"slug": event.slug})
    for _ in range(2):
        response = client.post(url, _form())
        assert response.status_code == 200
        assert b"Check your e-mail" in response.content
    registration = Registration.objects.get(event=event)
    assert _emails("registration_confirmed").count() == 1
    assert registration.token in _emails("registration_already", "ana@example.org").get().body_text


def test_register_view_on_full_event_joins_the_wait_list(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    url = reverse("outreach:event_register", kwargs={"slug": event.slug})
    page = client.get(url)
    assert b"The event is full" in page.content
    response = client.post(url, _form())
    assert response.status_code == 200
    assert Registration.objects.get(email="ana@example.org").status == Registration.Status.WAITLISTED
    assert _emails("registration_waitlisted", "ana@example.org").count() == 1


def test_register_view_on_closed_event_is_a_message_not_an_error(client):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(hours=1))
    url = reverse("outreach:event_register", kwargs={"slug": event.slug})
    response = client.post(url, _form())
    assert response.status_code == 200
    assert b"Registration is closed." in response.content
    assert not Registration.objects.exists()


def test_register_view_honeypot_refuses(client):
    event = EventFactory()
    url = reverse("outreach:event_register", kwargs={"slug": event.slug})
    response = client.post(url, _form(website="http://spam"))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_register_view_draft_event_is_404(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("outreach:event_register", kwargs={"slug": event.slug})).status_code == 404


# --- Concurrency --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_registration_create_concurrent_last_seat_goes_to_one_person():
    """Two people register for the last seat at the same moment, each in its own database
    connection: the row lock on the event makes one of them wait, so exactly one gets it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    event = EventFactory(capacity=1)
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def register(i):
        try:
            barrier.wait(timeout=10)
            _registration, outcome = services.registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org")
            outcomes.append(outcome)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == ["confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == 1


def test_reminder_of_an_event_moved_later_waits_for_its_new_time():
    start = timezone.now() + timedelta(days=14)
    event = EventFactory(starts_at=start)
    registration, _ = _register(event, "a@example.org")
    Event.objects.filter(pk=event.pk).update(
        starts_at=start + timedelta(days=3), ends_at=start + timedelta(days=3, hours=2)
    )
    with time_machine.travel(start - timedelta(days=7) + timedelta(minutes=1), tick=False):
        assert services.reminders_dispatch() == {"sent": 0, "skipped": 0}
    week = registration.reminders.get(kind="week")
    assert week.status == ReminderStatus.PENDING
    assert week.due_at == start + timedelta(days=3) - timedelta(days=7)
    with time_machine.travel(week.due_at + timedelta(minutes=1), tick=False):
        assert services.reminders_dispatch() == {"sent": 1, "skipped": 0}


def test_reminder_of_an_event_moved_earlier_past_its_time_is_skipped():
    start = timezone.now() + timedelta(days=14)
    event = EventFactory(starts_at=start)
    registration, _ = _register(event, "a@example.org")
    Event.objects.filter(pk=event.pk).update(
        starts_at=start - timedelta(days=2), ends_at=start - timedelta(days=2, hours=-2)
    )
    with time_machine.travel(start - timedelta(days=7) + timedelta(minutes=1), tick=False):
        services.reminders_dispatch()
    assert registration.reminders.get(kind="week").status == ReminderStatus.SKIPPED
    assert not _emails("event_reminder").exists()
