"""The GIN indexes of migration 0006_search_indexes match the expressions the site search
builds for the unit's sources, so PostgreSQL can use them (checked with sequential scans off,
as a table of a few test rows would otherwise be scanned whatever the indexes)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from jcr.core import search
from outreach.search import sources

pytestmark = pytest.mark.django_db

migration = importlib.import_module("outreach.migrations.0006_search_indexes")


def _plan(source, query: str) -> str:
    """The plan of the source's text condition, exactly as the search builds it. On nearly
    empty tables the planner would pick any other index as readily, so the table's plain
    indexes (not the search ones, not constraints) are dropped inside the test transaction."""
    model = source.queryset().model
    condition, _rank = search._match(source, query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = %s::regclass"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [model._meta.db_table],
        )
        for (name,) in cursor.fetchall():
            if "_search_" not in name:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return model.objects.filter(condition).explain()


@pytest.mark.parametrize("query", ["elder scams", '"fraude" -evento'])
@pytest.mark.parametrize("source", sources(), ids=lambda s: s.key)
def test_each_source_uses_its_search_indexes(source, query):
    table = source.queryset().model._meta.db_table
    names = {migration.index_name(t, config) for t, config, _, _ in migration.INDEXES if t == table}
    assert len(names) == 2, f"{source.key} has no search indexes"
    plan = _plan(source, query)
    for name in names:
        assert f"Bitmap Index Scan on {name}" in plan, plan


def test_every_index_exists_and_follows_the_source_fields():
    by_table = {s.queryset().model._meta.db_table: s for s in sources()}
    configs = {v: k for k, v in search.CONFIGS.items()}
    for table, config, fields, _ in migration.INDEXES:
        assert tuple(by_table[table].text[configs[config]]) == fields
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'outreach_%%_search_%%'")
        existing = {row[0] for row in cursor.fetchall()}
    assert existing == {migration.index_name(t, c) for t, c, _, _ in migration.INDEXES}
