"""The triage queue's saved filters (one row per person) and the GIN indexes of its search.

The indexes are on exactly the expressions prosecution.concerns.queue.search_q builds with
SearchVector(..., config="simple"): the concern's description, address and tracking code, and
the text of internal notes (a partial index: only notes are searched). On SQLite (`make run`)
nothing is made: the search falls back to icontains there.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


CONCERN_INDEX = "prosecution_concern_search_simple"
NOTE_INDEX = "prosecution_concernupdate_note_search_simple"
CONCERN_SQL = (
    f'CREATE INDEX IF NOT EXISTS "{CONCERN_INDEX}" ON "prosecution_concern" USING gin '
    "(to_tsvector('simple'::regconfig, COALESCE(\"description\", '') || ' ' || COALESCE(\"address\", '') "
    "|| ' ' || COALESCE(\"tracking_code\", '')))"
)
NOTE_SQL = (
    f'CREATE INDEX IF NOT EXISTS "{NOTE_INDEX}" ON "prosecution_concernupdate" USING gin '
    "(to_tsvector('simple'::regconfig, COALESCE(\"text\", ''))) WHERE kind = 'internal_note'"
)


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CONCERN_SQL)
    schema_editor.execute(NOTE_SQL)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{CONCERN_INDEX}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NOTE_INDEX}"')


class Migration(migrations.Migration):

    dependencies = [
        ('prosecution', '0014_concern_public_position_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SavedQueueFilter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='filters')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='concern_queue_filter', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'saved queue filter',
                'verbose_name_plural': 'saved queue filters',
                'ordering': ['user_id'],
            },
        ),
        migrations.RunPython(indexes_create, indexes_drop, elidable=False),
    ]
