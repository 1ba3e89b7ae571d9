"""
A GIN index on the titles' own text vector (PostgreSQL only), so search finds every title match
at once, however many bodies a broad word matches (comparisons.search, "capped candidates").
The expression is exactly what `SearchVector("title", config="english")` compiles to.
"""

from django.db import migrations

INDEX = "comparison_title_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON comparisons_comparison "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(title, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0016_scheduled_changes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=True)]
