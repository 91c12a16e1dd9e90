"""A trigram index of the people's search key on PostgreSQL (people.search).

``LIKE '%term%'`` cannot use a B-tree index; PostgreSQL's ``pg_trgm`` answers it from a GIN
index of the key's trigrams. The extension is created if missing (PostgreSQL 13 and later let
a database owner create it; otherwise a superuser must run ``CREATE EXTENSION pg_trgm`` in the
database first). SQLite has no such index: there the operation does nothing, and searches are
bounded by the paginator instead.
"""

from django.db import migrations

INDEX = "person_name_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin (name_search gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_name_search")]

    operations = [migrations.RunPython(create_index, drop_index)]
