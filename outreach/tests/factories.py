"""Factories of programs and events under their former address, for the media and social
tests that still import them from here. The factories live in
outreach/programs/tests/factories.py and outreach/events/tests/factories.py; remove this
module once no test imports it."""

from outreach.events.tests.factories import EventFactory, EventReminderFactory, RegistrationFactory
from outreach.programs.tests.factories import PresentationRequestFactory, ProgramFactory, TopicFactory

__all__ = [
    "EventFactory",
    "EventReminderFactory",
    "PresentationRequestFactory",
    "ProgramFactory",
    "RegistrationFactory",
    "TopicFactory",
]
