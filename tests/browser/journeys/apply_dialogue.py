"""A resident applies to a community dialogue using only the keyboard: district from the list,
home address, a participant group, contact details, the three commitments, then the
application is received."""

from __future__ import annotations

import time

from tests.browser.journeys import Kit, journey

# The live portal keeps the default minimum fill time of the protected forms (3 s).
MIN_FILL_SECONDS = 4
# The demo series whose application window is open (outreach/dialogues/demo.py).
SERIES = "nest-2026"


@journey("apply to a community dialogue")
def apply_dialogue(kit: Kit) -> None:
    page = kit.page()
    page.goto(f"/outreach/dialogues/{SERIES}/")
    kit.tab_to(page, f"main a[href='/outreach/dialogues/{SERIES}/apply/']")
    kit.press(page, "Enter", navigates=True)
    started = time.monotonic()

    # District: typing the first letters picks the option.
    kit.tab_to(page, "select[name='district']")
    page.keyboard.type("Nat")
    assert page.eval_on_selector("select[name='district']", "s => s.selectedOptions[0].text").startswith("Natomas")
    kit.tab_to(page, "input[name='address']")
    page.keyboard.type("3000 Truxel Road")
    # Group: a radio group; the arrow key moves from the first choice (youth) to the next.
    kit.tab_to(page, "input[name='group']")
    page.keyboard.press("ArrowDown")
    kit.assert_focus(page, "input[name='group'][value='faith']:checked")
    kit.tab_to(page, "input[name='name']")
    page.keyboard.type("Kai Keyboard")
    page.keyboard.press("Tab")
    kit.assert_focus(page, "input[name='email']")
    page.keyboard.type("kai.dialogue@example.org")
    for commitment in ("commits_to_learning", "commits_to_research", "commits_to_problem_solving"):
        kit.tab_to(page, f"input[name='{commitment}']")
        page.keyboard.press("Space")
        kit.assert_focus(page, f"input[name='{commitment}']:checked")
    kit.tab_to(page, "main form button[type='submit']")
    remaining = MIN_FILL_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    kit.press(page, "Enter", navigates=True)

    assert page.inner_text("h1") == "Application received", f"{page.url}\n{page.inner_text('main')[:800]}"
