"""After a failed submit focus is on the error summary, which links to each field in error."""

from __future__ import annotations

from tests.browser.journeys import Kit, journey


@journey("failed submit focuses the error summary")
def error_summary(kit: Kit) -> None:
    page = kit.page()
    page.goto("/accounts/login/")
    kit.tab_to(page, "form[action$='/accounts/login/'] button[type='submit']")
    kit.press(page, "Enter", navigates=True)  # submitted empty

    kit.assert_focus(page, "#error-summary[role='alert']")
    in_error = page.evaluate(
        "() => Array.from(document.querySelectorAll(\"main form [aria-invalid='true']\")).map((el) => el.id)"
    )
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('#error-summary a[href^=\"#\"]'))"
        ".map((a) => a.getAttribute('href').slice(1))"
    )
    assert in_error, "the empty submit left no field marked aria-invalid"
    missing = [field for field in in_error if field not in links]
    assert not missing, f"the error summary has no link to {missing} (links: {links})"

    page.keyboard.press("Tab")
    kit.assert_focus(page, f"#error-summary a[href='#{links[0]}']")
    kit.press(page, "Enter")
    kit.assert_focus(page, f"#{links[0]}")
