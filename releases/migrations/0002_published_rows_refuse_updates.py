"""A published release refuses any UPDATE in the database itself (PostgreSQL and SQLite triggers):
the services and the admin refuse it first, with a message; this catches every other path."""

from django.db import migrations

MESSAGE = "A published release is immutable."

POSTGRES = [
    f"""
CREATE FUNCTION releases_release_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER releases_release_immutable BEFORE UPDATE ON releases_release
FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION releases_release_immutable();
""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS releases_release_immutable ON releases_release;",
    "DROP FUNCTION IF EXISTS releases_release_immutable();",
]
SQLITE = [
    f"""
CREATE TRIGGER releases_release_immutable BEFORE UPDATE ON releases_release
FOR EACH ROW WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS releases_release_immutable;"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_release")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
