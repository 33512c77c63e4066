"""The home page and each unit's landing open with the tasks residents come for, in English
and Spanish: the first section of the page is the task list, and it links each task's page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PAGES = {
    "core:home": [
        "prosecution:report",
        "prosecution:concern_track_find",
        "prosecution:my_prosecutor",
        "outreach:event_list",
        "integrity:landing",
    ],
    "prosecution:landing": ["prosecution:report", "prosecution:concern_track_find", "prosecution:my_prosecutor"],
    "outreach:landing": ["outreach:event_list", "outreach:presentation_request", "outreach:dialogue_list"],
    "govrelations:landing": ["govrelations:positions_feed"],
    "integrity:landing": ["integrity:allegation_report", "integrity:claim_submit", "integrity:policy_public_list"],
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_opens_with_its_tasks(client, page, language):
    with translation.override(language):
        url = reverse(page)
        expected = [reverse(name) for name in PAGES[page]]
    response = client.get(url)
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"', 1)[1]
    tasks = re.search(r'<nav class="task-nav".*?</nav>', main, re.S)
    assert tasks, "no task list"
    # The task list is the first thing after the page's title: no section heading before it.
    assert "<h2" not in main[: tasks.start()]
    assert main.index("<h1") < tasks.start()
    hrefs = re.findall(r'<a class="task-link" href="([^"]+)"', tasks.group(0))
    assert all(href in hrefs for href in expected), (expected, hrefs)
