"""The project's own promises: the schema generates, production settings are safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_openapi_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    assert "/api/v1/register/" in out.read_text()


def test_the_schema_is_served(client):
    assert client.get("/api/schema/").status_code == 200


def _production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "NOTIF", "SENTRY_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="regulator.settings.production", **extra)
    return env


def test_production_check_deploy_prints_no_warning():
    env = _production_env(
        DJANGO_SECRET_KEY="k" * 30 + "-a-long-random-production-secret-value-9f8e7d",
        DJANGO_ALLOWED_HOSTS="register.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/regulator",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        REDIS_CACHE_URL="redis://127.0.0.1:6379/1",
        NOTIFY_API_KEY="test-6f6c1d5e-0000-4000-8000-000000000001-a1b2c3d4-0000-4000-8000-000000000002",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    env = _production_env(
        DJANGO_ALLOWED_HOSTS="x",
        DATABASE_URL="postgres://x@127.0.0.1/x",
        CELERY_BROKER_URL="redis://127.0.0.1",
        REDIS_CACHE_URL="redis://127.0.0.1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
