"""Keyboard-only journeys (tests/browser/journeys/: one module per journey, registered with
@journey). Each runs as its own test against the worker's portal."""

from __future__ import annotations

import pytest

from tests.browser.journeys import Kit, journeys_load

pytestmark = pytest.mark.browser

JOURNEYS = journeys_load()


def test_journeys_are_registered():
    assert {"switch language", "staff login with the second factor", "failed submit focuses the error summary"} <= set(
        JOURNEYS
    )


@pytest.mark.parametrize("name", sorted(JOURNEYS))
def test_keyboard_journey(name, portal, new_context):
    JOURNEYS[name](Kit(portal, new_context))
