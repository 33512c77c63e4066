"""The resident's journey through the public site, in each language, in a real browser:

home page -> "Find your community prosecutor" -> a demo address chosen from the suggestions ->
the district and its prosecutor; -> "Report a concern" with the same address (suggestion) and a
photo -> the receipt with a tracking code -> the public map lists the new concern -> its
public page, where a neighbor (another e-mail) follows it -> the neighbor confirms with the
link of the e-mail row the portal wrote -> staff change the status -> the neighbor's update
e-mail row is in the neighbor's language and tells nothing of the reporter.

Screenshots of the home page, the filled report form, the public map, the public page of the
concern and the reporter's tracking page, at phone (390x844) and desktop (1366x768) size, go to
tests/artifacts/screenshots/resident/ for a person to look at after a run.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.utils import translation

from tests.browser.backstage import backstage
from tests.browser.conftest import artifacts_dir
from tests.browser.seed import STAFF_EMAIL

pytestmark = pytest.mark.browser

# A street of the demo gazetteer (jcr/core/geocoding_demo.py) in the Downtown/Midtown district.
TYPED = "1200 J"
ADDRESS = "1200 J St, Sacramento, CA"
DISTRICT = "Downtown/Midtown"
PROSECUTOR = "Marcus Bell"  # the demo data's community prosecutor of that district (seed_demo)
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 768)}
# The protected forms' minimum fill time (JCR_FORM_MIN_FILL_SECONDS, 3 s) with a margin.
MIN_FILL_SECONDS = 4
REPORTER = {"name": "Rosa Reporter", "email": "rosa.reporter@example.org", "phone": "916-555-0142"}
PUBLIC_UPDATE = {
    "en": "Code enforcement will inspect the wall this week.",
    "es": "El departamento de cumplimiento de códigos inspeccionará la pared esta semana.",
}
# The "Already reported nearby" box has answered for the pin (neither its prompt nor "looking").
NEARBY_SETTLED = """() => {
  const box = document.querySelector("[data-nearby-concerns]");
  const said = box && box.querySelector("[data-nearby-status]").textContent.trim();
  return Boolean(said) && said !== box.dataset.msgPrompt && said !== box.dataset.msgLoading;
}"""


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _shoot(page, folder: Path, language: str, name: str) -> None:
    """Full-page screenshots of what `page` shows at each viewport, then back to the phone."""
    for device, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)  # layout and the map settle at the new width
        page.screenshot(path=str(folder / f"{language}-{name}.{device}.png"), full_page=True)
    page.set_viewport_size({"width": VIEWPORTS["phone"][0], "height": VIEWPORTS["phone"][1]})


def _address_choose(page) -> None:
    """Type part of the address and choose the demo geocoder's first suggestion."""
    page.fill("#id_address", "")
    page.type("#id_address", TYPED)
    page.wait_for_selector("#id_address-suggestions [role='option']")
    page.click("#id_address-suggestions-0")
    assert page.input_value("#id_address") == ADDRESS
    assert page.input_value("#id_latitude")
    assert page.input_value("#id_longitude")


def _png(folder: Path) -> Path:
    from PIL import Image

    path = folder / "dumped-mattress.png"
    Image.new("RGB", (80, 60), (40, 120, 200)).save(path, format="PNG")
    return path


