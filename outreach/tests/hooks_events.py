"""Quality-gate hooks of the outreach programs and events (collected by outreach.tests.hooks;
see tests.support.hook_modules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from outreach.events.models import Event, EventReminder, Registration
from outreach.programs.models import PresentationReminder, PresentationRequest, Program, Topic
from tests.support import Route, Sample

SAMPLE_EVENT_SLUG = "sample-town-hall"
SAMPLE_PROGRAM_SLUG = "sample-program"
SAMPLE_REFERENCE = "SAMPLE34"
SAMPLE_TOKEN = "sample-registration-token-not-secret"


def admin_rows_ensure() -> None:
    """One row of each model for the admin's object pages."""
    from outreach.events.tests.factories import EventReminderFactory
    from outreach.programs.tests.factories import PresentationRequestFactory, ProgramFactory

    if not Program.objects.exists():
        ProgramFactory()
    if not PresentationRequest.objects.exists():
        PresentationRequestFactory()
    if not EventReminder.objects.exists():
        EventReminderFactory()
    if not PresentationReminder.objects.exists():
        from django.utils import timezone

        request = PresentationRequest.objects.order_by("pk").first()
        PresentationReminder.objects.create(request=request, scheduled_for=timezone.now(), due_at=timezone.now())
    assert Topic.objects.exists()
    assert Event.objects.exists()
    assert Registration.objects.exists()


def seed_private_markers(*, personas, marker) -> list[str]:
    """Registrants' names, e-mails and accessibility needs, an online meeting link, and a
    presentation requester's contact details and notes."""
    from outreach.events.tests.factories import EventFactory, RegistrationFactory
    from outreach.programs.tests.factories import PresentationRequestFactory

    online = marker("online-url")
    event = EventFactory(format=Event.Format.HYBRID, online_url=f"https://meet.example.org/{online}")
    name, email_user, needs = marker("registrant-name"), marker("registrant-email"), marker("registrant-needs")
    RegistrationFactory(event=event, name=name, email=f"{email_user}@example.org", accessibility_needs=needs)
    waiting = marker("waitlisted-name")
    RegistrationFactory(event=event, name=waiting, status=Registration.Status.WAITLISTED)
    contact, contact_email, phone, notes = (
        marker("requester-name"),
        marker("requester-email"),
        marker("requester-phone"),
        marker("requester-notes"),
    )
    PresentationRequestFactory(
        contact_name=contact, contact_email=f"{contact_email}@example.org", contact_phone=phone, notes=notes
    )
    return [online, name, email_user, needs, waiting, contact, contact_email, phone, notes]


def _event(personas=None, route=None) -> Event:
    from outreach.events.tests.factories import EventFactory

    return Event.objects.filter(slug=SAMPLE_EVENT_SLUG).first() or EventFactory(
        slug=SAMPLE_EVENT_SLUG, format=Event.Format.IN_PERSON
    )


def _event_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"slug": _event().slug})


def _event_staff_sample(personas: Mapping[str, object], route: Route) -> Sample:
    return Sample(kwargs={"public_id": _event().public_id})


def _registration_staff_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.events.tests.factories import RegistrationFactory

    registration = RegistrationFactory(event=_event())
    return Sample(kwargs={"public_id": registration.public_id})


def _token_sample(personas: Mapping[str, object], route: Route) -> Sample:
    """A registration's own page (its holder has the token from the e-mail). The sample
    registration carries no private marker; the marked ones have their own secret tokens."""
    from outreach.events.tests.factories import RegistrationFactory

    registration = Registration.objects.filter(token=SAMPLE_TOKEN).first() or RegistrationFactory(
        event=_event(), token=SAMPLE_TOKEN, name="Sample Registrant"
    )
    # POST (cancel) redirects to the token page by design.
    ok = 302 if route.view_name == "outreach:registration_cancel" else 200
    return Sample(kwargs={"token": registration.token}, ok=ok)


def _program_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.programs.tests.factories import ProgramFactory

    program = Program.objects.filter(slug=SAMPLE_PROGRAM_SLUG).first() or ProgramFactory(slug=SAMPLE_PROGRAM_SLUG)
    return Sample(kwargs={"slug": program.slug})


def _reference_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.programs.tests.factories import PresentationRequestFactory

    request = PresentationRequest.objects.filter(reference=SAMPLE_REFERENCE).first() or PresentationRequestFactory(
        reference=SAMPLE_REFERENCE
    )
    return Sample(kwargs={"reference": request.reference})


def _presentation_staff_sample(personas: Mapping[str, object], route: Route) -> Sample:
    from outreach.programs.tests.factories import PresentationRequestFactory

    return Sample(kwargs={"public_id": PresentationRequestFactory().public_id})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "outreach:program_detail": _program_sample,
        "outreach:presentation_request_done": _reference_sample,
        "outreach:event_detail": _event_sample,
        "outreach:event_register": _event_sample,
        "outreach:event_ics": _event_sample,
        "outreach:registration_link": _event_sample,
        "outreach:registration_detail": _token_sample,
        "outreach:registration_cancel": _token_sample,
        "outreach:staff_event_registrations": _event_staff_sample,
        "outreach:staff_event_export": _event_staff_sample,
        "outreach:staff_event_cancel": _event_staff_sample,
        "outreach:staff_event_capacity": _event_staff_sample,
        "outreach:staff_event_message": _event_staff_sample,
        "outreach:staff_registration_check_in": _registration_staff_sample,
        "outreach:staff_presentation_*": _presentation_staff_sample,
    }
