"""A history worked through the product's services (seed_demo's year of work), exported, imported
into an empty database and exported again: the two folders are identical, the dashboards equal."""

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from interchange.exporter import export_history
from interchange.importer import import_history
from registration.models import RegisterEntry
from regulator.dashboard import current_year, year_reports

pytestmark = pytest.mark.django_db  # not `dates`: a whole demo moved; test_import_history has the dated rules


def dashboard():
    year = current_year()
    return [dataclasses.asdict(r) for y in (year - 1, year) for r in year_reports(y)]


def test_an_exported_history_imports_into_an_empty_database_and_exports_identically(tmp_path):
    with transaction.atomic():
        call_command("seed_demo", registrants=150, no_progress=True, stdout=io.StringIO())
        export_history(tmp_path / "a")
        before = dashboard()
        transaction.set_rollback(True)
    assert not RegisterEntry.objects.exists()
    report = import_history(tmp_path / "a", write=True)
    assert report.ok, report.summary_lines(30)
    export_history(tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_text() == (tmp_path / "b" / path.name).read_text(), path.name
    assert dashboard() == before
