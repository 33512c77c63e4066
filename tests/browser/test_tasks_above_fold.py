"""The tasks residents come for are on screen without scrolling, on a phone (390 px) and a
laptop (1366 px), in each language, and each is a large enough target (44 px, WCAG 2.5.5)."""

from __future__ import annotations

import pytest

from tests.browser.discovery import DEFAULT_LANGUAGE, LANGUAGES
from tests.browser.pages import open_page

pytestmark = pytest.mark.browser

PATHS = ["/", "/community-prosecution/", "/outreach/", "/government-relations/", "/justice-training-integrity/"]
BOXES = "links => links.map(a => { const r = a.getBoundingClientRect(); return [r.bottom, r.width, r.height]; })"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_tasks_are_above_the_fold(device, language, new_context):
    viewport = VIEWPORTS[device]
    page = new_context(viewport=viewport).new_page()
    problems = []
    for path in PATHS:
        url = path if language == DEFAULT_LANGUAGE else f"/{language}{path}"
        open_page(page, url)
        boxes = page.eval_on_selector_all(".task-link", BOXES)
        if not boxes:
            problems.append(f"{url}: no task links")
        for bottom, width, height in boxes:
            if bottom > viewport["height"]:
                problems.append(f"{url}: a task ends at {bottom:.0f}px, below the fold ({viewport['height']}px)")
            if width < 44 or height < 44:
                problems.append(f"{url}: a task is {width:.0f}x{height:.0f}px, smaller than 44x44")
    assert not problems, "\n".join(problems)
