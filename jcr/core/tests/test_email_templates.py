"""Every e-mail reads right: the subject and text part are plain text (no HTML entities for
apostrophes or ampersands), the HTML part stays escaped, and every link starts with the
configured site address (JCR_SITE_URL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django import urls
from django.conf import settings

from jcr.core.services import render_email

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "email"
NAMES = sorted(str(p.relative_to(TEMPLATES))[: -len(".subject.txt")] for p in TEMPLATES.rglob("*.subject.txt"))
SITE = "https://portal.example.test:8123"
TEXT = "O'Brien & <Sons>"
NUMBERS: set[str] = set()  # attributes counted in plural forms (`count days=row.days`)
KEYWORDS = {"and", "or", "not", "in", "is", "as", "with", "count", "trimmed", "asvar", "context", "plural", "noop"}


MOMENT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
DATE_PARTS = {
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "microsecond",
    "tzinfo",
    "weekday",
    "isoweekday",
    "timetuple",
    "utcoffset",
    "toordinal",
    "timestamp",
    "isocalendar",
    "dst",
    "tzname",
    "fold",
}


class Sample(str):
    """A value for any name a template uses: text with an apostrophe, an ampersand and angle
    brackets; any attribute of it is another sample; as a list it is one sample."""

    def __new__(cls):
        return super().__new__(cls, TEXT)

    def __getattribute__(self, name):
        if name.startswith("__") or name in {"strip", "split", "replace", "lower", "upper", "join", "format"}:
            return super().__getattribute__(name)
        if name in NUMBERS:
            return 2
        if name in DATE_PARTS:  # a sample is also a moment, for the |date and |time filters
            return getattr(MOMENT, name)
        return Sample()

    def __iter__(self):
        return iter([Sample()])

    def __len__(self):
        return 1


def _context(name: str) -> dict:
    source = "".join(p.read_text() for p in TEMPLATES.glob(f"{name}.*"))
    tags = " ".join(re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, re.S))
    tags = re.sub(r"(['\"]).*?\1", " ", tags)  # literals
    names = set(re.findall(r"(?<![\w.|:])([a-z_][a-z0-9_]*)", tags)) - KEYWORDS
    context = {n: Sample() for n in names}
    # Counters of plural forms must be numbers.
    for counter in re.findall(r"count\s+\w+=([a-z_][\w.]*)(?![\w|])", tags):
        if "." in counter:
            NUMBERS.add(counter.rsplit(".", 1)[1])
        else:
            context[counter] = 2
    return context


@pytest.fixture
def sample_links(monkeypatch, settings):
    settings.SITE_URL = SITE
    # `{% url %}` with sample arguments (the tag imports reverse when it renders): a path of the site.
    monkeypatch.setattr(urls, "reverse", lambda *a, **k: "/sample/path/")


@pytest.mark.parametrize("language", ["en", "es"])
def test_email_text_parts_are_plain_text_and_link_to_the_site(sample_links, language):
    assert len(NAMES) > 30
    problems = []
    for name in NAMES:
        subject, text, html = render_email(template=name, context=_context(name), language=language)
        for part, body in (("subject", subject), ("text", text)):
            if "&#" in body or "&amp;" in body or "&lt;" in body:
                problems.append(f"{name} {part}: HTML entities")
        links = re.findall(r"https?://\S+", subject + text)
        problems += [f"{name}: link {link}" for link in links if not link.startswith(SITE)]
        if html and TEXT in html:
            problems.append(f"{name} html: not escaped")
    assert not problems, "\n".join(problems)
