from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# A copy of roadmap.search.VOCABULARY_SQL as it was when this migration was written: the first fill of the
# vocabulary typos are corrected against, PostgreSQL only (SQLite searches by word beginnings).
VOCABULARY_SQL = """
INSERT INTO roadmap_searchterm (word)
SELECT word FROM ts_stat('SELECT search_vector FROM roadmap_topic WHERE search_vector IS NOT NULL')
UNION
SELECT word FROM ts_stat($$SELECT to_tsvector('english', title || ' ' || author) FROM roadmap_resource$$)
"""


def fill_vocabulary(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VOCABULARY_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("roadmap", "0003_resource_ordering"),
    ]

    operations = [
        # similarity() for the corrections; the lookups themselves use the primary key's pattern index (LIKE 'n%').
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[("word", models.CharField(max_length=200, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
