"""Switch the language by keyboard; the skip link is the first tab stop and leads to <main>."""

from __future__ import annotations

from tests.browser.journeys import Kit, journey


def _skip_link_works(kit: Kit, page) -> None:
    page.keyboard.press("Tab")
    kit.assert_focus(page, "a.skip-link[href='#main']")
    kit.press(page, "Enter")
    kit.assert_focus(page, "main#main")


@journey("switch language")
def switch_language(kit: Kit) -> None:
    page = kit.page()
    page.goto("/")
    english_h1 = page.inner_text("h1").strip()
    assert page.get_attribute("html", "lang") == "en"
    _skip_link_works(kit, page)

    page.goto("/")  # from the top of the page again
    kit.tab_to(page, "nav.language-switcher a[lang='es'][hreflang='es']")
    kit.press(page, "Enter", navigates=True)
    assert page.url.endswith("/es/"), page.url
    assert page.get_attribute("html", "lang") == "es"
    spanish_h1 = page.inner_text("h1").strip()
    assert spanish_h1, "the Spanish home page has no h1 text"
    assert spanish_h1 != english_h1, f"h1 after switching: {spanish_h1!r} (English: {english_h1!r})"
    _skip_link_works(kit, page)
