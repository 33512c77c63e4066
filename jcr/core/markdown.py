"""Markdown for the units' documents (news, legal updates, policies): CommonMark without raw
HTML, then cleaned by nh3 (an allow-list of tags and attributes), so even a parser bug cannot
let a script through."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def markdown_render(text: str) -> str:
    """Markdown to sanitised HTML (headings h2-h4 only: the page has its own h1)."""
    html = _markdown.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    for level in ("h5", "h6"):
        html = html.replace(f"<{level}>", "<h4>").replace(f"</{level}>", "</h4>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
