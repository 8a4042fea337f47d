"""Backups: scripts/backup then scripts/restore into an empty database and media folder gives back
every record, event and file (compared table by table, and file by file)."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from registration import services
from registration.tests.helpers import applicant, draft, pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def tables_and_fingerprints(dsn: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows in a fixed order."""
    with psycopg.connect(dsn) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        found = {}
        for name in names:
            row = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{name}\" t"
            ).fetchone()
            assert row is not None
            found[name] = (row[0], row[1])
        return found


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_a_backup_restored_into_an_empty_database_has_every_record_event_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    officer = UserFactory(roles=["registration_officer"])
    user, _ = applicant()
    application = draft(user)
    services.application_document_add(application=application, kind="qualification", upload=pdf(), actor=user)
    application = services.application_submit(application=application, actor=user, version=None)
    services.application_approve(application=application, actor=officer, version=None)

    source = url(connection.settings_dict["NAME"])
    target_name = f"reg_ops_restore_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.execute(f'CREATE DATABASE "{target_name}"')
    try:
        env = {**os.environ, "DATABASE_URL": source, "DJANGO_MEDIA_ROOT": str(tmp_path / "uploads")}
        folder = tmp_path / "backup"
        subprocess.run(  # noqa: S603
            [ROOT / "scripts" / "backup", folder], env=env, check=True, capture_output=True
        )
        restore_env = {**env, "DATABASE_URL": url(target_name), "DJANGO_MEDIA_ROOT": str(tmp_path / "restored")}
        subprocess.run(  # noqa: S603
            [ROOT / "scripts" / "restore", folder], env=restore_env, check=True, capture_output=True
        )

        before, after = tables_and_fingerprints(source), tables_and_fingerprints(url(target_name))
        assert before == after
        for table in (
            "registration_registerentry",
            "registration_applicationevent",
            "regulator_auditevent",
            "registration_applicationdocument",
            "registration_letter",
            "regulator_outboxmessage",
        ):
            assert before[table][0] > 0, table  # the world had one of each, and the restore has it too
        originals = files(tmp_path / "uploads")
        assert originals and files(tmp_path / "restored") == originals

        again = subprocess.run(  # noqa: S603
            [ROOT / "scripts" / "restore", folder], env=restore_env, capture_output=True, text=True
        )
        assert again.returncode != 0 and "empty one" in again.stderr  # never over a database in use
    finally:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
