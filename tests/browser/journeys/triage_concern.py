"""A community prosecution supervisor works a new concern using only the keyboard: filters the
queue to received concerns, opens the first one, assigns it to themselves and moves it to
"under review" with a public update."""

from __future__ import annotations

from tests.browser.journeys import Kit, journey

PUBLIC_UPDATE = "We are looking into this with the neighborhood's code enforcement officer."


@journey("triage a concern")
def triage_concern(kit: Kit) -> None:
    page = kit.page(staff=True)
    page.goto("/staff/community-prosecution/concerns/")

    # Filter the queue: status "Received" (typing the first letters picks the option).
    kit.tab_to(page, "select[name='status']")
    page.keyboard.type("Rec")
    kit.tab_to(page, "form button[type='submit']")
    kit.press(page, "Enter", navigates=True)
    assert "status=received" in page.url, page.url
    statuses = page.locator("table tbody tr td[data-column='status']").all_inner_texts()
    assert statuses, "the demo data has received concerns"
    assert all(s.startswith("Received") for s in statuses), statuses

    # Open the first concern of the queue.
    code = page.inner_text("table tbody tr:first-child th a").strip()
    kit.tab_to(page, "table tbody tr:first-child th a")
    kit.press(page, "Enter", navigates=True)
    assert code in page.inner_text("h1"), page.inner_text("h1")

    # Assign it to me.
    kit.tab_to(page, "form[action$='/assign/'] button[type='submit']")
    kit.press(page, "Enter", navigates=True)
    assert "assigned to you" in page.inner_text("main")
    assert "Avery Browser" in page.inner_text(".concern-facts")

    # Under review, with a public update for the resident.
    status_form = "form[action$='/status/']"
    kit.tab_to(page, f"{status_form} select[name='status']")
    page.keyboard.type("Under")
    kit.tab_to(page, f"{status_form} textarea[name='public_text']")
    page.keyboard.type(PUBLIC_UPDATE)
    kit.tab_to(page, f"{status_form} button[type='submit']")
    kit.press(page, "Enter", navigates=True)
    assert "Status changed to Under review" in page.inner_text("main"), page.inner_text("main")
    assert PUBLIC_UPDATE in page.inner_text("#concern-history")

    # The resident sees the update on the tracking page (a fresh, anonymous person).
    resident = kit.page()
    resident.goto(f"/community-prosecution/track/{code}/")
    assert "Under review" in resident.inner_text("#concern-status")
    assert PUBLIC_UPDATE in resident.inner_text("main")
