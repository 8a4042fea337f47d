"""Structured logs: JSON lines in UTC with the request id, carried from the request to its queued work."""

import json
import logging

import pytest

from regulator.logging import JsonFormatter, request_id


def test_a_log_line_is_one_json_object_in_utc_with_the_request_id_and_the_extras():
    token = request_id.set("req-1")
    try:
        record = logging.LogRecord("regulator.x", logging.WARNING, __file__, 1, "sent %s", ("3",), None)
        record.reference = "renewal-reminder:2026-11-16:SW1"
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "sent 3" and line["level"] == "WARNING" and line["logger"] == "regulator.x"
    assert line["request_id"] == "req-1" and line["reference"] == "renewal-reminder:2026-11-16:SW1"
    assert line["time"].endswith("+00:00")


def test_the_request_id_is_taken_from_a_sane_header_or_made_and_sent_back(client):
    assert client.get("/healthz/", HTTP_X_REQUEST_ID="lb-7f3a.1")["X-Request-ID"] == "lb-7f3a.1"
    made = client.get("/healthz/", HTTP_X_REQUEST_ID="<script>" + "x" * 100)["X-Request-ID"]
    assert len(made) == 32 and "<" not in made


@pytest.mark.django_db
def test_work_queued_by_a_request_carries_its_request_id(client, user_with_role):
    from django.urls import reverse

    from registration.tests.helpers import received
    from regulator.models import OutboxMessage

    application = received()
    client.force_login(user_with_role("registration_officer"))
    response = client.post(
        reverse("api-application-approve", args=[application.pk]),
        {},
        content_type="application/json",
        HTTP_X_REQUEST_ID="approve-42",
    )
    assert response.status_code == 200
    assert OutboxMessage.objects.get(task_name="registration.tasks.send_letter").request_id == "approve-42"


@pytest.mark.parametrize(("given", "level"), [("30", 30), ("warning", "WARNING"), (" INFO ", "INFO")])
def test_a_log_level_from_the_environment_may_be_a_name_or_a_number(monkeypatch, given, level):
    """Celery's test worker exports CELERY_LOG_LEVEL=30; a worker process started beside it inherits
    that, and it must still start (it once died with "Unknown level: '30'")."""
    import logging.config

    from regulator.settings.base import log_level

    monkeypatch.setenv("CELERY_LOG_LEVEL", given)
    assert log_level("CELERY_LOG_LEVEL", "INFO") == level
    logging.config.dictConfig(
        {"version": 1, "disable_existing_loggers": False, "loggers": {"probe.level": {"level": level}}}
    )
    expected = level if isinstance(level, int) else logging.getLevelName(level)
    assert logging.getLogger("probe.level").level == expected
