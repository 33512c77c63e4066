"""A resident reports a concern with a photo using only the keyboard, then follows it."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.browser.journeys import Kit, journey

# The live portal keeps the default minimum fill time of the protected forms
# (JCR_FORM_MIN_FILL_SECONDS, 3 s); a person typing takes longer, a fast script may not, so
# the journey waits out the rest before sending.
MIN_FILL_SECONDS = 4


def _jpeg(folder: Path) -> Path:
    from PIL import Image

    path = folder / "graffiti.jpg"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(path, format="JPEG")
    return path


@journey("report a concern with a photo")
def report_concern(kit: Kit) -> None:
    page = kit.page()
    page.goto("/community-prosecution/report/")

    # Step 1: the category, a radio group (arrow keys move the choice).
    kit.tab_to(page, "input[name='category']")
    page.keyboard.press("ArrowDown")
    kit.assert_focus(page, "input[name='category'][value='graffiti']:checked")
    kit.tab_to(page, "main form button[type='submit']")
    kit.press(page, "Enter", navigates=True)
    assert page.url.endswith("/community-prosecution/report/graffiti/"), page.url
    started = time.monotonic()  # the form's signed timestamp is from this page load

    # Step 2: the form of that category.
    kit.tab_to(page, "textarea[name='description']")
    page.keyboard.type("Fresh tags on the laundromat wall, facing the bus stop.")
    kit.tab_to(page, "input[name='q_surface']")
    page.keyboard.press("Space")
    kit.assert_focus(page, "input[name='q_surface']:checked")
    kit.tab_to(page, "input[name='address']")
    page.keyboard.type("5th and J")
    kit.tab_to(page, "input[name='when_happens']")
    page.keyboard.press("Space")
    kit.tab_to(page, "input[name='photos']")
    with tempfile.TemporaryDirectory() as folder:
        # The one allowed exception: a file input cannot be filled with keys.
        page.set_input_files("input[name='photos']", str(_jpeg(Path(folder))))
        kit.tab_to(page, "main form button[type='submit']:not([name='check'])")
        remaining = MIN_FILL_SECONDS - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        kit.press(page, "Enter", navigates=True)

    assert "/community-prosecution/report/sent/" in page.url, f"not sent: {page.url}\n{page.inner_text('main')}"
    code = page.inner_text("#tracking-code").strip()
    assert len(code) == 8, code

    # Follow the report from the confirmation page.
    kit.tab_to(page, "#confirmation a.btn")
    kit.press(page, "Enter", navigates=True)
    assert page.url.endswith(f"/community-prosecution/track/{code}/"), page.url
    assert "Received" in page.inner_text("#concern-status")
