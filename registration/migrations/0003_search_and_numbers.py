"""PostgreSQL pieces of the register: pg_trgm with a GiST index on the name vocabulary (the
misspelling-tolerant search) and the sequence that issues registration numbers."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FIRST_ISSUED_NUMBER = 200001


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS nametoken_trgm_idx ON registration_nametoken USING gist (token gist_trgm_ops)"
    )
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS registration_number_seq START {FIRST_ISSUED_NUMBER}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS nametoken_trgm_idx")
    schema_editor.execute("DROP SEQUENCE IF EXISTS registration_number_seq")


class Migration(migrations.Migration):
    dependencies = [("registration", "0002_initial")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
