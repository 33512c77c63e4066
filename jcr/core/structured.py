"""Checks for JSON that people edit by hand in the admin (a category question's options, a bill's
classification, a document's links): each check returns the value cleaned (texts stripped of
control characters) or raises a ValidationError that names the item and says what to write.

Models call them from `clean()`, so the admin (which runs `full_clean`) refuses a bad value
with a clear message instead of saving something a public page would fail on later.

    options = json_object_list(
        value,
        fields={"key": SLUG, "name": TEXT, "name_es": TEXT},
        required=("key", "name"),
        unique="key",
        example='[{"key": "yes", "name": "Yes"}]',
    )
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from jcr.core.text import text_clean

SLUG = "slug"
TEXT = "text"
URL = "url"
MAX_TEXT = 200
MAX_ITEMS = 100

_SLUG_RE = re.compile(r"^[-\w]+\Z", re.ASCII)
_url_validate = URLValidator(schemes=["http", "https"])

MESSAGES = {
    "list": _("Enter a list, like %(example)s."),
    "too_many": _("Enter at most %(max)d items."),
    "item": _("Item %(number)d must be an object with the fields %(fields)s, like %(example)s."),
    "missing": _('Item %(number)d needs a "%(field)s".'),
    "unknown": _('Item %(number)d has an unknown field "%(field)s"; the fields are %(fields)s.'),
    "text": _('Item %(number)d: "%(field)s" must be text of at most %(max)d characters.'),
    "empty": _('Item %(number)d: "%(field)s" cannot be empty.'),
    "slug": _('Item %(number)d: "%(field)s" may hold only letters, digits, hyphens and underscores.'),
    "url": _('Item %(number)d: "%(field)s" must be a web address starting with https:// or http://.'),
    "duplicate": _('Each item needs its own "%(field)s": %(value)s appears more than once.'),
    "strings": _("Item %(number)d must be text of 1 to %(max)d characters."),
    "date": _("Item %(number)d must be a date written YYYY-MM-DD."),
    "map": _("Enter an object of codes and values, like %(example)s."),
    "answer": _('"%(code)s" must be a text, a number or a list of them.'),
}


def _error(kind: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[kind], code=kind, params=params)


def _as_list(value, *, example: str) -> list:
    if not isinstance(value, list):
        raise _error("list", example=example)
    if len(value) > MAX_ITEMS:
        raise _error("too_many", max=MAX_ITEMS)
    return value


def _field_value(kind: str, raw, *, number: int, field: str) -> str:
    if kind == SLUG and isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise _error("text", number=number, field=field, max=MAX_TEXT)
    value = text_clean(raw, multiline=False).strip()
    if len(value) > MAX_TEXT:
        raise _error("text", number=number, field=field, max=MAX_TEXT)
    if kind == SLUG and value and not _SLUG_RE.match(value):
        raise _error("slug", number=number, field=field)
    if kind == URL and value:
        try:
            _url_validate(value)
        except ValidationError:
            raise _error("url", number=number, field=field) from None
    return value


def json_object_list(
    value,
    *,
    fields: dict[str, str],
    required: Iterable[str],
    example: str,
    unique: str | None = None,
) -> list[dict]:
    """`value` as a list of objects with only `fields` (name -> SLUG, TEXT or URL), the
    `required` ones not empty, `unique` differing between items. Raises ValidationError with
    every problem found."""
    items = _as_list(value, example=example)
    required = tuple(required)
    names = ", ".join(f'"{name}"' for name in fields)
    errors: list[ValidationError] = []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_error("item", number=number, fields=names, example=example))
            continue
        row = {}
        for field in item:
            if field not in fields:
                errors.append(_error("unknown", number=number, field=field, fields=names))
        for field, kind in fields.items():
            if field not in item:
                if field in required:
                    errors.append(_error("missing", number=number, field=field))
                continue
            try:
                row[field] = _field_value(kind, item[field], number=number, field=field)
            except ValidationError as exc:
                errors.append(exc)
                continue
            if field in required and not row[field]:
                errors.append(_error("empty", number=number, field=field))
        if unique and row.get(unique):
            if row[unique] in seen:
                errors.append(_error("duplicate", field=unique, value=row[unique]))
            seen.add(row[unique])
        cleaned.append(row)
    if errors:
        raise ValidationError(errors)
    return cleaned


def json_text_list(value, *, example: str, max_length: int = MAX_TEXT) -> list[str]:
    """`value` as a list of non-empty texts of at most `max_length` characters."""
    items = _as_list(value, example=example)
    errors, cleaned = [], []
    for number, item in enumerate(items, start=1):
        text = text_clean(item, multiline=False).strip() if isinstance(item, str) else ""
        if not text or len(text) > max_length:
            errors.append(_error("strings", number=number, max=max_length))
        cleaned.append(text)
    if errors:
        raise ValidationError(errors)
    return cleaned


def json_date_list(value, *, example: str) -> list[str]:
    """`value` as a list of dates written YYYY-MM-DD (as stored)."""
    items = _as_list(value, example=example)
    errors, cleaned = [], []
    for number, item in enumerate(items, start=1):
        try:
            cleaned.append(date.fromisoformat(item.strip()).isoformat() if isinstance(item, str) else None)
        except ValueError:
            cleaned.append(None)
        if cleaned[-1] is None:
            errors.append(_error("date", number=number))
    if errors:
        raise ValidationError(errors)
    return cleaned


def json_answer_map(value, *, example: str) -> dict:
    """`value` as an object of codes (letters, digits, hyphens, underscores) to a text, a number
    or a list of texts and numbers; texts cleaned."""
    if not isinstance(value, dict):
        raise _error("map", example=example)
    errors, cleaned = [], {}
    for code, answer in value.items():
        if not _SLUG_RE.match(code):
            errors.append(_error("map", example=example))
            continue
        items = answer if isinstance(answer, list) else [answer]
        if len(items) > MAX_ITEMS or not all(_is_scalar(item) for item in items):
            errors.append(_error("answer", code=code))
            continue
        clean_items = [text_clean(i).strip() if isinstance(i, str) else i for i in items]
        cleaned[code] = clean_items if isinstance(answer, list) else clean_items[0]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _is_scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def field_errors(field: str, check, *args, **kwargs):
    """`check(*args, **kwargs)`, its ValidationError keyed to `field` (for a model's clean())."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None
