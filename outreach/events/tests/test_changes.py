"""Changes of an event and what its registrants are told: seats added go to the wait list in
order, a confirmed seat is never dropped, a move is told once with an updated .ics and the
reminders follow it, registering and "resend my link" never reveal who is registered, staff
messages reach the chosen segment only."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jcr.core.abuse import form_timestamp
from jcr.core.models import AuditEntry, OutboundEmail
from outreach.events import services, services_changes
from outreach.events.models import Event, EventReminder, Registration
from outreach.events.tests.factories import EventFactory, RegistrationFactory
from outreach.media import services_content
from outreach.programs.models import ReminderStatus

pytestmark = pytest.mark.django_db


def _emails(template: str):
    return OutboundEmail.objects.filter(template=f"outreach/{template}").order_by("pk")


def _vevent(email: OutboundEmail) -> icalendar.Event:
    [attachment] = email.attachments
    assert attachment["mimetype"] == "text/calendar"
    [vevent] = icalendar.Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return vevent


def _full_event_with_wait_list(waiting: int = 3):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, email="seated@example.org")
    start = timezone.now() - timedelta(hours=1)
    queue = []
    for n in range(waiting):
        registration = RegistrationFactory(
            event=event, email=f"wait{n}@example.org", status=Registration.Status.WAITLISTED
        )
        Registration.objects.filter(pk=registration.pk).update(created_at=start + timedelta(minutes=n))
        queue.append(registration)
    return event, queue


# --- Seats ----------------------------------------------------------------------------------------


def _via_staff_page(event, capacity, user, client_for):
    client_for(user).post(
        reverse("outreach:staff_event_capacity", kwargs={"public_id": event.public_id}), {"capacity": capacity}
    )


def _via_content_edit(event, capacity, user, client_for):
    event = Event.objects.get(pk=event.pk)
    event.capacity = capacity
    services_content.event_save(event=event, actor=user)


def _via_admin(event, capacity, user, client_for):
    event = Event.objects.get(pk=event.pk)
    event.capacity = capacity
    services_changes.event_admin_save(event=event, actor=user)


@pytest.mark.parametrize("change", [_via_staff_page, _via_content_edit, _via_admin])
def test_capacity_increase_promotes_the_wait_list_in_order(change, outreach_supervisor, client_for):
    event, queue = _full_event_with_wait_list(3)
    change(event, 3, outreach_supervisor, client_for)
    statuses = [Registration.objects.get(pk=r.pk).status for r in queue]
    assert statuses == [Registration.Status.CONFIRMED, Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    promoted = _emails("registration_promoted")
    assert [e.to for e in promoted] == ["wait0@example.org", "wait1@example.org"]
    assert _vevent(promoted[0])["SEQUENCE"] == 0
    assert EventReminder.objects.filter(registration=queue[0]).count() == 3


def test_newcomer_never_takes_a_seat_while_people_wait(outreach_supervisor):
    event, queue = _full_event_with_wait_list(2)
    services_changes.event_capacity_set(event=event, capacity=2, actor=outreach_supervisor)
    # A seat that came free without the wait list being served (a direct database change)
    # still goes to the queue, not to a newcomer.
    Event.objects.filter(pk=event.pk).update(capacity=3)
    _, outcome = services.registration_create(event=event, name="New", email="new@example.org")
    assert outcome == services.RegistrationOutcome.WAITLISTED
    assert Registration.objects.get(pk=queue[0].pk).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=queue[1].pk).status == Registration.Status.WAITLISTED


@pytest.mark.parametrize("change", [_via_staff_page, _via_content_edit, _via_admin])
def test_capacity_below_the_confirmed_seats_is_refused(change, outreach_supervisor, client_for):
    event = EventFactory(capacity=5)
    for n in range(3):
        RegistrationFactory(event=event, email=f"c{n}@example.org")
    if change is _via_staff_page:
        change(event, 2, outreach_supervisor, client_for)
    else:
        with pytest.raises(ValidationError) as exc:
            change(event, 2, outreach_supervisor, client_for)
        assert "3 people hold a confirmed seat" in str(exc.value)
    event.refresh_from_db()
    assert event.capacity == 5
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == 3


def test_staff_page_explains_a_refused_capacity(outreach_supervisor, client_for):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    url = reverse("outreach:staff_event_capacity", kwargs={"public_id": event.public_id})
    response = client_for(outreach_supervisor).post(url, {"capacity": 1}, follow=True)
    assert "2 people hold a confirmed seat" in response.content.decode()


def test_admin_form_explains_a_refused_capacity(outreach_supervisor, rf):
    from django.contrib.admin.sites import site
    from django.forms.models import model_to_dict

    event = EventFactory(capacity=3)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    request = rf.get("/")
    request.user = outreach_supervisor
    form_class = site._registry[Event].get_form(request, event, change=True)
    data = {k: v for k, v in model_to_dict(event).items() if v is not None} | {"capacity": 1}
    for name in ("starts_at", "ends_at"):
        value = timezone.localtime(getattr(event, name))
        data[f"{name}_0"], data[f"{name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    form = form_class(data, instance=event)
    assert not form.is_valid()
    assert "2 people hold a confirmed seat" in form.errors["capacity"][0]


# --- A moved event --------------------------------------------------------------------------------


def _move(event, actor, **changes):
    event = Event.objects.get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value)
    return services_content.event_save(event=event, actor=actor)


def test_moved_event_tells_each_registrant_once_with_a_newer_ics(outreach_supervisor):
    event = EventFactory(capacity=1, format=Event.Format.HYBRID, online_url="https://meet.example.org/room")
    confirmed = RegistrationFactory(event=event, email="c@example.org", language="es")
    waiting = RegistrationFactory(event=event, email="w@example.org", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, email="x@example.org", status=Registration.Status.CANCELLED)
    new_start = (event.starts_at + timedelta(days=3)).replace(microsecond=0)
    _move(event, outreach_supervisor, starts_at=new_start, ends_at=new_start + timedelta(hours=2), venue_name="Library")
    _move(event, outreach_supervisor, title="Town hall (renamed)")  # not a move: nobody is told again
    emails = {e.to: e for e in _emails("event_moved")}
    assert sorted(emails) == ["c@example.org", "w@example.org"]
    for email in emails.values():
        vevent = _vevent(email)
        assert vevent["SEQUENCE"] == 1
        assert vevent.decoded("DTSTART") == new_start
        assert "Library" in str(vevent["LOCATION"])
    spanish = emails[confirmed.email]
    assert spanish.language == "es"
    assert "meet.example.org/room" in spanish.body_text
    assert "meet.example.org/room" not in emails[waiting.email].body_text
    assert re.search(
        r"\b(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b",
        spanish.body_text,
    )
    assert Event.objects.get(pk=event.pk).sequence == 1


@pytest.mark.parametrize(
    ("old_days", "new_days", "week_status"),
    [(3, 10, ReminderStatus.PENDING), (10, 3, ReminderStatus.SKIPPED)],  # moved later, moved earlier
)
def test_moved_event_replans_the_reminders(old_days, new_days, week_status, outreach_supervisor):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=old_days))
    registration, _ = services.registration_create(event=event, name="Ana", email="ana@example.org")
    new_start = timezone.now() + timedelta(days=new_days)
    _move(event, outreach_supervisor, starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    reminders = {r.kind: r for r in EventReminder.objects.filter(registration=registration)}
    assert reminders[EventReminder.Kind.WEEK].status == week_status
    for kind in (EventReminder.Kind.DAY, EventReminder.Kind.HOURS):
        assert reminders[kind].status == ReminderStatus.PENDING
        assert reminders[kind].due_at == new_start - EventReminder.OFFSETS[kind]
    if new_days > old_days:  # no "starting soon" at the old time
        with time_machine.travel(timezone.now() + timedelta(days=old_days, hours=-1, minutes=-55)):
            services.reminders_dispatch()
        assert not _emails("event_reminder").exists()
        assert EventReminder.objects.filter(registration=registration, status=ReminderStatus.SKIPPED).count() == 0
    with time_machine.travel(new_start - timedelta(hours=1, minutes=55)):
        services.reminders_dispatch()
    assert EventReminder.objects.get(registration=registration, kind=EventReminder.Kind.HOURS).status == (
        ReminderStatus.DONE
    )
    assert _emails("event_reminder").count() == 1


def test_every_ics_parses_and_carries_sequence_and_last_modified(client, outreach_supervisor):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, name="Ana", email="ana@example.org")
    services.registration_create(event=event, name="Bo", email="bo@example.org")
    _move(event, outreach_supervisor, venue_name="Library")
    services.registration_create(event=event, name="Ana", email="ana@example.org")  # "already registered"
    services.registration_cancel(registration=Registration.objects.get(email="ana@example.org"))
    attached = OutboundEmail.objects.exclude(attachments=[])
    assert {e.template for e in attached} == {
        "outreach/registration_confirmed",
        "outreach/registration_promoted",
        "outreach/registration_already",
        "outreach/event_moved",
    }
    for email in attached:
        assert "SEQUENCE" in _vevent(email)
    for url in (reverse("outreach:event_ics", kwargs={"slug": event.slug}), reverse("outreach:events_ics")):
        [vevent] = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
        assert vevent["SEQUENCE"] == 1
        assert vevent.decoded("LAST-MODIFIED")


# --- Registering and "resend my link" never reveal who is registered ----------------------------


def _without_csrf(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def _register(client, event, email):
    return client.post(
        reverse("outreach:event_register", kwargs={"slug": event.slug}),
        {
            "name": "Ana",
            "email": email,
            "language": "en",
            "accessibility_needs": "",
            "form_ts": form_timestamp(scope="event_register", seconds_ago=60),
            "website": "",
        },
    )


def _resend(client, event, email):
    return client.post(
        reverse("outreach:registration_link", kwargs={"slug": event.slug}),
        {"email": email, "form_ts": form_timestamp(scope="event_link_resend", seconds_ago=60), "website": ""},
    )


@pytest.mark.parametrize(
    ("post", "status", "registered_mail", "newcomer_mail"),
    [
        (_register, Registration.Status.CONFIRMED, "registration_already", "registration_confirmed"),
        # Someone waits: a newcomer joins the wait list behind them.
        (_register, Registration.Status.WAITLISTED, "registration_already", "registration_waitlisted"),
        (_resend, Registration.Status.CONFIRMED, "registration_already", None),
        (_resend, Registration.Status.WAITLISTED, "registration_already", None),
    ],
)
def test_answer_is_the_same_for_registered_and_unregistered_addresses(
    post, status, registered_mail, newcomer_mail, client
):
    event = EventFactory(capacity=5)
    registration = RegistrationFactory(event=event, email="known@example.org", status=status)
    known = post(client, event, "known@example.org")
    unknown = post(client, event, "stranger@example.org")
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert "Check your e-mail" in known.content.decode()
    assert registration.token in _emails(registered_mail).get(to="known@example.org").body_text
    to_stranger = OutboundEmail.objects.filter(to="stranger@example.org")
    assert [e.template for e in to_stranger] == ([f"outreach/{newcomer_mail}"] if newcomer_mail else [])


def test_resend_link_is_rate_limited_per_address(client, settings):
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "event_link_resend": "2/h/email"}
    event = EventFactory()
    RegistrationFactory(event=event, email="known@example.org")
    answers = [_resend(client, event, "known@example.org") for _ in range(3)]
    assert "Check your e-mail" not in answers[-1].content.decode()
    assert _emails("registration_already").count() == 2


# --- Staff messages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "expected"),
    [("all", {"c@example.org", "w@example.org"}), ("confirmed", {"c@example.org"}), ("waitlisted", {"w@example.org"})],
)
def test_staff_message_goes_to_the_chosen_segment_only(segment, expected, outreach_staff, client_for):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, email="c@example.org")
    RegistrationFactory(event=event, email="w@example.org", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, email="x@example.org", status=Registration.Status.CANCELLED)
    url = reverse("outreach:staff_event_message", kwargs={"public_id": event.public_id})
    client = client_for(outreach_staff)
    data = {"segment": segment, "subject": "Parking & access", "body": "Use the north door."}
    preview = client.post(url, data)
    assert f"goes to {len(expected)} pe" in preview.content.decode()
    assert not _emails("event_message").exists()
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    sent = _emails("event_message")
    assert {e.to for e in sent} == expected
    assert all(e.subject == "Parking & access" and "Use the north door." in e.body_text for e in sent)
    entry = AuditEntry.objects.get(action="outreach.event.message")
    assert entry.actor == outreach_staff


@pytest.mark.parametrize("route", ["outreach:staff_event_message", "outreach:staff_event_capacity"])
def test_read_only_chief_may_not_message_or_change_capacity(route, bureau_chief, client_for):
    event = EventFactory()
    RegistrationFactory(event=event)
    response = client_for(bureau_chief).post(
        reverse(route, kwargs={"public_id": event.public_id}),
        {"segment": "all", "subject": "s", "body": "b", "confirm": "yes", "capacity": 100},
    )
    assert response.status_code == 403
    assert not _emails("event_message").exists()
    assert Event.objects.get(pk=event.pk).capacity == event.capacity