@pytest.mark.parametrize("language", ["en", "es"])
def test_resident_journey(language, portal, new_context, tmp_path):
    shots = artifacts_dir("screenshots", "resident")
    prefix = "" if language == "en" else f"/{language}"
    width, height = VIEWPORTS["phone"]
    page = new_context(viewport={"width": width, "height": height}).new_page()

    # Home: the task "Find your community prosecutor".
    page.goto(f"{prefix}/")
    assert page.get_attribute("html", "lang") == language
    _shoot(page, shots, language, "home")
    with page.expect_navigation():
        page.locator("main a", has_text=_t(language, "Find your community prosecutor")).first.click()
    assert page.url.endswith(f"{prefix}/community-prosecution/my-prosecutor/"), page.url
    _address_choose(page)
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    result = page.inner_text("main")
    assert DISTRICT in result, result[:800]
    assert _t(language, "Your community prosecutor") in result
    assert PROSECUTOR in result, result[:800]

    # Report a concern: the kind, then the form with the same address and a photo.
    page.goto(f"{prefix}/")
    with page.expect_navigation():
        page.locator("main a", has_text=_t(language, "Report a concern")).first.click()
    page.check("input[name='category'][value='graffiti']")
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    assert page.url.endswith(f"{prefix}/community-prosecution/report/graffiti/"), page.url
    started = time.monotonic()
    page.fill("textarea[name='description']", "Fresh tags on the laundromat wall, facing the bus stop.")
    page.check("input[name='q_surface'] >> nth=0")
    _address_choose(page)
    # The pin placed, the reports already made near it are listed (or "none near").
    page.wait_for_function(NEARBY_SETTLED, timeout=15_000)
    nearby = page.locator("[data-nearby-concerns]")
    assert page.inner_text("[data-nearby-status]") != nearby.get_attribute("data-msg-failed")
    page.check("input[name='when_happens'] >> nth=0")
    page.fill("input[name='contact_name']", REPORTER["name"])
    page.fill("input[name='contact_email']", REPORTER["email"])
    page.fill("input[name='contact_phone']", REPORTER["phone"])
    page.check(f"input[name='language'][value='{language}']")
    page.set_input_files("input[name='photos']", str(_png(tmp_path)))
    _shoot(page, shots, language, "report-form")
    time.sleep(max(0.0, MIN_FILL_SECONDS - (time.monotonic() - started)))
    with page.expect_navigation():
        page.click("main form button[type='submit']:not([name='check'])")
    assert "/community-prosecution/report/sent/" in page.url, f"not sent: {page.url}\n{page.inner_text('main')}"
    code = page.inner_text("#tracking-code").strip()
    concern = backstage(portal, "concern", tracking_code=code)
    assert concern["public"], concern
    assert concern["photos"] == 1, concern
    assert DISTRICT in concern["areas"], concern
    assert concern["language"] == language

    # The reporter's tracking page.
    page.goto(f"{prefix}/community-prosecution/track/{code}/")
    assert _t(language, "Received") in page.inner_text("#concern-status")
    _shoot(page, shots, language, "tracking")

    # The public map lists it (a neighbor: a fresh person), and links to its public page.
    neighbor = new_context(viewport={"width": width, "height": height}).new_page()
    # Filtered to the kind: an address no earlier test opened, so not a page the server cached.
    neighbor.goto(f"{prefix}/community-prosecution/map/?category=graffiti")
    neighbor.wait_for_selector(".leaflet-container")
    link = neighbor.locator(f"main a[href='{prefix}/community-prosecution/concerns/{concern['public_ref']}/']")
    assert link.count() == 1, neighbor.inner_text("main")[:1500]
    _shoot(neighbor, shots, language, "map")
    with neighbor.expect_navigation():
        link.click()
    opened = time.monotonic()
    assert concern["public_ref"] in neighbor.inner_text("main")
    public_text = neighbor.inner_text("main")
    assert REPORTER["name"] not in public_text
    assert REPORTER["email"] not in public_text
    _shoot(neighbor, shots, language, "concern-public")

    # The neighbor follows it from another address, and confirms with the e-mailed link.
    follower = f"neighbor.{language}@example.org"
    neighbor.fill("#follow input[name='email']", follower)
    time.sleep(max(0.0, MIN_FILL_SECONDS - (time.monotonic() - opened)))
    with neighbor.expect_navigation():
        neighbor.click("#follow form button[type='submit'].btn-primary")
    (confirm,) = backstage(portal, "outbox", to=follower)
    assert confirm["template"] == "prosecution/concern_follow_confirm"
    assert confirm["language"] == language
    assert _t(language, "To confirm, open this link (it works for 7 days):") in confirm["body_text"]
    path = re.search(rf"{re.escape(prefix)}/community-prosecution/follow/confirm/[^/\s]+/", confirm["body_text"])
    assert path, confirm["body_text"]
    neighbor.goto(path.group(0))
    assert neighbor.get_attribute("html", "lang") == language
    with neighbor.expect_navigation():
        neighbor.click("main form button[type='submit']")
    assert concern["public_ref"] in neighbor.inner_text("body"), neighbor.content()[:3000]

    # Staff move it along with a public update; the follower hears of it.
    changed = backstage(
        portal,
        "status",
        tracking_code=code,
        status="under_review",
        public_text=PUBLIC_UPDATE[language],
        staff_email=STAFF_EMAIL,
    )
    assert changed["followers_told"] == 1, changed
    update = backstage(portal, "outbox", to=follower)[-1]
    assert update["template"] == "prosecution/concern_follow_update"
    assert update["language"] == language
    body = update["body_text"] + update["body_html"]
    for expected in (_t(language, "Status:"), _t(language, "Under review"), PUBLIC_UPDATE[language]):
        assert expected in body, expected
    assert concern["public_ref"] in body
    assert "List-Unsubscribe" in update["headers"]
    for private in (*REPORTER.values(), code, "laundromat"):
        assert private not in body + update["subject"], private
