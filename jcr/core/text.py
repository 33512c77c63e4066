"""Text that came from outside, cleaned once on the way in and made safe on the way out.

On the way in (`text_clean`), every form's text field (jcr.core.forms installs it on Django's
CharField) and the Open311 API drop what no person types: C0 controls except tab, newline and
carriage return, DEL, C1 controls and lone surrogates. A single-line field also turns tabs and
line breaks into spaces; a multi-line one (a Textarea) keeps them.

On the way out (`xml_text`, `data_xml_safe`), serializers drop what XML 1.0 forbids, because
rows stored before the cleaning (or written by a script) may still hold it, and one such
character would make a whole feed ill-formed.

And `text_later`: translated text with values in it, built when shown rather than when imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.functional import Promise, lazy

# C0 controls but tab, newline and carriage return; DEL and the C1 controls; lone surrogates
# (a str can hold them, UTF-8 cannot encode them).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\t\n\r]")
# What XML 1.0 does not allow anywhere in a document (§2.2 Char), plus the C1 controls it
# discourages.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def text_clean(value: str, *, multiline: bool = True) -> str:
    """`value` without control characters or lone surrogates; tab, newline and carriage return
    stay when `multiline`, otherwise each becomes a space."""
    value = _CONTROLS.sub("", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return value


def text_has_controls(value: str) -> bool:
    """Whether `text_clean` would remove something from `value`."""
    return _CONTROLS.search(value) is not None


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 forbids (escaping of < & > is the writer's job)."""
    return _XML_ILLEGAL.sub("", value)


def data_xml_safe(value):
    """A copy of a tree of dicts, lists and scalars whose strings (keys included) pass
    `xml_text`: safe for an XML writer, and for JSON encoded as UTF-8."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {data_xml_safe(k): data_xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [data_xml_safe(v) for v in value]
    return value


def text_later(build: Callable[[], str]) -> Promise:
    """Text built by `build` each time it is shown, in the language active then: for text with
    values in it declared at import time (a form field's help text), where `_("…") % {…}` would
    translate it once, in whichever language was active when the module was imported."""
    return lazy(build, str)()
