"""GIN index for the alias branch of the speaker-name search (PostgreSQL only; see 0001)."""

from django.db import migrations

PG_VECTOR = "to_tsvector('simple'::regconfig, regexp_replace({}, '[^[:alnum:]]+', ' ', 'g'))"
NAME, TABLE, EXPRESSION = "research_alias_words_gin", "corpus_speakeralias", PG_VECTOR.format("alias")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {TABLE} USING gin (({EXPRESSION}))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("research", "0001_search_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
