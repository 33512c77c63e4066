"""A resident registers for an event using only the keyboard, then tries again with the same
address and gets the same answer (no error page; the page never tells whether an address is
registered — the e-mail does)."""

from __future__ import annotations

import time

from tests.browser.journeys import Kit, journey

# The live portal keeps the default minimum fill time of the protected forms (3 s).
MIN_FILL_SECONDS = 4
EMAIL = "keyboard.resident@example.org"


def _register(kit: Kit, page) -> None:
    """From an event page: open the form, fill it by keyboard, send it."""
    kit.tab_to(page, "main a.btn-primary[href$='/register/']")
    kit.press(page, "Enter", navigates=True)
    started = time.monotonic()
    kit.tab_to(page, "input[name='name']")
    page.keyboard.type("Kai Keyboard")
    page.keyboard.press("Tab")
    kit.assert_focus(page, "input[name='email']")
    page.keyboard.type(EMAIL)
    kit.tab_to(page, "main form button[type='submit']")
    remaining = MIN_FILL_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    kit.press(page, "Enter", navigates=True)


@journey("register for an event")
def register_event(kit: Kit) -> None:
    page = kit.page()
    page.goto("/outreach/events/")

    kit.tab_to(page, "main h2 a[href^='/outreach/events/']")
    title = kit.focused(page)
    kit.press(page, "Enter", navigates=True)
    event_url = page.url

    _register(kit, page)
    heading = page.inner_text("#confirmation h1")
    assert heading == "Check your e-mail", (title, heading)

    # The same address again: the same answer, on a normal page.
    page.goto(event_url)
    _register(kit, page)
    assert page.inner_text("#confirmation h1") == "Check your e-mail"
