"""GIN index for the article lookup (title words only; see 0001 for the expression's form)."""

from django.db import migrations

PG_VECTOR = "to_tsvector('simple'::regconfig, regexp_replace({}, '[^[:alnum:]]+', ' ', 'g'))"
NAME, TABLE, EXPRESSION = "research_title_words_gin", "corpus_article", PG_VECTOR.format("title")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {TABLE} USING gin (({EXPRESSION}))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("research", "0002_alias_search_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
