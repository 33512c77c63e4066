"""Every public page of the sitemap, in each language: <html lang> is the page's language,
one h1, a title no other page of that language has, no horizontal scrolling at 320 px; and
full-page screenshots at desktop (1280) and phone (375) width in tests/artifacts/screenshots/
for a person to look at after a run."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.browser.conftest import artifacts_dir
from tests.browser.discovery import LANGUAGES
from tests.browser.pages import open_page

pytestmark = pytest.mark.browser

SCREEN_WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.mark.parametrize("language", LANGUAGES)
def test_lang_one_h1_and_unique_titles(language, site, new_context):
    page = new_context().new_page()
    problems, titles = [], defaultdict(list)
    pages = site.sitemap[language]
    assert pages, f"the sitemap lists no page in {language}"
    for path in pages:
        open_page(page, path)
        lang = page.get_attribute("html", "lang")
        if lang != language:
            problems.append(f"{path}: <html lang={lang!r}>, expected {language!r}")
        h1s = page.locator("h1").count()
        if h1s != 1:
            problems.append(f"{path}: {h1s} h1 elements, expected exactly one")
        title = page.title().strip()
        if not title:
            problems.append(f"{path}: empty <title>")
        titles[title].append(path)
    problems += [f"title {title!r} shared by {paths}" for title, paths in titles.items() if len(paths) > 1]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_horizontal_scroll_at_320px(language, site, new_context):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    problems = []
    for path in site.sitemap[language]:
        open_page(page, path)
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            problems.append(f"{path}: scrolls horizontally at 320 px (scrollWidth {scroll} > clientWidth {client})")
    assert not problems, "\n".join(problems)


def _file_name(path: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return name or "home"


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots(language, site, new_context):
    folder = artifacts_dir("screenshots")
    written = []
    for device, width in SCREEN_WIDTHS.items():
        page = new_context(viewport={"width": width, "height": 900}).new_page()
        for path in site.sitemap[language]:
            open_page(page, path)
            name = _file_name(path)
            if name == language:
                name = f"{language}-home"
            elif language != "en" and not name.startswith(f"{language}-"):
                name = f"{language}-{name}"
            target = folder / f"{name}.{device}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
    assert written
    assert all(p.stat().st_size > 0 for p in written)
