"""Opening discovered pages in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError


@dataclass
class Opened:
    path: str  # what was asked for
    final: str  # path (and query) the browser ended on, after redirects
    status: int
    html: bool


def open_page(page, path: str) -> Opened:
    response = page.goto(path, wait_until="load")
    parts = urlsplit(page.url)
    final = parts.path + (f"?{parts.query}" if parts.query else "")
    content_type = (response.headers.get("content-type", "") if response else "") or ""
    return Opened(path, final, response.status if response else 0, content_type.startswith("text/html"))


def staff_pages(page, paths: list[str]):
    """Open each staff/account path as staff and yield the HTML pages reached, each final URL
    once. Pages that answer 404 by design (allauth's "nothing of that kind yet", e.g. recovery
    codes before any exist) and non-HTML answers (JSON status endpoints, CSV downloads) are left
    out."""
    seen = set()
    for path in paths:
        try:
            opened = open_page(page, path)
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue  # a file to download (a CSV export), not a page
            raise
        if not opened.html or opened.status == 404 or opened.final in seen:
            continue
        seen.add(opened.final)
        yield opened
