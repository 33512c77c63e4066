"""Event services under their former address, for the content staff pages and the social
tests that still call `outreach.services.event_publish` / `event_cancel`. The services live
in outreach/events/services.py; remove this module once nothing imports it."""

from outreach.events.services import event_cancel, event_publish

__all__ = ["event_cancel", "event_publish"]
