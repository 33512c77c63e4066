"""A staff member signs in with e-mail, password and the authenticator code, by keyboard."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.journeys import Kit, journey


@journey("staff login with the second factor")
def staff_login(kit: Kit) -> None:
    seed = kit.portal.seed
    page = kit.page()
    page.goto("/accounts/login/")
    kit.tab_to(page, "form input[type='email']")
    page.keyboard.type(seed["login_email"])
    page.keyboard.press("Tab")
    kit.assert_focus(page, "form input[type='password']")
    page.keyboard.type(seed["login_password"])
    kit.press(page, "Enter", navigates=True)

    assert "/2fa/authenticate/" in page.url, f"expected the second-factor step, got {page.url}"
    if not kit.focus_matches(page, "input[name='code']"):
        kit.tab_to(page, "input[name='code']")
    page.keyboard.type(kit.totp_code())
    kit.press(page, "Enter", navigates=True)

    assert urlsplit(page.url).path == "/staff/", f"expected the staff dashboard, got {page.url}"
    assert page.get_attribute("html", "lang") == "en"
