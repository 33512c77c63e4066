"""axe-core on every discovered page and every discovered form's error state, in English and
Spanish: no violation of WCAG 2.0/2.1 A and AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa).

Public pages: the sitemap's and the route walk's other public HTML pages, as an anonymous
visitor. Staff pages: the route walk's staff and account pages, as a superuser with an
authenticator app. Forms: every <form method="post"> with fields on those pages, submitted
empty and with invalid values. Each failure line names the page, the rule and the element.
"""

from __future__ import annotations

import pytest

from tests.browser.axe import AXE_CONTEXT, axe_report, axe_violations
from tests.browser.discovery import LANGUAGES
from tests.browser.forms import MODES, forms_on, submit
from tests.browser.pages import open_page, staff_pages

pytestmark = pytest.mark.browser


def _fail_on(problems: list[str], checked: int, what: str) -> None:
    assert checked, f"no {what} discovered: the discovery is broken"
    assert not problems, f"{len(problems)} accessibility problem(s) on {checked} {what}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_axe_violations(language, site, new_context):
    page = new_context(**AXE_CONTEXT).new_page()
    problems, checked = [], 0
    for path in site.public(language):
        opened = open_page(page, path)
        assert opened.status == 200, f"{path} answered {opened.status}"
        problems += axe_report(opened.final, axe_violations(page))
        checked += 1
    _fail_on(problems, checked, f"public pages ({language})")


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_have_no_axe_violations(language, site, new_context):
    page = new_context(staff=True, **AXE_CONTEXT).new_page()
    problems, checked = [], 0
    for opened in staff_pages(page, site.staff[language]):
        assert opened.status == 200, f"{opened.path} -> {opened.final} answered {opened.status}"
        assert "/accounts/login/" not in opened.final, f"{opened.path} sent the staff persona to sign in"
        problems += axe_report(opened.final, axe_violations(page))
        checked += 1
    _fail_on(problems, checked, f"staff pages ({language})")


def _forms_checked(page, paths, label: str) -> tuple[list[str], int, list[str]]:
    """Every form on `paths` (already opened HTML pages), in each error mode."""
    problems, checked, notes = [], 0, []
    found, seen = [], set()
    for path in paths:
        open_page(page, path)
        for form in forms_on(page, path):
            # The same page reached with another query (?next=...) has the same forms.
            key = (path.split("?", 1)[0], form.index, form.fields)
            if key not in seen:
                seen.add(key)
                found.append(form)
    for form in found:
        for mode in MODES:
            result = submit(page, form, mode)
            where = f"{form} submitted {mode} -> {page.url}"
            if result.status >= 500:
                problems.append(f"{where}: answered {result.status}")
                continue
            if not result.error_shown:
                notes.append(f"{where}: no error shown ({label})")
            problems += axe_report(where, axe_violations(page))
            checked += 1
    return problems, checked, notes


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_forms_error_state_has_no_axe_violations(language, site, new_context):
    page = new_context(**AXE_CONTEXT).new_page()
    problems, checked, notes = _forms_checked(page, site.public(language), "public")
    print("\n".join(notes))
    _fail_on(problems, checked, f"public form error states ({language})")


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_forms_error_state_has_no_axe_violations(language, site, new_context):
    page = new_context(staff=True, **AXE_CONTEXT).new_page()
    paths = [opened.final for opened in staff_pages(page, site.staff[language])]
    problems, checked, notes = _forms_checked(page, paths, "staff")
    print("\n".join(notes))
    _fail_on(problems, checked, f"staff form error states ({language})")
