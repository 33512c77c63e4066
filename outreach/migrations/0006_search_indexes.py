"""GIN indexes for the site search (jcr.core.search) over the unit's sources (outreach/search.py).

Each index is on exactly the expression the search builds, SearchVector(*fields, config=...):
to_tsvector('<config>'::regconfig, COALESCE(f1, '') || ' ' || COALESCE(f2, '') ...), so
PostgreSQL can use it for `vector @@ websearch_to_tsquery(...)`. The configuration is fixed per
source language (never chosen per row), which is what makes the expression indexable. Rows
written in one language (news, Justice Journal) get a partial index per language, matching the
`language = ...` the search adds to each language's condition. If the fields of a source in
outreach/search.py change, change its index here too (test_search_indexes checks they are used).
On SQLite (`make run`) nothing is made: the search falls back to icontains there.
"""

from django.db import migrations

# (table, config, fields, partial condition or "")
INDEXES = [
    ("outreach_program", "english", ("title", "summary"), ""),
    ("outreach_program", "spanish", ("title_es", "summary_es"), ""),
    ("outreach_event", "english", ("title", "summary", "description"), ""),
    ("outreach_event", "spanish", ("title_es", "summary_es", "description_es"), ""),
    ("outreach_newsitem", "english", ("title", "summary", "body"), "language = 'en'"),
    ("outreach_newsitem", "spanish", ("title", "summary", "body"), "language = 'es'"),
    ("outreach_journalepisode", "english", ("title", "summary", "transcript"), "language = 'en'"),
    ("outreach_journalepisode", "spanish", ("title", "summary", "transcript"), "language = 'es'"),
    ("outreach_podcastepisode", "english", ("title", "description", "transcript"), ""),
    ("outreach_podcastepisode", "spanish", ("title", "description", "transcript"), ""),
    ("outreach_dialogueseries", "english", ("title", "description"), ""),
    ("outreach_dialogueseries", "spanish", ("title_es", "description_es"), ""),
]


SUFFIX = {"english": "en", "spanish": "es"}


def index_name(table: str, config: str) -> str:
    return f"{table}_search_{SUFFIX[config]}"


def _sql(table: str, config: str, fields: tuple[str, ...], where: str) -> str:
    document = " || ' ' || ".join(f"COALESCE(\"{field}\", '')" for field in fields)
    name = index_name(table, config)
    sql = f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (to_tsvector(\'{config}\'::regconfig, {document}))'
    if where:
        sql += f" WHERE {where}"
    return sql


def forward(apps, schema_editor):
    # PostgreSQL only: SQLite (`make run`) searches with icontains and has no to_tsvector.
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(_sql(*index))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, config, _fields, _where in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, config)}"')


class Migration(migrations.Migration):
    dependencies = [("outreach", "0005_social_recurring")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
