"""Keyboard-only journeys: a person who uses only the keyboard completes a task.

THE PLACE TO ADD A JOURNEY. One module per journey in this package (tests/browser/journeys/);
every module here is imported and every function registered with @journey runs as its own
test (tests/browser/test_journeys.py), on each xdist worker's live portal:

    # tests/browser/journeys/report_concern.py
    from tests.browser.journeys import Kit, journey

    @journey("report a concern with a photo")
    def report_concern(kit: Kit) -> None:
        page = kit.page()                       # a fresh anonymous context ("en")
        page.goto("/community-prosecution/report/")
        kit.tab_to(page, "input[name='location']")
        page.keyboard.type("5th and J")
        ...
        kit.press(page, "Enter", navigates=True)
        kit.assert_focus(page, "#confirmation h1")

A staff journey opens its page with kit.page(staff=True) (see triage_concern.py).

Rules: only key presses move the person (page.keyboard.press / type, kit.tab_to, kit.press);
page.goto only to open the first page; assert where focus is (kit.assert_focus /
kit.focused()), never click. A file input cannot be filled by keys: set its file with
page.set_input_files after tabbing to it (the one allowed exception, and say so).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass

JOURNEYS: dict[str, Callable[[Kit], None]] = {}


def journey(name: str):
    """Register a keyboard journey under a readable name (the test id)."""

    def register(fn: Callable[[Kit], None]) -> Callable[[Kit], None]:
        if name in JOURNEYS:
            raise ValueError(f"two journeys named {name!r}")
        JOURNEYS[name] = fn
        return fn

    return register


_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const id = el.id ? "#" + el.id : "";
  const name = el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "";
  const text = (el.innerText || el.value || "").trim().slice(0, 40);
  return el.tagName.toLowerCase() + id + name + (text ? " \\"" + text + "\\"" : "");
}"""


@dataclass
class Kit:
    """What a journey gets: the live portal, a way to open contexts, keyboard helpers."""

    portal: object  # tests.browser.server.Portal (url, seed)
    new_context: Callable  # the conftest fixture: new_context(staff=False, **options)

    def page(self, *, staff: bool = False, **options):
        return self.new_context(staff=staff, **options).new_page()

    @staticmethod
    def focused(page) -> str:
        """A short description of the focused element (for messages)."""
        return page.evaluate(_FOCUSED)

    @staticmethod
    def focus_matches(page, selector: str) -> bool:
        return page.evaluate("(s) => Boolean(document.activeElement && document.activeElement.matches(s))", selector)

    def assert_focus(self, page, selector: str) -> None:
        assert self.focus_matches(page, selector), f"focus is on {self.focused(page)}, expected {selector}"

    def tab_to(self, page, selector: str, *, limit: int = 60, key: str = "Tab") -> int:
        """Press Tab until the focused element matches `selector`; returns how many presses.
        Fails with the focus path when it is not reached within `limit` presses."""
        path = []
        for presses in range(1, limit + 1):
            page.keyboard.press(key)
            if self.focus_matches(page, selector):
                return presses
            path.append(self.focused(page))
        raise AssertionError(f"{selector} not reached in {limit} presses of {key}; focus went: " + " -> ".join(path))

    @staticmethod
    def press(page, key: str, *, navigates: bool = False) -> None:
        """Press `key`; with navigates=True wait for the page it opens to load."""
        if navigates:
            with page.expect_navigation(wait_until="load"):
                page.keyboard.press(key)
        else:
            page.keyboard.press(key)

    def totp_code(self, *, margin: int = 4) -> str:
        """The current second-factor code of the seeded sign-in person (as demo_otp computes
        it); waits for the next period when fewer than `margin` seconds are left."""
        from allauth.mfa import app_settings as mfa_settings
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        period = mfa_settings.TOTP_PERIOD
        if period - time.time() % period < margin:
            time.sleep(period - time.time() % period + 0.2)
        secret = self.portal.seed["totp_secret"]
        return format_hotp_value(hotp_value(secret, int(time.time() // period)))


def journeys_load() -> dict[str, Callable[[Kit], None]]:
    """Import every module of this package (each registers its journeys)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return JOURNEYS
