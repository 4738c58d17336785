"""GIN indexes for the word-prefix search of corpus.search, on PostgreSQL only.

The indexed expressions are exactly those corpus.search builds, so the planner can use them.
SQLite has no such index: its fallback search scans (see corpus/search.py).
"""

from django.db import migrations

# Frozen copy of corpus.search.PG_VECTOR (a migration must not change when the code does);
# tests/research/test_search.py checks that PostgreSQL uses these indexes for the searches.
PG_VECTOR = "to_tsvector('simple'::regconfig, regexp_replace({}, '[^[:alnum:]]+', ' ', 'g'))"

INDEXES = [
    ("research_article_words_gin", "corpus_article", PG_VECTOR.format("title || ' ' || body")),
    ("research_quote_words_gin", "annotations_quote", PG_VECTOR.format("text")),
    ("research_speaker_words_gin", "corpus_speaker", PG_VECTOR.format("name")),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0001_initial"),
        ("annotations", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
