from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# The vocabulary of words in topics and resources, with a trigram index for typo-forgiving search. The index and
# the first fill are PostgreSQL-only (SQLite searches by word beginnings), so they run as vendor-checked SQL.
TRIGRAM_INDEX = "CREATE INDEX searchterm_word_trgm ON roadmap_searchterm USING gin (word gin_trgm_ops)"
# A copy of roadmap.search.VOCABULARY_SQL as it was when this migration was written.
VOCABULARY_SQL = """
INSERT INTO roadmap_searchterm (word)
SELECT word FROM ts_stat('SELECT search_vector FROM roadmap_topic WHERE search_vector IS NOT NULL')
UNION
SELECT word FROM ts_stat($$SELECT to_tsvector('english', title || ' ' || author) FROM roadmap_resource$$)
"""


def index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGRAM_INDEX)
    schema_editor.execute(VOCABULARY_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchterm_word_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("roadmap", "0003_resource_ordering"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[("word", models.CharField(max_length=200, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(index_and_fill, drop_index),
    ]
