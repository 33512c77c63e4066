"""The CPRA clocks from the rules registry: 10 days from receipt, 14 more by written notice
for a listed unusual circumstance, the version in force on the day received."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from integrity.publicrecords import selectors, services
from integrity.publicrecords.models import DETERMINATION_RULE, EXTENSION_RULE
from integrity.publicrecords.tests import factories as f
from integrity.rules.models import LegalRule
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

TODAY = "2026-12-07 12:00:00-08:00"


def _roll(roll: bool) -> None:
    for code in (DETERMINATION_RULE, EXTENSION_RULE):
        rule = LegalRule.objects.get(code=code, effective_to__isnull=True)
        rule.parameters = rule.parameters | {"roll": roll}
        rule.save(update_fields=["parameters"])


@pytest.mark.parametrize(
    ("received", "roll", "due"),
    [
        (date(2026, 3, 2), False, date(2026, 3, 12)),  # Monday -> Thursday
        (date(2026, 3, 5), False, date(2026, 3, 15)),  # last day a Sunday, kept ...
        (date(2026, 3, 5), True, date(2026, 3, 16)),  # ... or rolled to Monday
        (date(2026, 11, 16), False, date(2026, 11, 26)),  # Thanksgiving, kept ...
        (date(2026, 11, 16), True, date(2026, 11, 30)),  # ... or past it and the day after
        (date(2026, 12, 24), False, date(2027, 1, 3)),  # across the year end (a Sunday) ...
        (date(2026, 12, 24), True, date(2027, 1, 4)),  # ... rolled to Monday
        (date(2028, 2, 29), True, date(2028, 3, 10)),  # received on a leap day
    ],
)
def test_the_determination_is_due_ten_days_after_receipt(received, roll, due):
    _roll(roll)
    assert selectors.determination_due(received)[0] == due


@pytest.mark.parametrize(
    ("received", "citation", "reasons"),
    [
        (date(2022, 12, 30), "former § 6253", 4),
        (date(2023, 1, 2), "§ 7922.535", 4),
        (date(2025, 6, 2), "SB 1034", 5),
        (date(2026, 6, 1), "AB 370", 6),
    ],
)
def test_the_version_in_force_on_the_day_received_is_used(received, citation, reasons):
    request = f.pra(received_on=received)
    extension = selectors.extension_rule(received)
    assert request.determination_rule.effective_from <= received
    assert request.determination_rule.effective_to is None or request.determination_rule.effective_to >= received
    assert citation in f"{request.determination_rule.citation} {extension.citation}"
    assert len(selectors.extension_reasons(extension)) == reasons


@pytest.mark.parametrize(
    ("received", "notice", "extended"),
    [
        (date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 26)),  # 12 March + 14
        (date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 29)),  # from the unrolled Sunday
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_an_extension_adds_fourteen_days_and_writes_to_the_requester(received, notice, extended, jti_staff):
    request = f.pra(received_on=received)
    request = services.request_extend(
        request=request, reason="voluminous", explanation="Ten boxes of files.", notice_on=notice, actor=jti_staff
    )
    assert (request.status, request.extended_due, request.due_on) == ("extended", extended, extended)
    assert request.extension_rule.code == EXTENSION_RULE
    email = OutboundEmail.objects.get(template="integrity/publicrecords_extended")
    assert email.to == "requester@example.org"
    assert "Ten boxes of files." in email.body_text
    assert "voluminous amount" in email.body_text
    assert extended.strftime("%B") in email.body_text


@pytest.mark.parametrize(
    ("received", "reason", "notice"),
    [
        (date(2026, 3, 2), "", date(2026, 3, 3)),
        (date(2026, 3, 2), "because", date(2026, 3, 3)),
        (date(2024, 3, 4), "cyberattack", date(2024, 3, 5)),  # not a ground before 2026
        (date(2026, 3, 2), "voluminous", date(2026, 3, 13)),  # notice after the 10 days
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_an_extension_needs_a_listed_reason_and_a_timely_notice(received, reason, notice, jti_staff):
    request = f.pra(received_on=received)
    with pytest.raises(ValidationError):
        services.request_extend(request=request, reason=reason, explanation="x", notice_on=notice, actor=jti_staff)
    request.refresh_from_db()
    assert (request.status, request.extended_due) == ("received", None)


@time_machine.travel(TODAY, tick=False)
def test_time_is_extended_once(jti_staff):
    request = f.pra(received_on=date(2026, 12, 1))
    services.request_extend(
        request=request, reason="consultation", explanation="x", notice_on=date(2026, 12, 2), actor=jti_staff
    )
    with pytest.raises(ValidationError):
        services.request_extend(
            request=request, reason="consultation", explanation="x", notice_on=date(2026, 12, 3), actor=jti_staff
        )
