"""Browser tests: Chromium (Debian's, /usr/bin/chromium) driven by Playwright against the portal
served by gunicorn on 127.0.0.1 (see server.py), one server and one browser per pytest worker.

What is checked is discovered, not listed: public pages from /sitemap.xml (both languages),
public, staff and account pages from the route walk (tests.support), and forms from the
pages themselves (discovery.py). A page or form added later is covered without a change here.

Fixtures:
- `portal`: the running server (`portal.url`, `portal.seed` from seed.py).
- `browser`: the shared Chromium.
- `new_context(language=..., staff=False, **options)`: a fresh context (a fresh "person"),
  signed in as the seeded superuser when `staff`; closed after the test.
- `site`: the discovered pages and forms (discovery.Site), computed once per worker.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.discovery import Site
from tests.browser.server import ROOT, portal_start

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


def requirements_check() -> None:
    """Fail (never skip) when a tool the browser tests need is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM}; Debian package `chromium`)")
    if not AXE.exists():
        missing.append(f"axe-core ({AXE.relative_to(ROOT)}; `npm ci` from package-lock.json)")
    if missing:
        pytest.fail(
            "The browser tests need " + " and ".join(missing) + ". `make test` installs them "
            "(targets system-deps and node_modules); never `playwright install`.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def portal(django_db_setup, django_db_blocker):
    requirements_check()
    with django_db_blocker.unblock():
        running, stop = portal_start()
    try:
        yield running
    finally:
        stop()


@pytest.fixture(scope="session")
def browser(portal):
    from playwright.sync_api import sync_playwright

    requirements_check()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium ({CHROMIUM}) did not start: {error}. `make test` installs it.", pytrace=False)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture(scope="session")
def site(portal) -> Site:
    # The route walk runs in this process (URLconf only, no database); pages are fetched
    # over HTTP from the server.
    return Site.discover(portal)


@pytest.fixture
def new_context(browser, portal):
    """`new_context(language="en", staff=False, **options)` -> a Playwright BrowserContext.

    `staff=True` signs it in as the seeded superuser (who has an authenticator app) by
    giving it the session the seed made. Extra options go to browser.new_context
    (viewport, bypass_csp, ...)."""
    made = []

    def make(*, staff: bool = False, **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("base_url", portal.url)
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        made.append(context)
        if staff:
            context.add_cookies(
                [
                    {
                        "name": portal.seed["session_cookie"],
                        "value": portal.seed["session_key"],
                        # Chromium accepts Secure (and __Host-) cookies for http://127.0.0.1,
                        # a secure context; given by domain+path (a `url` with http is refused).
                        "domain": "127.0.0.1",
                        "path": "/",
                        "secure": portal.seed["session_cookie"].startswith("__Host-"),
                        "httpOnly": True,
                        "sameSite": "Lax",
                    }
                ]
            )
        return context

    yield make
    for context in made:
        context.close()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def artifacts_dir(*parts: str) -> Path:
    path = ARTIFACTS.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
