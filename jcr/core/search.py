"""Site search: a registry of sources and the query runner. Nothing else lives here.

Each app describes what it lets the public find in a module of its own (e.g. outreach/search.py)
and names it in its AppConfig: `search_sources = "outreach.search.sources"`, a callable that
returns a list of `Source` (or `Page` for fixed pages). A source's `queryset` must return only
what the public may see; the runner adds nothing to that rule.

On PostgreSQL each source's text is matched with full-text search in the language it is written
in (the 'english' or 'spanish' configuration, so "estafas" finds "estafa"), with websearch syntax
("quoted phrases", or, -word) and ranked with ts_rank. Every source becomes one SELECT of the
same columns and they are joined by UNION ALL, so a page of results costs two queries (the count
and the page) however many sources there are. Results in the page's language come first, then
by rank, then newest. Other databases (SQLite for `make run`) match each word with icontains.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Model,
    Q,
    QuerySet,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.module_loading import import_string

from jcr.core.audit import confidential_permission

CONFIGS = {"en": "english", "es": "spanish"}
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Source:
    """Rows of one model the public may find.

    key: a stable name ("news"); label: the type shown next to each result.
    queryset: a callable returning only public rows (drafts, private and sensitive rows excluded).
    text: per language, the text fields searched with that language's configuration.
    title / summary: per language, the field shown (a language missing or empty falls back to
        the first one given).
    language_field: the field holding the row's language when each row is written in one
        language (news); None when a row carries the text of every language in `text`.
    date_field: the date shown and used to break ties (None: no date).
    url_fields: up to two fields passed to `url`, which returns the result's address.
    """

    key: str
    label: object
    queryset: Callable[[], QuerySet]
    text: dict[str, Sequence[str]]
    title: dict[str, str]
    summary: dict[str, str]
    url: Callable[..., str]
    url_fields: Sequence[str]
    language_field: str | None = None
    date_field: str | None = None


@dataclass(frozen=True)
class Page:
    """A fixed public page (no database row): matched in Python, listed before the rows."""

    key: str
    label: object
    url: Callable[[], str]
    title: Callable[[], str]
    summary: Callable[[], str]


@dataclass
class Result:
    kind: str
    label: object
    title: str
    summary: str
    url: str
    language: str
    date: datetime | None = None
    rank: float = 0.0
    extra: dict = field(default_factory=dict)


_registered: list[Source | Page] = []


def register(source: Source | Page) -> None:
    """Add a source by hand (apps normally name theirs in AppConfig.search_sources)."""
    _registered.append(source)


@cache
def _app_sources() -> tuple[Source | Page, ...]:
    found: list[Source | Page] = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "search_sources", None)
        if dotted:
            found.extend(import_string(dotted)())
    return tuple(found)


def sources() -> list[Source | Page]:
    return [*_app_sources(), *_registered]


# --- The query runner ----------------------------------------------------------------------------


def _words(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q.lower()) if len(w) > 1]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _stem(word: str) -> str:
    # Good enough for the fallback and fixed pages: "estafas" -> "estaf", "scams" -> "scam".
    for suffix in ("es", "s", "a", "o"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _text_expr(source: Source, mapping: dict[str, str], language: str):
    first = next(iter(mapping.values()))
    chosen = mapping.get(language, first)
    if chosen == first:
        return Cast(F(first), CharField())
    return Coalesce(NullIf(Cast(F(chosen), CharField()), Value("")), Cast(F(first), CharField()))


def _row_language(source: Source, language: str):
    if source.language_field:
        return Cast(F(source.language_field), CharField())
    return Value(language if language in source.text else next(iter(source.text)), output_field=CharField())


def _first(source: Source, language: str):
    """1 for a row in the page's language (shown first), else 0."""
    if source.language_field:
        return Case(
            When(Q(**{source.language_field: language}), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return Value(1 if language in source.text else 0, output_field=IntegerField())


def _match(source: Source, q: str):
    """(filter, rank) of `source` for the query `q`."""
    if _postgres():
        condition = Q()
        rank = Value(0.0, output_field=FloatField())
        for lang, fields in source.text.items():
            config = CONFIGS[lang]
            vector = SearchVector(*fields, config=config)
            query = SearchQuery(q, config=config, search_type="websearch")
            matches = Q(_search_match_expr(vector, query))
            if source.language_field:
                matches &= Q(**{source.language_field: lang})
            condition |= matches
            rank = rank + SearchRank(vector, query)
        return condition, rank
    condition = Q()
    all_fields = {f for fields in source.text.values() for f in fields}
    for word in _words(q):
        stem = _stem(word)
        condition &= Q(*[Q(**{f"{f}__icontains": stem}) for f in all_fields], _connector=Q.OR)
    return condition, Value(0.0, output_field=FloatField())


def _search_match_expr(vector, query):
    """`vector @@ query` as a boolean expression usable in Q()."""
    from django.contrib.postgres.search import SearchVectorExact

    return SearchVectorExact(vector, query)


def _field_at(model: type[Model], path: str):
    """The model field at a lookup path ("slug", "show__slug")."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _key_converter(model: type[Model], path: str) -> Callable[[str], str]:
    """How a key read back as text becomes what `url` expects. A UUID cast to text is 32 hex
    digits on SQLite (its storage) and hyphenated on PostgreSQL; URLs want the hyphenated form."""
    if isinstance(_field_at(model, path), UUIDField):
        return lambda value: str(uuid.UUID(str(value)))
    return lambda value: value


def _source_queryset(source: Source, q: str, language: str) -> QuerySet:
    condition, rank = _match(source, q)
    row_language = _row_language(source, language)
    url_values = [Cast(F(name), CharField()) for name in source.url_fields]
    while len(url_values) < 2:
        url_values.append(Value("", output_field=CharField()))
    date = (
        Cast(F(source.date_field), DateTimeField())
        if source.date_field
        else Cast(Value(None), output_field=DateTimeField())
    )
    queryset = source.queryset()
    if confidential_permission(queryset.model):
        # The site search is public: a confidential model can never be one of its sources.
        raise ImproperlyConfigured(f"search source {source.key!r} lists a confidential model")
    return (
        queryset.filter(condition)
        .order_by()
        .annotate(
            s_kind=Value(source.key, output_field=CharField()),
            s_title=_text_expr(source, source.title, language),
            s_summary=_text_expr(source, source.summary, language),
            s_key1=url_values[0],
            s_key2=url_values[1],
            s_date=date,
            s_lang=row_language,
            s_first=_first(source, language),
            s_rank=Cast(rank, FloatField()),
        )
        .values_list("s_kind", "s_title", "s_summary", "s_key1", "s_key2", "s_date", "s_lang", "s_first", "s_rank")
    )


class SearchResults(Sequence):
    """What Django's Paginator needs (count and slices): fixed pages first, then database rows
    ordered by the database, so a page is one query."""

    def __init__(
        self,
        pages: list[Result],
        rows: QuerySet | None,
        by_key: dict[str, Source],
        converters: dict[str, list[Callable[[str], str]]] | None = None,
    ):
        self._pages, self._rows, self._by_key = pages, rows, by_key
        self._converters = converters or {}
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = len(self._pages) + (self._rows.count() if self._rows is not None else 0)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        out = self._pages[start:stop]
        if self._rows is not None and stop > len(self._pages):
            row_start, row_stop = max(0, start - len(self._pages)), stop - len(self._pages)
            out += [self._result(row) for row in self._rows[row_start:row_stop]]
        return out

    def _result(self, row) -> Result:
        kind, title, summary, key1, key2, date, language, _first, rank = row
        source = self._by_key[kind]
        converters = self._converters.get(kind) or [lambda value: value] * len(source.url_fields)
        keys = [convert(key) for convert, key in zip(converters, [key1, key2], strict=False)]
        return Result(
            kind=kind,
            label=source.label,
            title=title,
            summary=summary or "",
            url=source.url(*keys),
            language=language,
            date=date,
            rank=rank or 0.0,
        )


def _page_matches(page: Page, q: str) -> bool:
    words = [_stem(_fold(w)) for w in _words(q)]
    text = _fold(f"{page.title()} {page.summary()}")
    return bool(words) and all(w in text for w in words)


def search(q: str, *, language: str, kinds: Sequence[str] | None = None) -> SearchResults:
    """Public results for `q` in the page language `language` ("en"/"es"). Lazy: nothing is
    queried until the results are counted or sliced."""
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    all_sources = [s for s in sources() if kinds is None or s.key in kinds]
    if not _words(q):
        return SearchResults([], None, {})
    pages = [
        Result(kind=p.key, label=p.label, title=p.title(), summary=p.summary(), url=p.url(), language=language)
        for p in all_sources
        if isinstance(p, Page) and _page_matches(p, q)
    ]
    row_sources = [s for s in all_sources if isinstance(s, Source)]
    if not row_sources:
        return SearchResults(pages, None, {})
    parts = [_source_queryset(s, q, language) for s in row_sources]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = rows.order_by("-s_first", "-s_rank", F("s_date").desc(nulls_last=True), "s_title")
    converters = {s.key: [_key_converter(s.queryset().model, name) for name in s.url_fields] for s in row_sources}
    return SearchResults(pages, rows, {s.key: s for s in row_sources}, converters)
