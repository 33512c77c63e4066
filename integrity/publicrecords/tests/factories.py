"""Test rows of public records requests, made through the services (so the clocks, the
timeline and the reminders are as in use)."""

from __future__ import annotations

from datetime import date

from integrity.publicrecords import services
from integrity.publicrecords.models import PublicRecordsRequest


def pra(
    *, received_on: date | None = None, email: str = "requester@example.org", actor=None, **values
) -> PublicRecordsRequest:
    fields = {"description": "Charging policies for 2024.", "preferred_format": "electronic", "email": email}
    fields |= values
    if received_on is None:
        return services.request_submit(**fields)
    return services.request_enter(actor=actor, channel="mail", received_on=received_on, **fields)
