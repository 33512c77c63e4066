"""No interface string is left in English on a Spanish page.

Every public GET route of the URL walk under /es/ (parametrized ones through their route
samples, tests.support) is fetched as an anonymous visitor, and the visible text of each HTML
answer is read: text nodes and the attributes a person meets (aria-label, alt, placeholder,
title). A text that is, whole, an English msgid of the compiled catalogue whose Spanish
differs from it is an interface string shown untranslated (a template without {% translate %},
a gettext at import time, ...). Parts marked lang="en" (content kept in English on purpose),
scripts, styles and text areas are left out; user and database content only matters when it
is, word for word, a catalogue msgid.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.utils.translation import trans_real

from jcr.core.access import Access
from tests.support import GroupWorld, all_routes, route_sample_factory, sample_url

pytestmark = pytest.mark.django_db

ATTRIBUTES = ("aria-label", "alt", "placeholder", "title")
SKIPPED_ELEMENTS = {"script", "style", "textarea", "template", "code", "pre"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
# A msgid with a placeholder or markup never shows verbatim, and a text without two letters
# in a row ("·", "1", "OK"?) says nothing of its language.
_NOT_VERBATIM = re.compile(r"%(\(\w+\))?[sdifr]|\{\w*\}|<[a-z/]")
_WORD = re.compile(r"[A-Za-z]{2}")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def untranslated_catalogue(language: str = "es") -> set[str]:
    """English msgids whose every `language` translation (in any context) differs from them,
    less those that are also a translation (Spanish "May" is the abbreviation of "mayo")."""
    differs: dict[str, bool] = {}
    translations: set[str] = set()
    for key, translated in trans_real.translation(language)._catalog.items():
        translations.add(_normal(translated).lower())
        if isinstance(key, tuple):  # a plural form: (msgid, index)
            key = key[0]
        msgid = _normal(key.rpartition("\x04")[2])  # "context\x04msgid"
        if not msgid or _NOT_VERBATIM.search(msgid) or not _WORD.search(msgid):
            continue
        differs[msgid] = differs.get(msgid, True) and bool(translated) and _normal(translated) != msgid
    return {msgid for msgid, different in differs.items() if different and msgid.lower() not in translations}


class VisibleText(HTMLParser):
    """The text nodes and person-facing attributes of a page, outside lang="en" parts and
    outside scripts, styles and text areas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        hidden = self._hidden() or tag in SKIPPED_ELEMENTS or (bool(lang) and not lang.startswith("es"))
        if not hidden:
            self.texts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.texts.append(data)


def visible_texts(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return {text for text in map(_normal, parser.texts) if text}


def _spanish_urls(world) -> dict[str, str]:
    urls: dict[str, str] = {}
    for route in all_routes():
        if not route.route.startswith("es/") or route.access is None or route.access.kind != Access.PUBLIC:
            continue
        if not route.access.allows("GET"):
            continue
        if route.has_params:
            factory = route_sample_factory(route)
            if factory is None:
                continue  # the authorization matrix fails for it already
            url = sample_url(route, factory(world.personas, route))
        else:
            url = route.url()
        urls.setdefault(url, str(route))
    return urls


def test_the_check_finds_an_english_string_on_a_spanish_page():
    english = untranslated_catalogue()
    assert len(english) > 500, "the Spanish catalogue is not compiled: `manage.py compilemessages`"
    page = '<main><h1>Report a concern</h1><p lang="en">Track a report</p><script>"Search"</script></main>'
    assert visible_texts(page) & english == {"Report a concern"}


def test_spanish_pages_show_no_english_interface_string(world):
    english = untranslated_catalogue()
    assert len(english) > 500, "the Spanish catalogue is not compiled: `manage.py compilemessages`"
    urls = _spanish_urls(world)
    assert {"/es/", "/es/community-prosecution/map/"} <= set(urls)
    world = GroupWorld(world)  # one request handler for every fetch
    found, pages = [], 0
    for url, source in urls.items():
        response = world.client("resident").get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        left = sorted(visible_texts(response.content.decode()) & english)
        found += [f"{url} ({source}): {text!r}" for text in left]
    assert pages > 40, pages
    assert not found, "English interface strings on Spanish pages:\n" + "\n".join(found)
