"""A resident finds their community prosecutor by address using only the keyboard: they type
part of the address, move to a suggestion with the arrow key, choose it with Enter, and send."""

from __future__ import annotations

from tests.browser.journeys import Kit, journey


@journey("find my community prosecutor by address")
def find_prosecutor(kit: Kit) -> None:
    page = kit.page()
    page.goto("/community-prosecution/my-prosecutor/")
    kit.tab_to(page, "input[name='address']")
    page.keyboard.type("1200 J")
    # The demo geocoder's suggestions (the combobox's listbox) appear under the input.
    page.wait_for_selector("#id_address-suggestions [role='option']")
    assert page.get_attribute("#id_address", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#id_address", "aria-activedescendant") == "id_address-suggestions-0"
    page.keyboard.press("Enter")  # chooses the suggestion, does not send the form
    kit.assert_focus(page, "#id_address")
    assert page.input_value("#id_address") == "1200 J St, Sacramento, CA"
    assert page.get_attribute("#id_address", "aria-expanded") == "false"
    assert page.input_value("#id_latitude")
    assert page.input_value("#id_longitude")
    kit.tab_to(page, "main form button[type='submit']")
    kit.press(page, "Enter", navigates=True)
    assert "Downtown/Midtown" in page.inner_text("main"), f"{page.url}\n{page.inner_text('main')[:600]}"
